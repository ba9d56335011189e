import { descendantsOf, policyDocument, recorder, settle, valueOf } from "../harness/component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_ENGINE_VERSIONS,
  DLQ_RETENTION_SECONDS,
  HeliumRegion,
  type HeliumRegionArgs,
  REDIS_PORT,
  serviceLogGroupName,
  validateHeliumRegionArgs,
  visibilityTimeoutSeconds,
} from "../../components/HeliumRegion";
import { type ServicesSpec, servicesSchema, withDefaultServices } from "../../config/services";
import { INTERFACE_ENDPOINTS, PLATFORM_SECRET_KEYS } from "../../config/stacks";
import { type Environment, awsNameError } from "../../lib/naming";
import { MOCK_ACCOUNT_ID, isGlobalType } from "../../offline/mock-outputs";
import type { RecordedResource } from "../../offline/types";

const COMPONENT = "helium:index:HeliumRegion";
const SERVICES: ServicesSpec = servicesSchema.parse(withDefaultServices(undefined));
/** Ports the ALB must reach: services that have a port and at least one listener route. */
const ROUTED_PORTS = [
  ...new Set(
    Object.values(SERVICES)
      .filter((s) => s.port !== undefined && s.routes.length > 0)
      .map((s) => s.port as number),
  ),
].sort((a, b) => a - b);
const ZONE_ID = "Z0123456789ABCDEFGHIJ";
const ORIGINS = ["https://he2.site", "https://www.he2.site"];

function productionArgs(): HeliumRegionArgs {
  return {
    environment: "production",
    network: {
      region: "ap-southeast-1",
      vpcCidr: "10.20.0.0/16",
      availabilityZones: ["ap-southeast-1a", "ap-southeast-1b"],
      natGateways: "perAz",
      interfaceEndpoints: [...INTERFACE_ENDPOINTS],
      trafficDialPercent: 100,
    },
    hostedZoneId: ZONE_ID,
    certificateDomain: "he2.site",
    certificateAlternativeNames: ["*.he2.site"],
    services: SERVICES,
    appOrigins: ORIGINS,
    appSecrets: { DJANGO_SECRET_KEY: "from-config" },
  };
}

/** Staging also declares a disabled `admin` service with a route: its port must stay closed. */
function stagingArgs(): HeliumRegionArgs {
  return {
    environment: "staging",
    network: {
      region: "ap-south-1",
      vpcCidr: "10.110.0.0/16",
      availabilityZones: ["ap-south-1a", "ap-south-1b"],
      natGateways: "single",
      interfaceEndpoints: [],
      trafficDialPercent: 100,
    },
    hostedZoneId: ZONE_ID,
    certificateDomain: "he2.site",
    certificateAlternativeNames: ["*.he2.site"],
    services: servicesSchema.parse(
      withDefaultServices({
        admin: {
          enabled: false,
          repository: "helium-admin",
          port: 9000,
          routes: [{ pathPatterns: ["/admin/*"] }],
          healthCheck: { path: "/admin/health" },
        },
      }),
    ),
    appOrigins: ["https://staging.he2.site"],
    queue: { maxProcessingSeconds: 120, maxReceiveCount: 3 },
    logRetentionDays: 14,
  };
}

interface Built {
  readonly component: HeliumRegion;
  readonly name: string;
  readonly record: RecordedResource;
  /** Every resource registered under the component. */
  readonly resources: RecordedResource[];
}

async function build(name: string, args: HeliumRegionArgs): Promise<Built> {
  const component = new HeliumRegion(name, args);
  await settle();
  const record = recorder.resources.find((r) => r.type === COMPONENT && r.name === name);
  assert.ok(record, `component ${name} was not recorded`);
  return { component, name, record, resources: descendantsOf(record.urn) };
}

function all(built: Built, type: string): RecordedResource[] {
  return built.resources.filter((r) => r.type === type);
}

/** The resource of `type` whose logical name is `<component>-<suffix>`. */
function named(built: Built, type: string, suffix: string): RecordedResource {
  const match = built.resources.find((r) => r.type === type && r.name === `${built.name}-${suffix}`);
  assert.ok(
    match,
    `no ${type} named ${built.name}-${suffix}; have ${all(built, type)
      .map((r) => r.name)
      .join(", ")}`,
  );
  return match;
}

/** Secret inputs are recorded in the engine's wire form: `{ <sig>: <secret sig>, value }`. */
function revealSecret(value: unknown): { secret: boolean; value: unknown } {
  if (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  ) {
    return { secret: true, value: (value as { value: unknown }).value };
  }
  return { secret: false, value };
}

const idOf = (r: RecordedResource): string => String(r.id);
const arnOf = (r: RecordedResource): string => String(r.outputs.arn);

function routesOf(built: Built, table: RecordedResource): RecordedResource[] {
  return all(built, "aws:ec2/route:Route").filter((route) => route.inputs.routeTableId === idOf(table));
}

/** The route table a subnet is associated with. */
function tableOf(built: Built, subnet: RecordedResource): RecordedResource {
  const associations = all(built, "aws:ec2/routeTableAssociation:RouteTableAssociation").filter(
    (a) => a.inputs.subnetId === idOf(subnet),
  );
  assert.equal(associations.length, 1, `subnet ${subnet.name} has ${associations.length} route table associations`);
  const table = all(built, "aws:ec2/routeTable:RouteTable").find(
    (t) => idOf(t) === associations[0].inputs.routeTableId,
  );
  assert.ok(table, `subnet ${subnet.name} is associated with an unknown route table`);
  return table;
}

function subnetsOf(built: Built, tier: string): RecordedResource[] {
  return all(built, "aws:ec2/subnet:Subnet").filter(
    (s) => (s.inputs.tags as Record<string, string>)["helium:tier"] === tier,
  );
}

function rulesOf(built: Built, direction: "Ingress" | "Egress", sg: RecordedResource): RecordedResource[] {
  return all(built, `aws:vpc/securityGroup${direction}Rule:SecurityGroup${direction}Rule`).filter(
    (r) => r.inputs.securityGroupId === idOf(sg),
  );
}

async function assertRejected(name: string, args: HeliumRegionArgs, message: RegExp): Promise<void> {
  recorder.reset();
  assert.throws(() => new HeliumRegion(name, args), message);
  await settle();
  const children = recorder.resources.filter((r) => r.type !== COMPONENT && r.name.startsWith(`${name}-`));
  assert.deepEqual(
    children.map((r) => `${r.type} ${r.name}`),
    [],
    "no child may be registered for bad input",
  );
  const record = recorder.resources.find((r) => r.type === COMPONENT && r.name === name);
  if (record) assert.deepEqual(descendantsOf(record.urn), []);
}

describe("HeliumRegion", function () {
  let prod: Built;
  let stg: Built;
  /** A second Virginia region: no validation record (another region creates it), Redis OSS without replicas. */
  let variant: Built;
  const errorClass: { prepareStackTrace?: ErrorConstructor["prepareStackTrace"] } = Error;
  const savedPrepareStackTrace = errorClass.prepareStackTrace;

  before(async function () {
    // Pulumi captures a full stack trace for every resource and promise; ts-node's source-map mapping of
    // those traces is most of a build's time. V8's own formatting keeps this suite three times faster.
    errorClass.prepareStackTrace = undefined;
    recorder.reset();
    prod = await build("prod-sg", productionArgs());
    stg = await build("stg-mum", stagingArgs());
    variant = await build("prod-va", {
      ...productionArgs(),
      network: {
        ...productionArgs().network,
        region: "us-east-1",
        vpcCidr: "10.30.0.0/16",
        availabilityZones: ["us-east-1a", "us-east-1b"],
      },
      createValidationRecords: false,
      redis: { engine: "redis", replicas: 0 },
    });
  });

  after(() => {
    errorClass.prepareStackTrace = savedPrepareStackTrace;
  });

  describe("network", () => {
    it("creates a VPC with the region's CIDR, DNS support and DNS hostnames", async () => {
      for (const [built, cidr] of [
        [prod, "10.20.0.0/16"],
        [stg, "10.110.0.0/16"],
      ] as const) {
        const vpc = named(built, "aws:ec2/vpc:Vpc", "vpc");
        assert.equal(vpc.inputs.cidrBlock, cidr);
        assert.equal(vpc.inputs.enableDnsSupport, true);
        assert.equal(vpc.inputs.enableDnsHostnames, true);
        assert.equal(await valueOf(built.component.vpcId), idOf(vpc));
      }
    });

    it("lays out public, private and data subnets in 2 AZs at the seed's offsets", async () => {
      const expected = {
        public: ["10.20.1.0/24", "10.20.2.0/24"],
        private: ["10.20.10.0/24", "10.20.11.0/24"],
        data: ["10.20.20.0/24", "10.20.21.0/24"],
      };
      const vpcId = idOf(named(prod, "aws:ec2/vpc:Vpc", "vpc"));
      for (const [tier, cidrs] of Object.entries(expected)) {
        const subnets = subnetsOf(prod, tier);
        assert.deepEqual(subnets.map((s) => s.inputs.cidrBlock).sort(), cidrs, tier);
        assert.deepEqual(
          subnets.map((s) => s.inputs.availabilityZone).sort(),
          ["ap-southeast-1a", "ap-southeast-1b"],
          `${tier} subnets span both AZs`,
        );
        for (const s of subnets) {
          assert.equal(s.inputs.vpcId, vpcId);
          assert.equal(s.inputs.mapPublicIpOnLaunch, false, `${s.name} must not hand out public IPs`);
        }
      }
      assert.deepEqual(
        subnetsOf(stg, "data")
          .map((s) => s.inputs.cidrBlock)
          .sort(),
        ["10.110.20.0/24", "10.110.21.0/24"],
      );
      assert.deepEqual(
        (await valueOf(pulumi.all(prod.component.privateSubnetIds))).sort(),
        subnetsOf(prod, "private").map(idOf).sort(),
      );
      assert.deepEqual(
        (await valueOf(pulumi.all(prod.component.dataSubnetIds))).sort(),
        subnetsOf(prod, "data").map(idOf).sort(),
      );
    });

    it("attaches an internet gateway and routes only the public route table to it", () => {
      for (const built of [prod, stg]) {
        const igws = all(built, "aws:ec2/internetGateway:InternetGateway");
        assert.equal(igws.length, 1);
        assert.equal(igws[0].inputs.vpcId, idOf(named(built, "aws:ec2/vpc:Vpc", "vpc")));
        const igwRoutes = all(built, "aws:ec2/route:Route").filter((r) => r.inputs.gatewayId === idOf(igws[0]));
        assert.equal(igwRoutes.length, 1);
        assert.equal(igwRoutes[0].inputs.destinationCidrBlock, "0.0.0.0/0");
        for (const subnet of subnetsOf(built, "public")) {
          const table = tableOf(built, subnet);
          assert.equal(table.inputs.routes, undefined, "no inline routes");
          assert.deepEqual(
            routesOf(built, table).map((r) => r.name),
            [igwRoutes[0].name],
          );
        }
      }
    });

    it("places one NAT per AZ in production and routes each private subnet to the NAT of its AZ", () => {
      const nats = all(prod, "aws:ec2/natGateway:NatGateway");
      assert.equal(nats.length, 2);
      const publicSubnets = subnetsOf(prod, "public");
      const azOfSubnet = new Map(all(prod, "aws:ec2/subnet:Subnet").map((s) => [idOf(s), s.inputs.availabilityZone]));
      assert.deepEqual(
        nats.map((n) => n.inputs.subnetId).sort(),
        publicSubnets.map(idOf).sort(),
        "NATs sit in the public subnets",
      );
      const eips = all(prod, "aws:ec2/eip:Eip").map((e) => String(e.outputs.allocationId));
      assert.deepEqual(nats.map((n) => n.inputs.allocationId).sort(), eips.sort());
      for (const subnet of subnetsOf(prod, "private")) {
        const routes = routesOf(prod, tableOf(prod, subnet));
        assert.equal(routes.length, 1, `${subnet.name} has exactly one route`);
        assert.equal(routes[0].inputs.destinationCidrBlock, "0.0.0.0/0");
        assert.equal(routes[0].inputs.gatewayId, undefined);
        const nat = nats.find((n) => idOf(n) === routes[0].inputs.natGatewayId);
        assert.ok(nat, "private default route goes to a NAT");
        assert.equal(azOfSubnet.get(String(nat.inputs.subnetId)), subnet.inputs.availabilityZone, "NAT in the same AZ");
      }
    });

    it("uses a single NAT in staging for every private subnet", () => {
      const nats = all(stg, "aws:ec2/natGateway:NatGateway");
      assert.equal(nats.length, 1);
      assert.equal(all(stg, "aws:ec2/eip:Eip").length, 1);
      for (const subnet of subnetsOf(stg, "private")) {
        const routes = routesOf(stg, tableOf(stg, subnet));
        assert.deepEqual(
          routes.map((r) => [r.inputs.destinationCidrBlock, r.inputs.natGatewayId]),
          [["0.0.0.0/0", idOf(nats[0])]],
        );
      }
    });

    it("associates data subnets with a route table that has no route at all", () => {
      for (const built of [prod, stg]) {
        const tables = new Set(subnetsOf(built, "data").map((s) => tableOf(built, s)));
        assert.equal(tables.size, 1);
        const [table] = [...tables];
        assert.equal(table.inputs.routes, undefined, "no inline routes");
        assert.deepEqual(routesOf(built, table), []);
        for (const privateSubnet of subnetsOf(built, "private")) assert.notEqual(tableOf(built, privateSubnet), table);
      }
    });

    it("writes flow logs to a log group with retention through a role trusted by vpc-flow-logs for this account only", () => {
      for (const [built, retention] of [
        [prod, 30],
        [stg, 14],
      ] as const) {
        const flowLog = all(built, "aws:ec2/flowLog:FlowLog");
        assert.equal(flowLog.length, 1);
        const { inputs } = flowLog[0];
        assert.equal(inputs.vpcId, idOf(named(built, "aws:ec2/vpc:Vpc", "vpc")));
        assert.equal(inputs.trafficType, "ALL");
        assert.equal(inputs.logDestinationType, "cloud-watch-logs");
        const group = all(built, "aws:cloudwatch/logGroup:LogGroup").find((g) => arnOf(g) === inputs.logDestination);
        assert.ok(group, "flow log destination is one of the component's log groups");
        assert.equal(group.inputs.retentionInDays, retention);
        const role = all(built, "aws:iam/role:Role").find((r) => arnOf(r) === inputs.iamRoleArn);
        assert.ok(role, "flow log role is the component's");
        const trust = policyDocument(role.inputs.assumeRolePolicy);
        assert.equal(trust.Statement.length, 1);
        assert.deepEqual(trust.Statement[0].Principal, { Service: "vpc-flow-logs.amazonaws.com" });
        assert.equal(trust.Statement[0].Action, "sts:AssumeRole");
        assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } });
        const write = all(built, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === role.outputs.name);
        assert.ok(write);
        const resources = policyDocument(write.inputs.policy).Statement.flatMap((s) => s.Resource as string[]);
        assert.ok(
          resources.every((r) => r.startsWith(arnOf(group))),
          `flow-log role is scoped to its log group: ${resources.join(", ")}`,
        );
      }
    });

    it("adds an S3 gateway endpoint on the private and data route tables, not the public one", () => {
      for (const built of [prod, stg]) {
        const region = built.component.region;
        const gateways = all(built, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
          (e) => e.inputs.vpcEndpointType === "Gateway",
        );
        assert.equal(gateways.length, 1);
        assert.equal(gateways[0].inputs.serviceName, `com.amazonaws.${region}.s3`);
        const expected = [...subnetsOf(built, "private"), ...subnetsOf(built, "data")].map((s) =>
          idOf(tableOf(built, s)),
        );
        assert.deepEqual([...(gateways[0].inputs.routeTableIds as string[])].sort(), [...new Set(expected)].sort());
        const publicTable = idOf(tableOf(built, subnetsOf(built, "public")[0]));
        assert.ok(!(gateways[0].inputs.routeTableIds as string[]).includes(publicTable));
      }
    });

    it("creates every interface endpoint in production's private subnets, HTTPS from tasks only", () => {
      const endpoints = all(prod, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
        (e) => e.inputs.vpcEndpointType === "Interface",
      );
      assert.deepEqual(
        endpoints.map((e) => e.inputs.serviceName).sort(),
        INTERFACE_ENDPOINTS.map((e) => `com.amazonaws.ap-southeast-1.${e}`).sort(),
      );
      const privateIds = subnetsOf(prod, "private").map(idOf).sort();
      const endpointSg = named(prod, "aws:ec2/securityGroup:SecurityGroup", "endpoints-sg");
      const taskSg = named(prod, "aws:ec2/securityGroup:SecurityGroup", "task-sg");
      for (const e of endpoints) {
        assert.deepEqual([...(e.inputs.subnetIds as string[])].sort(), privateIds);
        assert.equal(e.inputs.privateDnsEnabled, true);
        assert.deepEqual(e.inputs.securityGroupIds, [idOf(endpointSg)]);
      }
      const ingress = rulesOf(prod, "Ingress", endpointSg);
      assert.deepEqual(
        ingress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4]),
        [[443, 443, idOf(taskSg), undefined]],
      );
    });

    it("creates no interface endpoint (and no endpoint SG) in staging", () => {
      assert.deepEqual(
        all(stg, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface"),
        [],
      );
      assert.equal(all(stg, "aws:ec2/securityGroup:SecurityGroup").length, 3);
    });
  });

  describe("security groups", () => {
    it("opens the ALB to 80 and 443 from anywhere and nothing else from anywhere", async () => {
      for (const built of [prod, stg]) {
        const albSg = named(built, "aws:ec2/securityGroup:SecurityGroup", "alb-sg");
        assert.equal(await valueOf(built.component.albSecurityGroupId), idOf(albSg));
        const ingress = rulesOf(built, "Ingress", albSg);
        assert.deepEqual(
          ingress.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]).sort(),
          [
            ["tcp", 443, 443, "0.0.0.0/0"],
            ["tcp", 80, 80, "0.0.0.0/0"],
          ],
        );
        const publicIngress = all(built, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
          (r) =>
            r.inputs.cidrIpv4 !== undefined || r.inputs.cidrIpv6 !== undefined || r.inputs.prefixListId !== undefined,
        );
        assert.deepEqual(
          publicIngress.map((r) => r.name).sort(),
          ingress.map((r) => r.name).sort(),
          "only the ALB's 80/443 accept traffic by address",
        );
      }
    });

    it("lets tasks receive only the routed services' ports, from the ALB SG", () => {
      for (const built of [prod, stg]) {
        const albSg = named(built, "aws:ec2/securityGroup:SecurityGroup", "alb-sg");
        const taskSg = named(built, "aws:ec2/securityGroup:SecurityGroup", "task-sg");
        const ingress = rulesOf(built, "Ingress", taskSg);
        assert.deepEqual(
          ingress.map((r) => r.inputs.fromPort).sort(),
          ROUTED_PORTS,
          "disabled and unrouted services open nothing",
        );
        for (const r of ingress) {
          assert.equal(r.inputs.toPort, r.inputs.fromPort);
          assert.equal(r.inputs.referencedSecurityGroupId, idOf(albSg));
          assert.equal(r.inputs.cidrIpv4, undefined);
        }
        const albEgress = rulesOf(built, "Egress", albSg);
        assert.deepEqual(
          albEgress.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId]).sort(),
          ROUTED_PORTS.map((p) => [p, idOf(taskSg)]),
        );
      }
    });

    it("lets Redis receive 6379 only from the task SG", async () => {
      for (const built of [prod, stg]) {
        const redisSg = named(built, "aws:ec2/securityGroup:SecurityGroup", "redis-sg");
        const taskSg = named(built, "aws:ec2/securityGroup:SecurityGroup", "task-sg");
        assert.deepEqual(
          rulesOf(built, "Ingress", redisSg).map((r) => [
            r.inputs.fromPort,
            r.inputs.toPort,
            r.inputs.referencedSecurityGroupId,
            r.inputs.cidrIpv4,
          ]),
          [[REDIS_PORT, REDIS_PORT, idOf(taskSg), undefined]],
        );
        assert.deepEqual(rulesOf(built, "Egress", redisSg), []);
        assert.equal(await valueOf(built.component.redisSecurityGroupId), idOf(redisSg));
      }
    });

    it("describes every rule and keeps no inline rules", () => {
      for (const built of [prod, stg]) {
        const rules = [
          ...all(built, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
          ...all(built, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
        ];
        assert.ok(rules.length > 0);
        for (const r of rules)
          assert.ok(
            typeof r.inputs.description === "string" && r.inputs.description.length > 0,
            `${r.name} has a description`,
          );
        for (const sg of all(built, "aws:ec2/securityGroup:SecurityGroup")) {
          assert.equal(sg.inputs.ingress, undefined, `${sg.name} inline ingress`);
          assert.equal(sg.inputs.egress, undefined, `${sg.name} inline egress`);
          assert.ok(String(sg.inputs.description).length > 0);
        }
      }
    });

    it("manages the VPC's default SG with no rules", () => {
      for (const built of [prod, stg]) {
        const defaults = all(built, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        assert.equal(defaults.length, 1);
        assert.equal(defaults[0].inputs.vpcId, idOf(named(built, "aws:ec2/vpc:Vpc", "vpc")));
        assert.equal(defaults[0].inputs.ingress, undefined);
        assert.equal(defaults[0].inputs.egress, undefined);
      }
    });
  });

  describe("edge", () => {
    it("puts an internet-facing ALB in the public subnets only, dropping invalid headers and logging to its bucket", async () => {
      for (const [built, deletionProtection] of [
        [prod, true],
        [stg, false],
      ] as const) {
        const alb = named(built, "aws:lb/loadBalancer:LoadBalancer", "alb");
        assert.equal(alb.inputs.internal, false);
        assert.equal(alb.inputs.loadBalancerType, "application");
        assert.deepEqual([...(alb.inputs.subnets as string[])].sort(), subnetsOf(built, "public").map(idOf).sort());
        assert.deepEqual(alb.inputs.securityGroups, [
          idOf(named(built, "aws:ec2/securityGroup:SecurityGroup", "alb-sg")),
        ]);
        assert.equal(alb.inputs.dropInvalidHeaderFields, true);
        assert.equal(alb.inputs.enableDeletionProtection, deletionProtection);
        assert.equal((alb.inputs.tags as Record<string, string>)["helium:exposure"], "public-edge");
        assert.equal(awsNameError("loadBalancer", String(alb.inputs.name)), undefined);
        const logs = alb.inputs.accessLogs as { bucket: string; enabled: boolean; prefix: string };
        assert.equal(logs.enabled, true);
        const logBucket = all(built, "aws:s3/bucket:Bucket").find((b) => b.outputs.bucket === logs.bucket);
        assert.ok(logBucket, "access logs go to the component's bucket");
        const sse = all(
          built,
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        ).find((s) => s.inputs.bucket === logs.bucket);
        assert.ok(sse, "the access-log bucket is encrypted");
        assert.ok(
          all(built, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").some(
            (p) => p.inputs.bucket === logs.bucket && p.inputs.blockPublicPolicy === true,
          ),
        );
        const delivery = all(built, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.inputs.bucket === logs.bucket);
        assert.ok(delivery);
        const allow = policyDocument(delivery.inputs.policy).Statement.find((s) => s.Effect === "Allow");
        assert.equal(allow?.Resource, `${arnOf(logBucket)}/${logs.prefix}/AWSLogs/${MOCK_ACCOUNT_ID}/*`);
        assert.equal(await valueOf(built.component.albDnsName), alb.outputs.dnsName);
      }
    });

    it("serves HTTPS with a TLS 1.3/1.2 policy, the validated certificate and a fixed 404 by default", async () => {
      for (const built of [prod, stg]) {
        const alb = named(built, "aws:lb/loadBalancer:LoadBalancer", "alb");
        const https = named(built, "aws:lb/listener:Listener", "https");
        const certificate = named(built, "aws:acm/certificate:Certificate", "certificate");
        const validation = named(
          built,
          "aws:acm/certificateValidation:CertificateValidation",
          "certificate-validation",
        );
        assert.equal(https.inputs.loadBalancerArn, arnOf(alb));
        assert.equal(https.inputs.port, 443);
        assert.equal(https.inputs.protocol, "HTTPS");
        assert.equal(https.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
        assert.equal(https.inputs.certificateArn, arnOf(certificate));
        assert.equal(validation.inputs.certificateArn, arnOf(certificate));
        assert.deepEqual(
          https.propertyDependencies.certificateArn,
          [validation.urn],
          "the listener waits for validation",
        );
        const actions = https.inputs.defaultActions as Array<{ type: string; fixedResponse?: { statusCode: string } }>;
        assert.equal(actions.length, 1);
        assert.equal(actions[0].type, "fixed-response");
        assert.equal(actions[0].fixedResponse?.statusCode, "404");
        assert.equal(await valueOf(built.component.httpsListenerArn), arnOf(https));
        assert.equal(await valueOf(built.component.certificateArn), arnOf(certificate));
      }
    });

    it("answers plain HTTP only with a redirect to HTTPS", () => {
      for (const built of [prod, stg]) {
        const http = named(built, "aws:lb/listener:Listener", "http");
        assert.equal(http.inputs.port, 80);
        assert.equal(http.inputs.protocol, "HTTP");
        assert.deepEqual(http.inputs.defaultActions, [
          { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
        ]);
        assert.equal(all(built, "aws:lb/listener:Listener").length, 2);
        assert.deepEqual(all(built, "aws:lb/listenerRule:ListenerRule"), []);
      }
    });

    it("requests a certificate for the domain and its wildcard, DNS-validated in the given zone", () => {
      const certificate = named(prod, "aws:acm/certificate:Certificate", "certificate");
      assert.equal(certificate.inputs.domainName, "he2.site");
      assert.deepEqual(certificate.inputs.subjectAlternativeNames, ["*.he2.site"]);
      assert.equal(certificate.inputs.validationMethod, "DNS");
      const options = certificate.outputs.domainValidationOptions as Array<{
        resourceRecordName: string;
        resourceRecordType: string;
        resourceRecordValue: string;
      }>;
      const records = all(prod, "aws:route53/record:Record");
      assert.equal(records.length, 1, "apex and wildcard share one validation record");
      assert.equal(records[0].inputs.zoneId, ZONE_ID);
      assert.equal(records[0].inputs.name, options[0].resourceRecordName);
      assert.equal(records[0].inputs.type, options[0].resourceRecordType);
      assert.deepEqual(records[0].inputs.records, [options[0].resourceRecordValue]);
      assert.equal(records[0].region, null, "Route 53 is global");
      const validation = named(prod, "aws:acm/certificateValidation:CertificateValidation", "certificate-validation");
      assert.deepEqual(validation.inputs.validationRecordFqdns, [records[0].outputs.fqdn]);
    });

    it("creates no validation record when createValidationRecords is false, but still waits for validation", () => {
      assert.deepEqual(all(variant, "aws:route53/record:Record"), []);
      const validation = named(
        variant,
        "aws:acm/certificateValidation:CertificateValidation",
        "certificate-validation",
      );
      assert.equal(
        validation.inputs.certificateArn,
        arnOf(named(variant, "aws:acm/certificate:Certificate", "certificate")),
      );
      assert.deepEqual(validation.inputs.validationRecordFqdns, []);
    });
  });

  describe("cluster, queue, cache", () => {
    it("names the cluster as the seed does and enables Container Insights", async () => {
      for (const [built, name] of [
        [prod, "helium-singapore-cluster"],
        [stg, "helium-mumbai-staging-cluster"],
      ] as const) {
        const cluster = named(built, "aws:ecs/cluster:Cluster", "cluster");
        assert.equal(cluster.inputs.name, name);
        assert.deepEqual(cluster.inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
        assert.equal(await valueOf(built.component.clusterName), name);
      }
    });

    it("encrypts the queue and its DLQ, redrives after maxReceiveCount and keeps dead letters 14 days", () => {
      for (const [built, maxReceiveCount, maxProcessing] of [
        [prod, 5, 60],
        [stg, 3, 120],
      ] as const) {
        const queue = named(built, "aws:sqs/queue:Queue", "queue");
        const dlq = named(built, "aws:sqs/queue:Queue", "dlq");
        for (const q of [queue, dlq]) assert.equal(q.inputs.sqsManagedSseEnabled, true, `${q.name} encrypted`);
        assert.deepEqual(JSON.parse(String(queue.inputs.redrivePolicy)), {
          deadLetterTargetArn: arnOf(dlq),
          maxReceiveCount,
        });
        assert.equal(dlq.inputs.messageRetentionSeconds, 14 * 24 * 3600);
        assert.equal(DLQ_RETENTION_SECONDS, 14 * 24 * 3600);
        assert.equal(queue.inputs.visibilityTimeoutSeconds, 6 * maxProcessing);
        for (const q of [queue, dlq]) {
          const policy = all(built, "aws:sqs/queuePolicy:QueuePolicy").find((p) => p.inputs.queueUrl === q.outputs.url);
          assert.ok(policy, `${q.name} has a TLS-only policy`);
          assert.deepEqual(policy && policyDocument(policy.inputs.policy).Statement[0].Condition, {
            Bool: { "aws:SecureTransport": "false" },
          });
        }
      }
    });

    it("puts the cache in the data subnets, encrypted at rest and in transit, with the generated AUTH token", () => {
      for (const built of [prod, stg]) {
        const redis = named(built, "aws:elasticache/replicationGroup:ReplicationGroup", "redis");
        const subnetGroup = named(built, "aws:elasticache/subnetGroup:SubnetGroup", "redis-subnets");
        assert.equal(redis.inputs.subnetGroupName, subnetGroup.outputs.name);
        assert.deepEqual(
          [...(subnetGroup.inputs.subnetIds as string[])].sort(),
          subnetsOf(built, "data").map(idOf).sort(),
        );
        assert.deepEqual(redis.inputs.securityGroupIds, [
          idOf(named(built, "aws:ec2/securityGroup:SecurityGroup", "redis-sg")),
        ]);
        assert.equal(redis.inputs.atRestEncryptionEnabled, true);
        assert.equal(redis.inputs.transitEncryptionEnabled, true);
        assert.equal(redis.inputs.nodeType, "cache.t3.micro");
        assert.equal(redis.inputs.engine, "valkey");
        assert.equal(redis.inputs.engineVersion, DEFAULT_ENGINE_VERSIONS.valkey);
        assert.equal(redis.inputs.port, REDIS_PORT);
        const token = revealSecret(redis.inputs.authToken);
        assert.equal(token.secret, true, "the AUTH token is a secret input");
        const password = named(built, "random:index/randomPassword:RandomPassword", "redis-auth");
        assert.equal(token.value, password.outputs.result, "the AUTH token is the generated password");
        assert.ok(
          !Object.values(built === prod ? (productionArgs().appSecrets ?? {}) : {}).includes(String(token.value)),
          "not a configured value",
        );
        // One replica: two nodes, automatic failover and Multi-AZ.
        assert.equal(redis.inputs.numCacheClusters, 2);
        assert.equal(redis.inputs.automaticFailoverEnabled, true);
        assert.equal(redis.inputs.multiAzEnabled, true);
      }
    });

    it("retains snapshots in production only", () => {
      const prodRedis = named(prod, "aws:elasticache/replicationGroup:ReplicationGroup", "redis");
      assert.ok(Number(prodRedis.inputs.snapshotRetentionLimit) > 0);
      assert.equal(typeof prodRedis.inputs.finalSnapshotIdentifier, "string");
      const stgRedis = named(stg, "aws:elasticache/replicationGroup:ReplicationGroup", "redis");
      assert.equal(stgRedis.inputs.snapshotRetentionLimit, 0);
      assert.equal(stgRedis.inputs.finalSnapshotIdentifier, undefined);
    });

    it("defaults the engine version per engine (no Redis OSS 8 on ElastiCache) and honours replicas: 0", () => {
      const redis = named(variant, "aws:elasticache/replicationGroup:ReplicationGroup", "redis");
      assert.equal(redis.inputs.engine, "redis");
      assert.equal(redis.inputs.engineVersion, DEFAULT_ENGINE_VERSIONS.redis);
      assert.equal(redis.inputs.numCacheClusters, 1);
      assert.equal(redis.inputs.automaticFailoverEnabled, false);
      assert.equal(redis.inputs.multiAzEnabled, false);
    });
  });

  describe("files bucket, secret, logs", () => {
    it("creates helium-files-<short>: versioned, encrypted, private, TLS-only, CORS for the app, old versions expire", async () => {
      for (const [built, bucketName, origins] of [
        [prod, "helium-files-sg", ORIGINS],
        [stg, "helium-files-staging-mum", ["https://staging.he2.site"]],
      ] as const) {
        const bucket = named(built, "aws:s3/bucket:Bucket", "files");
        assert.equal(bucket.inputs.bucket, bucketName);
        assert.equal(await valueOf(built.component.filesBucketName), bucketName);
        const of = (type: string) => {
          const found = all(built, type).filter((r) => r.inputs.bucket === bucketName);
          assert.equal(found.length, 1, `${type} of ${bucketName}`);
          return found[0].inputs;
        };
        assert.deepEqual(of("aws:s3/bucketVersioning:BucketVersioning").versioningConfiguration, { status: "Enabled" });
        const sse = of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
          .rules as Array<{ applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId?: string } }>;
        assert.equal(sse[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.equal(
          sse[0].applyServerSideEncryptionByDefault.kmsMasterKeyId,
          await valueOf(built.component.kmsKeyArn),
        );
        const block = of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
          assert.equal(block[flag], true, flag);
        const statements = policyDocument(of("aws:s3/bucketPolicy:BucketPolicy").policy).Statement;
        assert.deepEqual(
          statements.map((s) => [s.Effect, s.Principal, s.Condition]),
          [["Deny", "*", { Bool: { "aws:SecureTransport": "false" } }]],
        );
        assert.deepEqual(statements[0].Resource, [arnOf(bucket), `${arnOf(bucket)}/*`]);
        const cors = of("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration").corsRules as Array<{
          allowedOrigins: string[];
        }>;
        assert.deepEqual(
          cors.map((r) => r.allowedOrigins),
          [origins],
        );
        const lifecycle = of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules as Array<{
          status: string;
          noncurrentVersionExpiration?: { noncurrentDays: number };
        }>;
        assert.ok(
          lifecycle.some((r) => r.status === "Enabled" && Number(r.noncurrentVersionExpiration?.noncurrentDays) > 0),
          "noncurrent versions expire",
        );
      }
    });

    it("stores helium/backend/<env> with REDIS_HOST taken from the cache's primary endpoint", async () => {
      for (const [built, secretName] of [
        [prod, "helium/backend/production"],
        [stg, "helium/backend/staging"],
      ] as const) {
        const secret = named(built, "aws:secretsmanager/secret:Secret", "backend-secret");
        assert.equal(secret.inputs.name, secretName);
        const version = named(built, "aws:secretsmanager/secretVersion:SecretVersion", "backend-secret-value");
        assert.equal(version.inputs.secretId, idOf(secret));
        const secretString = revealSecret(version.inputs.secretString);
        assert.equal(secretString.secret, true, "the secret value is recorded as a secret");
        const values = JSON.parse(String(secretString.value)) as Record<string, string>;
        const redis = named(built, "aws:elasticache/replicationGroup:ReplicationGroup", "redis");
        assert.equal(values.REDIS_HOST, redis.outputs.primaryEndpointAddress);
        assert.match(values.REDIS_HOST, new RegExp(`\\.${String(redis.inputs.replicationGroupId)}\\.`));
        assert.equal(values.REDIS_PORT, String(REDIS_PORT));
        assert.equal(values.REDIS_AUTH_TOKEN, revealSecret(redis.inputs.authToken).value);
        assert.equal(await valueOf(built.component.secretArn), arnOf(secret));
      }
      const prodValues = JSON.parse(
        String(
          revealSecret(
            named(prod, "aws:secretsmanager/secretVersion:SecretVersion", "backend-secret-value").inputs.secretString,
          ).value,
        ),
      ) as Record<string, string>;
      assert.equal(prodValues.DJANGO_SECRET_KEY, "from-config");
      assert.deepEqual(await valueOf(prod.component.secretKeys), [...PLATFORM_SECRET_KEYS, "DJANGO_SECRET_KEY"]);
    });

    it("creates a log group per service with retention", async () => {
      for (const [built, env, retention] of [
        [prod, "production", 30],
        [stg, "staging", 14],
      ] as const) {
        const services = Object.keys(built === prod ? SERVICES : stagingArgs().services);
        for (const service of services) {
          const group = all(built, "aws:cloudwatch/logGroup:LogGroup").find(
            (g) => g.inputs.name === serviceLogGroupName(env, service),
          );
          assert.ok(group, `log group of ${service}`);
          assert.equal(group.inputs.retentionInDays, retention);
          assert.equal(await valueOf(built.component.logGroups[service].name), group.inputs.name);
        }
        assert.deepEqual(Object.keys(built.component.logGroups).sort(), [...services].sort());
      }
    });
  });

  describe("protection and region", () => {
    it("protects the bucket, cache, secret and queues in production only", () => {
      const stateful: Array<[string, string]> = [
        ["aws:s3/bucket:Bucket", "files"],
        ["aws:elasticache/replicationGroup:ReplicationGroup", "redis"],
        ["aws:secretsmanager/secret:Secret", "backend-secret"],
        ["aws:sqs/queue:Queue", "queue"],
        ["aws:sqs/queue:Queue", "dlq"],
      ];
      for (const [type, suffix] of stateful) {
        assert.equal(named(prod, type, suffix).protect, true, `production ${suffix}`);
        assert.equal(named(stg, type, suffix).protect, false, `staging ${suffix}`);
      }
    });

    it("gives every regional resource the component's region explicitly", () => {
      for (const built of [prod, stg, variant]) {
        const regional = built.resources.filter((r) => r.custom && !isGlobalType(r.type));
        assert.ok(regional.length > 50);
        for (const r of regional) {
          assert.equal(r.inputs.region, built.component.region, `${r.type} ${r.name} input region`);
          assert.equal(r.region, built.component.region, `${r.type} ${r.name} recorded region`);
        }
        const awsGlobal = built.resources.filter((r) => r.type.startsWith("aws:") && isGlobalType(r.type));
        assert.ok(
          awsGlobal.every((r) => r.type.startsWith("aws:iam/") || r.type.startsWith("aws:route53/")),
          "only IAM and Route 53 are global",
        );
      }
    });
  });

  describe("bad input is rejected before any child is registered", () => {
    const withNetwork = (network: Partial<HeliumRegionArgs["network"]>): HeliumRegionArgs => ({
      ...productionArgs(),
      network: { ...productionArgs().network, ...network },
    });

    it("an invalid CIDR", async () => {
      await assertRejected("bad-cidr", withNetwork({ vpcCidr: "10.0.0.0/33" }), /network\.vpcCidr.*10\.0\.0\.0\/33/);
      await assertRejected(
        "bad-cidr-text",
        withNetwork({ vpcCidr: "ten.zero/16" }),
        /network\.vpcCidr.*not an IPv4 CIDR/,
      );
      await assertRejected("host-bits", withNetwork({ vpcCidr: "10.0.0.1/16" }), /network\.vpcCidr.*host bits/);
    });

    it("a VPC prefix outside /16-/19", async () => {
      await assertRejected("too-small", withNetwork({ vpcCidr: "10.0.0.0/20" }), /network\.vpcCidr.*\/16 to \/19/);
      await assertRejected("too-big", withNetwork({ vpcCidr: "10.0.0.0/15" }), /network\.vpcCidr.*\/16 to \/19/);
    });

    it("fewer than 2 AZs", async () => {
      await assertRejected(
        "one-az",
        withNetwork({ availabilityZones: ["ap-southeast-1a"] }),
        /network\.availabilityZones.*at least 2/,
      );
    });

    it("an AZ of another region, or the same AZ twice", async () => {
      await assertRejected(
        "foreign-az",
        withNetwork({ availabilityZones: ["ap-southeast-1a", "ap-south-1b"] }),
        /network\.availabilityZones.*"ap-south-1b".*ap-southeast-1a/,
      );
      await assertRejected(
        "twice-az",
        withNetwork({ availabilityZones: ["ap-southeast-1a", "ap-southeast-1a"] }),
        /network\.availabilityZones.*"ap-southeast-1a" twice/,
      );
    });

    it("an unknown region", async () => {
      await assertRejected(
        "mars",
        withNetwork({ region: "mars-east-1", availabilityZones: ["mars-east-1a", "mars-east-1b"] }),
        /network\.region.*"mars-east-1".*ap-south-1/,
      );
    });

    it("a Redis node type that is not a cache type, or too many replicas", async () => {
      await assertRejected(
        "db-node",
        { ...productionArgs(), redis: { nodeType: "db.t3.micro" } },
        /redis\.nodeType "db\.t3\.micro"/,
      );
      await assertRejected("bare-node", { ...productionArgs(), redis: { nodeType: "t3.micro" } }, /redis\.nodeType/);
      await assertRejected("many-replicas", { ...productionArgs(), redis: { replicas: 6 } }, /redis\.replicas 6/);
    });

    // No known region and environment yields a rejected name: the longest, helium-alb-logs-staging-mum, is 27
    // characters. A forced environment (as untyped JS or a future environment name could pass) proves the
    // check is wired in; lib/naming tests cover each rule.
    it("an S3 or ALB name AWS would reject (forced environment names)", async () => {
      await assertRejected(
        "upper-env",
        { ...productionArgs(), environment: "Staging" as Environment },
        /files bucket name: "helium-files-Staging-sg".*s3Bucket/,
      );
      await assertRejected(
        "long-env",
        { ...productionArgs(), environment: "preproduction-canary" as Environment },
        /ALB name: "helium-alb-preproduction-canary-sg" \(34 characters\)/,
      );
      await assertRejected(
        "huge-env",
        { ...productionArgs(), environment: "e".repeat(50) as Environment },
        /files bucket name.*\(66 characters\).*3-63/,
      );
    });
  });

  describe("pure helpers", () => {
    it("visibilityTimeoutSeconds is 6 × processing time, capped at SQS's 12 hours", () => {
      assert.equal(visibilityTimeoutSeconds(60), 360);
      assert.equal(visibilityTimeoutSeconds(1), 6);
      assert.equal(visibilityTimeoutSeconds(7200), 43200);
      assert.equal(visibilityTimeoutSeconds(10_000), 43200);
    });

    it("serviceLogGroupName is /helium/<env>/<service> and a valid log group name", () => {
      assert.equal(serviceLogGroupName("staging", "backend"), "/helium/staging/backend");
      assert.equal(serviceLogGroupName("production", "worker"), "/helium/production/worker");
      assert.equal(awsNameError("logGroup", serviceLogGroupName("production", "frontend")), undefined);
    });

    it("validateHeliumRegionArgs accepts the fixtures and names the key of what it rejects", () => {
      assert.doesNotThrow(() => validateHeliumRegionArgs("ok", productionArgs()));
      assert.doesNotThrow(() => validateHeliumRegionArgs("ok", stagingArgs()));
      assert.throws(
        () =>
          validateHeliumRegionArgs("x", {
            ...productionArgs(),
            network: { ...productionArgs().network, vpcCidr: "10.0.0.0/8" },
          }),
        /^Error: HeliumRegion x: network\.vpcCidr/,
      );
      assert.throws(
        () => validateHeliumRegionArgs("x", { ...productionArgs(), redis: { nodeType: "cache.t3" } }),
        /HeliumRegion x: redis\.nodeType "cache\.t3"/,
      );
    });
  });
});
