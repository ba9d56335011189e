import { policyDocument, recorder, valueOf } from "../../harness/component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { INTERFACE_ENDPOINTS } from "../../../lib/platform";
import type { RecordedResource } from "../../../offline/types";
import {
  ACCOUNT,
  type BuiltRegion,
  INGRESS,
  SECURITY_GROUP,
  all,
  arnOf,
  idOf,
  named,
  referenceRegions,
  rulesOf,
  subnetsOf,
} from "./fixtures";

const NETWORK = "helium:region:Network";

function routesOf(built: BuiltRegion, table: RecordedResource): RecordedResource[] {
  return all(built, "aws:ec2/route:Route").filter((route) => route.inputs.routeTableId === idOf(table));
}

/** The route table a subnet is associated with. */
function tableOf(built: BuiltRegion, subnet: RecordedResource): RecordedResource {
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

describe("RegionNetwork (through HeliumRegion)", function () {
  let prod: BuiltRegion;
  let stg: BuiltRegion;

  before(async () => {
    ({ prod, stg } = await referenceRegions());
  });
  beforeEach(() => recorder.reset());

  it("is one helium:region:Network component under the HeliumRegion, holding the VPC", () => {
    for (const built of [prod, stg]) {
      const networks = built.resources.filter((r) => r.type === NETWORK);
      assert.deepEqual(
        networks.map((n) => [n.name, n.parent]),
        [[`${built.name}-network`, built.record.urn]],
      );
      assert.equal(named(built, "aws:ec2/vpc:Vpc", "vpc").parent, networks[0].urn);
    }
  });

  it("creates a VPC with the model's CIDR, DNS support and DNS hostnames", async () => {
    for (const [built, cidr] of [
      [prod, "10.20.0.0/16"],
      [stg, "10.110.0.0/16"],
    ] as const) {
      const vpc = named(built, "aws:ec2/vpc:Vpc", "vpc");
      assert.equal(built.model.network.vpcCidr, cidr);
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
      (await valueOf(pulumi.all(prod.component.publicSubnetIds))).sort(),
      subnetsOf(prod, "public").map(idOf).sort(),
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

  it("places one NAT per AZ in production and routes each private subnet to the NAT of its AZ", async () => {
    assert.equal(prod.model.network.natGateways, "perAz");
    const nats = all(prod, "aws:ec2/natGateway:NatGateway");
    assert.equal(nats.length, 2);
    const azOfSubnet = new Map(all(prod, "aws:ec2/subnet:Subnet").map((s) => [idOf(s), s.inputs.availabilityZone]));
    assert.deepEqual(
      nats.map((n) => n.inputs.subnetId).sort(),
      subnetsOf(prod, "public").map(idOf).sort(),
      "NATs sit in the public subnets",
    );
    const eips = all(prod, "aws:ec2/eip:Eip").map((e) => String(e.outputs.allocationId));
    assert.deepEqual(nats.map((n) => n.inputs.allocationId).sort(), eips.sort());
    const igw = all(prod, "aws:ec2/internetGateway:InternetGateway")[0];
    for (const nat of nats) assert.ok(nat.dependencies.includes(igw.urn), `${nat.name} waits for the gateway`);
    for (const subnet of subnetsOf(prod, "private")) {
      const routes = routesOf(prod, tableOf(prod, subnet));
      assert.equal(routes.length, 1, `${subnet.name} has exactly one route`);
      assert.equal(routes[0].inputs.destinationCidrBlock, "0.0.0.0/0");
      assert.equal(routes[0].inputs.gatewayId, undefined);
      const nat = nats.find((n) => idOf(n) === routes[0].inputs.natGatewayId);
      assert.ok(nat, "private default route goes to a NAT");
      assert.equal(azOfSubnet.get(String(nat.inputs.subnetId)), subnet.inputs.availabilityZone, "NAT in the same AZ");
    }
    assert.deepEqual((await valueOf(pulumi.all(prod.component.natGatewayIds))).sort(), nats.map(idOf).sort());
  });

  it("uses a single NAT in staging for every private subnet, each subnet keeping its own route table", () => {
    assert.equal(stg.model.network.natGateways, "single");
    const nats = all(stg, "aws:ec2/natGateway:NatGateway");
    assert.equal(nats.length, 1);
    assert.equal(all(stg, "aws:ec2/eip:Eip").length, 1);
    const tables = new Set<RecordedResource>();
    for (const subnet of subnetsOf(stg, "private")) {
      const table = tableOf(stg, subnet);
      tables.add(table);
      assert.deepEqual(
        routesOf(stg, table).map((r) => [r.inputs.destinationCidrBlock, r.inputs.natGatewayId]),
        [["0.0.0.0/0", idOf(nats[0])]],
      );
    }
    assert.equal(tables.size, 2, "one private route table per AZ, so single ↔ perAz changes only routes");
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

  it("writes flow logs to an encrypted log group with retention through a role trusted by vpc-flow-logs for this account only", async () => {
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
      assert.equal(group.inputs.name, built.model.network.flowLogGroup);
      assert.equal(group.inputs.retentionInDays, retention);
      assert.equal(group.inputs.kmsKeyId, await valueOf(built.component.kmsKeyArn));
      const role = all(built, "aws:iam/role:Role").find((r) => arnOf(r) === inputs.iamRoleArn);
      assert.ok(role, "flow log role is the component's");
      assert.equal(role.inputs.name, built.model.network.flowLogRole);
      assert.equal(role.inputs.path, built.model.iamPath);
      const trust = policyDocument(role.inputs.assumeRolePolicy);
      assert.equal(trust.Statement.length, 1);
      assert.deepEqual(trust.Statement[0].Principal, { Service: "vpc-flow-logs.amazonaws.com" });
      assert.equal(trust.Statement[0].Action, "sts:AssumeRole");
      assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
      const write = all(built, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === role.outputs.name);
      assert.ok(write);
      const resources = policyDocument(write.inputs.policy).Statement.flatMap((s) => s.Resource as string[]);
      assert.deepEqual(resources, [arnOf(group), `${arnOf(group)}:*`], "the flow-log role is scoped to its log group");
    }
  });

  it("adds an S3 gateway endpoint on the private and data route tables, not the public one", () => {
    for (const built of [prod, stg]) {
      const gateways = all(built, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
        (e) => e.inputs.vpcEndpointType === "Gateway",
      );
      assert.equal(gateways.length, 1);
      assert.equal(gateways[0].inputs.serviceName, `com.amazonaws.${built.model.region}.s3`);
      const expected = [...subnetsOf(built, "private"), ...subnetsOf(built, "data")].map((s) =>
        idOf(tableOf(built, s)),
      );
      assert.deepEqual([...(gateways[0].inputs.routeTableIds as string[])].sort(), [...new Set(expected)].sort());
      const publicTable = idOf(tableOf(built, subnetsOf(built, "public")[0]));
      assert.ok(!(gateways[0].inputs.routeTableIds as string[]).includes(publicTable));
    }
  });

  // Changed: the endpoints' group used to accept 443 from the shared task group; there is no shared task group
  // any more, and the network is built before the services' groups, so it accepts 443 from the VPC's CIDR.
  it("creates every interface endpoint in production's private subnets, HTTPS from inside the VPC only", () => {
    const endpoints = all(prod, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
      (e) => e.inputs.vpcEndpointType === "Interface",
    );
    assert.deepEqual(
      endpoints.map((e) => e.inputs.serviceName).sort(),
      INTERFACE_ENDPOINTS.map((e) => `com.amazonaws.ap-southeast-1.${e}`).sort(),
    );
    const privateIds = subnetsOf(prod, "private").map(idOf).sort();
    const endpointSg = named(prod, SECURITY_GROUP, "endpoints-sg");
    for (const e of endpoints) {
      assert.deepEqual([...(e.inputs.subnetIds as string[])].sort(), privateIds);
      assert.equal(e.inputs.privateDnsEnabled, true);
      assert.deepEqual(e.inputs.securityGroupIds, [idOf(endpointSg)]);
    }
    assert.deepEqual(
      rulesOf(prod.resources, "Ingress", endpointSg).map((r) => [
        r.inputs.ipProtocol,
        r.inputs.fromPort,
        r.inputs.toPort,
        r.inputs.cidrIpv4,
        r.inputs.referencedSecurityGroupId,
      ]),
      [["tcp", 443, 443, "10.20.0.0/16", undefined]],
    );
    assert.deepEqual(rulesOf(prod.resources, "Egress", endpointSg), [], "endpoints start no connection");
  });

  it("gives the endpoints' group a generated name with a readable prefix and Name tag", () => {
    const endpointSg = named(prod, SECURITY_GROUP, "endpoints-sg");
    assert.equal(
      endpointSg.inputs.name,
      undefined,
      "no fixed name: a replacement is created before the old is deleted",
    );
    assert.equal(endpointSg.inputs.namePrefix, "helium-singapore-endpoints-sg-");
    assert.deepEqual(endpointSg.inputs.tags, { Name: "helium-singapore-endpoints-sg" });
  });

  it("creates no interface endpoint (and no endpoint SG or rule) in staging", () => {
    assert.deepEqual(
      all(stg, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface"),
      [],
    );
    const network = stg.resources.find((r) => r.type === NETWORK);
    assert.ok(network);
    const networkChildren = stg.resources.filter((r) => r.parent === network.urn);
    assert.deepEqual(
      networkChildren.filter((r) => r.type === SECURITY_GROUP || r.type === INGRESS).map((r) => r.name),
      [],
    );
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

  it("names the VPC and subnets readably, scoped to region and environment (Name tags)", () => {
    const vpc = named(stg, "aws:ec2/vpc:Vpc", "vpc");
    assert.equal((vpc.inputs.tags as Record<string, string>).Name, "helium-mumbai-staging-vpc");
    assert.equal(
      (named(prod, "aws:ec2/vpc:Vpc", "vpc").inputs.tags as Record<string, string>).Name,
      "helium-singapore-vpc",
    );
    for (const subnet of subnetsOf(stg, "private"))
      assert.match((subnet.inputs.tags as Record<string, string>).Name, /^helium-mumbai-staging-private-subnet-\d$/);
  });
});
