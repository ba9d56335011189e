/**
 * HeliumRegion: everything one region needs before services run.
 *
 * - Network: VPC, public / private (app) / data subnets across ≥2 AZs, IGW, NAT (per AZ or single),
 *   route tables (data subnets have no internet route), flow logs, S3 gateway endpoint, optional
 *   interface endpoints.
 * - Security groups chained by reference: ALB → tasks → Redis; the VPC's default SG is emptied.
 * - Edge: internet-facing ALB (HTTPS with a DNS-validated ACM certificate, HTTP → HTTPS redirect,
 *   invalid headers dropped, access logs), default 404 so services attach listener rules.
 * - ECS cluster with Container Insights; SQS work queue + DLQ; ElastiCache (Valkey/Redis) with AUTH and
 *   encryption; the files bucket; the backend secret (its REDIS_* keys filled from the cache); log groups.
 *
 * Every regional resource names its region explicitly (aws v7 `region`), so one provider serves all regions.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { PLATFORM_SECRET_KEYS, type InterfaceEndpoint, type ResolvedRegionConfig } from "../config/stacks";
import type { ServiceSpec } from "../config/services";
import { subnetLayout, type SubnetTier } from "../lib/cidr";
import { denyInsecureTransport, policyDocument, serviceTrustPolicy } from "../lib/iam";
import {
  type Environment,
  assertAwsName,
  backendSecretName,
  clusterName,
  iamRolePath,
  regionScopedName,
  regionalName,
} from "../lib/naming";
import { type RegionInfo, regionInfo } from "../lib/regions";
import { SecureBucket } from "./SecureBucket";

/** Seconds SQS keeps messages on the DLQ: 14 days, the maximum, to leave time for investigation. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 60 * 60;
/** SQS caps the visibility timeout at 12 hours. */
const MAX_VISIBILITY_TIMEOUT_SECONDS = 12 * 60 * 60;
export const REDIS_PORT = 6379;
/** Newest engine version ElastiCache offers per engine: Valkey 8.0, Redis OSS 7.1 (there is no Redis OSS 8 there). */
export const DEFAULT_ENGINE_VERSIONS: Readonly<Record<"valkey" | "redis", string>> = { valkey: "8.0", redis: "7.1" };

export interface RedisArgs {
  /** Node type. Defaults to `cache.t3.micro`, as in the seed. */
  readonly nodeType?: string;
  /** `valkey` or `redis`. Defaults to `valkey`. */
  readonly engine?: "valkey" | "redis";
  /** Engine version. Defaults to `8.0` for valkey and `7.1` for redis (Redis OSS ends at 7.1 on ElastiCache). */
  readonly engineVersion?: string;
  /** Read replicas. Defaults to 1, as in the seed; ≥1 enables automatic failover and Multi-AZ. */
  readonly replicas?: number;
  /** Days of automatic snapshots. Defaults to 7 in production, 0 elsewhere. */
  readonly snapshotRetentionDays?: number;
}

export interface QueueArgs {
  /** Receives before a message moves to the DLQ. Defaults to 5. */
  readonly maxReceiveCount?: number;
  /** Longest a worker spends on one message; visibility timeout = 6 × this (AWS guidance). Defaults to 60. */
  readonly maxProcessingSeconds?: number;
  /** Days the work queue keeps a message. Defaults to 4. */
  readonly messageRetentionDays?: number;
}

export interface AlbArgs {
  /** Deletion protection. Defaults to true in production, false elsewhere. */
  readonly deletionProtection?: boolean;
  /** Idle connection timeout in seconds. Defaults to 60. */
  readonly idleTimeoutSeconds?: number;
  /** TLS policy of the HTTPS listener. Defaults to `ELBSecurityPolicy-TLS13-1-2-2021-06` (TLS 1.3 + 1.2). */
  readonly sslPolicy?: string;
}

export interface HeliumRegionArgs {
  /** Environment the region belongs to; it is part of every name outside production. */
  readonly environment: Environment;
  /** The region and its network layout (config/stacks.ts `ResolvedRegionConfig`). */
  readonly network: ResolvedRegionConfig;
  /** Hosted zone that holds the certificate's DNS validation records. */
  readonly hostedZoneId: pulumi.Input<string>;
  /** Certificate subject, e.g. `he2.site`. */
  readonly certificateDomain: pulumi.Input<string>;
  /** Certificate alternative names, e.g. `["*.he2.site"]`. Defaults to none. */
  readonly certificateAlternativeNames?: pulumi.Input<string>[];
  /**
   * Create the certificate's validation CNAMEs. ACM uses the same record for a name in every region of an
   * account, so exactly one region of an environment creates it. Defaults to true.
   */
  readonly createValidationRecords?: boolean;
  /** Services that will run here: their ports open the task SG to the ALB and each gets a log group. */
  readonly services: Readonly<Record<string, ServiceSpec>>;
  /** Origins allowed by the files bucket's CORS rules (the seed: https://he2.site, https://www.he2.site). */
  readonly appOrigins: pulumi.Input<pulumi.Input<string>[]>;
  /** Extra key/values of the backend secret. Defaults to none. */
  readonly appSecrets?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Cache settings. Defaults as documented on {@link RedisArgs}. */
  readonly redis?: RedisArgs;
  /** Work-queue settings. Defaults as documented on {@link QueueArgs}. */
  readonly queue?: QueueArgs;
  /** Load balancer settings. Defaults as documented on {@link AlbArgs}. */
  readonly alb?: AlbArgs;
  /** Retention of service and flow log groups, in days. Defaults to 30. */
  readonly logRetentionDays?: number;
  /** Protect stateful resources (bucket, cache, secret, queues) from deletion. Defaults to true in production. */
  readonly protect?: boolean;
}

export interface LogGroupRef {
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
}

/** Validates arguments that AWS would reject; throws before any resource exists. */
export function validateHeliumRegionArgs(name: string, args: HeliumRegionArgs): void {
  const { region, vpcCidr, availabilityZones } = args.network;
  let info: RegionInfo;
  try {
    info = regionInfo(region);
  } catch (error) {
    throw new Error(`HeliumRegion ${name}: network.region: ${(error as Error).message}`);
  }
  if (availabilityZones.length < 2) {
    throw new Error(
      `HeliumRegion ${name}: network.availabilityZones has ${availabilityZones.length} zone(s) (${availabilityZones.join(", ") || "none"}); at least 2 are required for ALB, NAT and Redis failover`,
    );
  }
  for (const az of availabilityZones) {
    if (!info.azLetters.some((letter) => `${region}${letter}` === az)) {
      throw new Error(
        `HeliumRegion ${name}: network.availabilityZones contains "${az}", not a zone of ${region}; allowed: ${info.azLetters.map((l) => region + l).join(", ")}`,
      );
    }
  }
  const duplicate = availabilityZones.find((az, i) => availabilityZones.indexOf(az) !== i);
  if (duplicate !== undefined) {
    // The ALB needs subnets in distinct AZs, and two NATs in one AZ would not survive its outage.
    throw new Error(
      `HeliumRegion ${name}: network.availabilityZones lists "${duplicate}" twice; each zone may appear once`,
    );
  }
  try {
    subnetLayout(vpcCidr, availabilityZones.length);
  } catch (error) {
    throw new Error(`HeliumRegion ${name}: network.vpcCidr: ${(error as Error).message}`);
  }
  const nodeType = args.redis?.nodeType ?? "cache.t3.micro";
  if (!/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(nodeType)) {
    throw new Error(
      `HeliumRegion ${name}: redis.nodeType "${nodeType}" is not an ElastiCache node type; expected cache.<family>.<size>, e.g. cache.t3.micro`,
    );
  }
  const replicas = args.redis?.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > 5) {
    throw new Error(`HeliumRegion ${name}: redis.replicas ${replicas} is outside 0-5`);
  }
  const env = args.environment;
  assertAwsName("s3Bucket", regionalName(env, region, "files"), `HeliumRegion ${name}: files bucket name`);
  assertAwsName("s3Bucket", regionalName(env, region, "alb-logs"), `HeliumRegion ${name}: ALB access-log bucket name`);
  assertAwsName("loadBalancer", regionalName(env, region, "alb"), `HeliumRegion ${name}: ALB name`);
  assertAwsName(
    "elasticacheReplicationGroup",
    regionalName(env, region, "redis"),
    `HeliumRegion ${name}: Redis replication group id`,
  );
  assertAwsName("iamRole", regionalName(env, region, "flow-logs"), `HeliumRegion ${name}: flow-log role name`);
  assertAwsName("ecsCluster", clusterName(env, region), `HeliumRegion ${name}: cluster name`);
  for (const service of Object.keys(args.services)) {
    assertAwsName(
      "logGroup",
      serviceLogGroupName(env, service),
      `HeliumRegion ${name}: log group of service ${service}`,
    );
  }
}

export function serviceLogGroupName(environment: Environment, service: string): string {
  return `/helium/${environment}/${service}`;
}

/** Visibility timeout from the worker's longest processing time: 6× (AWS guidance for Lambda/SQS workers), capped at 12 h. */
export function visibilityTimeoutSeconds(maxProcessingSeconds: number): number {
  return Math.min(6 * maxProcessingSeconds, MAX_VISIBILITY_TIMEOUT_SECONDS);
}

/** One region's foundation. See the module comment for what it creates. */
export class HeliumRegion extends pulumi.ComponentResource {
  readonly environment: Environment;
  readonly region: string;
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly dataSubnetIds: pulumi.Output<string>[];
  readonly natGatewayIds: pulumi.Output<string>[];
  readonly albSecurityGroupId: pulumi.Output<string>;
  readonly taskSecurityGroupId: pulumi.Output<string>;
  readonly redisSecurityGroupId: pulumi.Output<string>;
  /** Customer-managed KMS key of the region: logs, secret, files bucket and alert topic use it. */
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly certificateArn: pulumi.Output<string>;
  readonly albArn: pulumi.Output<string>;
  /** `app/<name>/<id>`: the `LoadBalancer` dimension of ALB metrics. */
  readonly albArnSuffix: pulumi.Output<string>;
  readonly albDnsName: pulumi.Output<string>;
  readonly albZoneId: pulumi.Output<string>;
  readonly httpsListenerArn: pulumi.Output<string>;
  readonly httpListenerArn: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly queueUrl: pulumi.Output<string>;
  readonly queueArn: pulumi.Output<string>;
  readonly queueName: pulumi.Output<string>;
  readonly dlqUrl: pulumi.Output<string>;
  readonly dlqArn: pulumi.Output<string>;
  readonly dlqName: pulumi.Output<string>;
  readonly redisReplicationGroupId: pulumi.Output<string>;
  readonly redisPrimaryEndpoint: pulumi.Output<string>;
  readonly redisPort: number;
  readonly filesBucketName: pulumi.Output<string>;
  readonly filesBucketArn: pulumi.Output<string>;
  /** ARN of `helium/backend/<env>`; services inject its keys with `valueFrom`. */
  readonly secretArn: pulumi.Output<string>;
  /** Keys the secret holds: the platform's REDIS_* keys plus the configured app secrets. */
  readonly secretKeys: pulumi.Output<string[]>;
  /** Log group per service, by service name. */
  readonly logGroups: Readonly<Record<string, LogGroupRef>>;

  constructor(name: string, args: HeliumRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("helium:index:HeliumRegion", name, {}, opts);
    validateHeliumRegionArgs(name, args);

    const env = args.environment;
    const region = args.network.region;
    const production = env === "production";
    const protect = args.protect ?? production;
    const retentionInDays = args.logRetentionDays ?? 30;
    const child: pulumi.CustomResourceOptions = { parent: this };
    const stateful: pulumi.CustomResourceOptions = { parent: this, protect };
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

    this.environment = env;
    this.region = region;
    this.vpcCidr = args.network.vpcCidr;
    this.availabilityZones = args.network.availabilityZones;

    // ── Encryption key ─────────────────────────────────────────────────────────────────────────────
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        region,
        description: `Helium ${env} ${region}: logs, backend secret, files bucket, alert topic`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: regionKeyPolicy(region, account),
      },
      child,
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { region, name: `alias/${regionalName(env, region, "key")}`, targetKeyId: key.keyId },
      child,
    );
    this.kmsKeyArn = key.arn;

    // ── Network ───────────────────────────────────────────────────────────────────────────────────
    const layout = subnetLayout(args.network.vpcCidr, args.network.availabilityZones.length);
    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        region,
        cidrBlock: args.network.vpcCidr,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: { Name: regionScopedName(env, region, "vpc") },
      },
      child,
    );
    this.vpcId = vpc.id;
    // The default SG allows all traffic between its members; managing it with no rules empties it (CKV2_AWS_12).
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { region, vpcId: vpc.id, tags: { Name: regionScopedName(env, region, "default-sg-locked") } },
      child,
    );

    const subnets: Record<SubnetTier, aws.ec2.Subnet[]> = { public: [], private: [], data: [] };
    for (const tier of ["public", "private", "data"] as const) {
      layout[tier].forEach((cidrBlock, i) => {
        subnets[tier].push(
          new aws.ec2.Subnet(
            `${name}-${tier}-${i + 1}`,
            {
              region,
              vpcId: vpc.id,
              cidrBlock,
              availabilityZone: args.network.availabilityZones[i],
              // Only the ALB and NAT live in public subnets and they get addresses explicitly.
              mapPublicIpOnLaunch: false,
              tags: { Name: regionScopedName(env, region, `${tier}-subnet-${i + 1}`), "helium:tier": tier },
            },
            child,
          ),
        );
      });
    }
    this.publicSubnetIds = subnets.public.map((s) => s.id);
    this.privateSubnetIds = subnets.private.map((s) => s.id);
    this.dataSubnetIds = subnets.data.map((s) => s.id);

    const igw = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { region, vpcId: vpc.id, tags: { Name: regionScopedName(env, region, "igw") } },
      child,
    );
    const publicRouteTable = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      { region, vpcId: vpc.id, tags: { Name: regionScopedName(env, region, "public-rt") } },
      child,
    );
    new aws.ec2.Route(
      `${name}-public-internet`,
      { region, routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
      child,
    );
    subnets.public.forEach((subnet, i) => {
      new aws.ec2.RouteTableAssociation(
        `${name}-public-rta-${i + 1}`,
        { region, subnetId: subnet.id, routeTableId: publicRouteTable.id },
        child,
      );
    });

    const natCount = args.network.natGateways === "perAz" ? subnets.public.length : 1;
    const natGateways = Array.from({ length: natCount }, (_, i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-eip-${i + 1}`,
        { region, domain: "vpc", tags: { Name: regionScopedName(env, region, `nat-eip-${i + 1}`) } },
        child,
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${i + 1}`,
        {
          region,
          allocationId: eip.allocationId,
          subnetId: subnets.public[i].id,
          connectivityType: "public",
          tags: { Name: regionScopedName(env, region, `nat-${i + 1}`) },
        },
        { parent: this, dependsOn: [igw] },
      );
    });
    this.natGatewayIds = natGateways.map((n) => n.id);

    // One private route table per AZ, so switching single ↔ perAz only changes routes, never associations.
    const privateRouteTables = subnets.private.map((subnet, i) => {
      const table = new aws.ec2.RouteTable(
        `${name}-private-rt-${i + 1}`,
        { region, vpcId: vpc.id, tags: { Name: regionScopedName(env, region, `private-rt-${i + 1}`) } },
        child,
      );
      new aws.ec2.Route(
        `${name}-private-egress-${i + 1}`,
        {
          region,
          routeTableId: table.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: natGateways[Math.min(i, natGateways.length - 1)].id,
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-rta-${i + 1}`,
        { region, subnetId: subnet.id, routeTableId: table.id },
        child,
      );
      return table;
    });
    // Data subnets: no internet route at all, not even through NAT.
    const dataRouteTable = new aws.ec2.RouteTable(
      `${name}-data-rt`,
      { region, vpcId: vpc.id, tags: { Name: regionScopedName(env, region, "data-rt") } },
      child,
    );
    subnets.data.forEach((subnet, i) => {
      new aws.ec2.RouteTableAssociation(
        `${name}-data-rta-${i + 1}`,
        { region, subnetId: subnet.id, routeTableId: dataRouteTable.id },
        child,
      );
    });

    const flowLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      {
        region,
        name: `/helium/${env}/vpc-flow-logs/${region}`,
        retentionInDays,
        kmsKeyId: key.arn,
      },
      child,
    );
    const flowLogRole = new aws.iam.Role(
      `${name}-flow-logs-role`,
      {
        name: regionalName(env, region, "flow-logs"),
        path: iamRolePath(env),
        description: `VPC flow logs of helium ${env} ${region} to CloudWatch Logs`,
        assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", account),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-flow-logs-write`,
      {
        role: flowLogRole.name,
        policy: policyDocument([
          {
            Sid: "WriteFlowLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [flowLogGroup.arn, pulumi.interpolate`${flowLogGroup.arn}:*`],
          },
        ]),
      },
      child,
    );
    new aws.ec2.FlowLog(
      `${name}-flow-log`,
      {
        region,
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: flowLogGroup.arn,
        iamRoleArn: flowLogRole.arn,
        maxAggregationInterval: 60,
      },
      child,
    );

    new aws.ec2.VpcEndpoint(
      `${name}-s3-endpoint`,
      {
        region,
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...privateRouteTables.map((t) => t.id), dataRouteTable.id],
        tags: { Name: regionScopedName(env, region, "s3-endpoint") },
      },
      child,
    );

    // ── Security groups, chained by reference ────────────────────────────────────────────────────────
    const albSg = new aws.ec2.SecurityGroup(
      `${name}-alb-sg`,
      {
        region,
        vpcId: vpc.id,
        name: regionScopedName(env, region, "alb-sg"),
        description: "Helium ALB: HTTP/HTTPS from the internet (Global Accelerator edge)",
        tags: { Name: regionScopedName(env, region, "alb-sg") },
      },
      child,
    );
    const taskSg = new aws.ec2.SecurityGroup(
      `${name}-task-sg`,
      {
        region,
        vpcId: vpc.id,
        name: regionScopedName(env, region, "ecs-sg"),
        description: "Helium ECS tasks: service ports from the ALB only",
        tags: { Name: regionScopedName(env, region, "ecs-sg") },
      },
      child,
    );
    const redisSg = new aws.ec2.SecurityGroup(
      `${name}-redis-sg`,
      {
        region,
        vpcId: vpc.id,
        name: regionScopedName(env, region, "redis-sg"),
        description: "Helium Redis: 6379 from ECS tasks only",
        tags: { Name: regionScopedName(env, region, "redis-sg") },
      },
      child,
    );
    this.albSecurityGroupId = albSg.id;
    this.taskSecurityGroupId = taskSg.id;
    this.redisSecurityGroupId = redisSg.id;

    const ingress = (ruleName: string, rule: aws.vpc.SecurityGroupIngressRuleArgs) =>
      new aws.vpc.SecurityGroupIngressRule(`${name}-${ruleName}`, { region, ...rule }, child);
    const egress = (ruleName: string, rule: aws.vpc.SecurityGroupEgressRuleArgs) =>
      new aws.vpc.SecurityGroupEgressRule(`${name}-${ruleName}`, { region, ...rule }, child);

    for (const portNumber of [80, 443]) {
      ingress(`alb-in-${portNumber}-v4`, {
        securityGroupId: albSg.id,
        ipProtocol: "tcp",
        fromPort: portNumber,
        toPort: portNumber,
        cidrIpv4: "0.0.0.0/0",
        description: `Public ${portNumber === 443 ? "HTTPS" : "HTTP (redirected to HTTPS)"} via Global Accelerator`,
      });
    }
    const servicePorts = [
      ...new Set(
        Object.values(args.services)
          .filter((s) => s.enabled && s.port !== undefined && s.routes.length > 0)
          .map((s) => s.port as number),
      ),
    ].sort((a, b) => a - b);
    for (const servicePort of servicePorts) {
      ingress(`task-in-${servicePort}`, {
        securityGroupId: taskSg.id,
        ipProtocol: "tcp",
        fromPort: servicePort,
        toPort: servicePort,
        referencedSecurityGroupId: albSg.id,
        description: `Service port ${servicePort} from the ALB`,
      });
      egress(`alb-out-${servicePort}`, {
        securityGroupId: albSg.id,
        ipProtocol: "tcp",
        fromPort: servicePort,
        toPort: servicePort,
        referencedSecurityGroupId: taskSg.id,
        description: `ALB to service port ${servicePort}`,
      });
    }
    ingress("redis-in", {
      securityGroupId: redisSg.id,
      ipProtocol: "tcp",
      fromPort: REDIS_PORT,
      toPort: REDIS_PORT,
      referencedSecurityGroupId: taskSg.id,
      description: "Redis from ECS tasks",
    });
    egress("task-out-redis", {
      securityGroupId: taskSg.id,
      ipProtocol: "tcp",
      fromPort: REDIS_PORT,
      toPort: REDIS_PORT,
      referencedSecurityGroupId: redisSg.id,
      description: "Tasks to Redis",
    });
    // AWS APIs (ECR, Secrets Manager, SQS, X-Ray, S3) over HTTPS, through NAT or the VPC endpoints.
    egress("task-out-https", {
      securityGroupId: taskSg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "Tasks to AWS APIs over HTTPS",
    });

    this.createInterfaceEndpoints(name, args.network.interfaceEndpoints, region, vpc, subnets.private, taskSg);

    // ── Edge: certificate, ALB, listeners ───────────────────────────────────────────────────────────
    const certificate = new aws.acm.Certificate(
      `${name}-certificate`,
      {
        region,
        domainName: args.certificateDomain,
        subjectAlternativeNames: args.certificateAlternativeNames ?? [],
        validationMethod: "DNS",
        keyAlgorithm: "RSA_2048",
        tags: { Name: regionalName(env, region, "certificate") },
      },
      { parent: this },
    );
    const validationRecordFqdns: pulumi.Output<string>[] = [];
    if (args.createValidationRecords ?? true) {
      // The apex and its wildcard share one validation record, so the first option covers both.
      const option = certificate.domainValidationOptions.apply((options) => options[0]);
      const record = new aws.route53.Record(
        `${name}-certificate-validation`,
        {
          zoneId: args.hostedZoneId,
          name: option.resourceRecordName.apply((n) => n ?? ""),
          type: option.resourceRecordType.apply((t) => t ?? "CNAME"),
          records: [option.resourceRecordValue.apply((v) => v ?? "")],
          ttl: 300,
          allowOverwrite: true,
        },
        child,
      );
      validationRecordFqdns.push(record.fqdn);
    }
    const validation = new aws.acm.CertificateValidation(
      `${name}-certificate-validation`,
      {
        region,
        certificateArn: certificate.arn,
        validationRecordFqdns,
      },
      child,
    );
    this.certificateArn = validation.certificateArn;

    const albLogs = this.createAlbLogBucket(name, env, region, account, protect);
    const albName = regionalName(env, region, "alb");
    const alb = new aws.lb.LoadBalancer(
      `${name}-alb`,
      {
        region,
        name: albName,
        internal: false,
        loadBalancerType: "application",
        securityGroups: [albSg.id],
        subnets: this.publicSubnetIds,
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.alb?.deletionProtection ?? production,
        idleTimeout: args.alb?.idleTimeoutSeconds ?? 60,
        desyncMitigationMode: "defensive",
        accessLogs: { bucket: albLogs.bucketName, prefix: "alb", enabled: true },
        // Explicit statement that this load balancer is the public edge (checked by the policy pack).
        tags: { Name: albName, "helium:exposure": "public-edge" },
      },
      { parent: this, dependsOn: [albLogs.policy] },
    );
    this.albArn = alb.arn;
    this.albArnSuffix = alb.arnSuffix;
    this.albDnsName = alb.dnsName;
    this.albZoneId = alb.zoneId;

    const https = new aws.lb.Listener(
      `${name}-https`,
      {
        region,
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: args.alb?.sslPolicy ?? "ELBSecurityPolicy-TLS13-1-2-2021-06",
        certificateArn: this.certificateArn,
        // Unrouted requests get 404; services add listener rules in front of this.
        defaultActions: [
          {
            type: "fixed-response",
            fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" },
          },
        ],
      },
      child,
    );
    const http = new aws.lb.Listener(
      `${name}-http`,
      {
        region,
        loadBalancerArn: alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      },
      child,
    );
    this.httpsListenerArn = https.arn;
    this.httpListenerArn = http.arn;

    // ── Compute ─────────────────────────────────────────────────────────────────────────────────────
    const cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      {
        region,
        name: clusterName(env, region),
        settings: [{ name: "containerInsights", value: "enabled" }],
      },
      child,
    );
    new aws.ecs.ClusterCapacityProviders(
      `${name}-capacity`,
      {
        region,
        clusterName: cluster.name,
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 1 }],
      },
      child,
    );
    this.clusterArn = cluster.arn;
    this.clusterName = cluster.name;

    // ── Work queue and DLQ ──────────────────────────────────────────────────────────────────────────
    const dlq = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        region,
        name: regionalName(env, region, "work-dlq"),
        messageRetentionSeconds: DLQ_RETENTION_SECONDS,
        sqsManagedSseEnabled: true,
      },
      stateful,
    );
    const queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        region,
        name: regionalName(env, region, "work"),
        visibilityTimeoutSeconds: visibilityTimeoutSeconds(args.queue?.maxProcessingSeconds ?? 60),
        messageRetentionSeconds: (args.queue?.messageRetentionDays ?? 4) * 24 * 60 * 60,
        receiveWaitTimeSeconds: 20, // long polling: fewer empty receives, lower cost
        sqsManagedSseEnabled: true,
        redrivePolicy: pulumi.jsonStringify({
          deadLetterTargetArn: dlq.arn,
          maxReceiveCount: args.queue?.maxReceiveCount ?? 5,
        }),
      },
      stateful,
    );
    new aws.sqs.RedriveAllowPolicy(
      `${name}-dlq-redrive-allow`,
      {
        region,
        queueUrl: dlq.url,
        redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [queue.arn] }),
      },
      child,
    );
    for (const [queueName, q] of [
      ["queue", queue],
      ["dlq", dlq],
    ] as const) {
      new aws.sqs.QueuePolicy(
        `${name}-${queueName}-tls-only`,
        {
          region,
          queueUrl: q.url,
          policy: policyDocument([denyInsecureTransport("sqs:*", [q.arn])]),
        },
        child,
      );
    }
    this.queueUrl = queue.url;
    this.queueArn = queue.arn;
    this.queueName = queue.name;
    this.dlqUrl = dlq.url;
    this.dlqArn = dlq.arn;
    this.dlqName = dlq.name;

    // ── Cache ───────────────────────────────────────────────────────────────────────────────────────
    const replicas = args.redis?.replicas ?? 1;
    const engine = args.redis?.engine ?? "valkey";
    const redisSubnets = new aws.elasticache.SubnetGroup(
      `${name}-redis-subnets`,
      {
        region,
        name: regionalName(env, region, "redis-subnets"),
        description: `Helium ${env} ${region} data subnets`,
        subnetIds: this.dataSubnetIds,
      },
      child,
    );
    // AUTH token: generated, stored only in Pulumi state (encrypted) and the backend secret.
    const authToken = new random.RandomPassword(`${name}-redis-auth`, { length: 64, special: false }, child);
    const snapshotRetention = args.redis?.snapshotRetentionDays ?? (production ? 7 : 0);
    const replicationGroupId = regionalName(env, region, "redis");
    const redis = new aws.elasticache.ReplicationGroup(
      `${name}-redis`,
      {
        region,
        replicationGroupId,
        description: `Helium ${env} cache in ${region}`,
        engine,
        engineVersion: args.redis?.engineVersion ?? DEFAULT_ENGINE_VERSIONS[engine],
        nodeType: args.redis?.nodeType ?? "cache.t3.micro",
        numCacheClusters: replicas + 1,
        automaticFailoverEnabled: replicas >= 1,
        multiAzEnabled: replicas >= 1,
        port: REDIS_PORT,
        subnetGroupName: redisSubnets.name,
        securityGroupIds: [redisSg.id],
        atRestEncryptionEnabled: true,
        kmsKeyId: key.arn,
        transitEncryptionEnabled: true,
        authToken: authToken.result,
        autoMinorVersionUpgrade: true,
        snapshotRetentionLimit: snapshotRetention,
        ...(snapshotRetention > 0 ? { finalSnapshotIdentifier: `${replicationGroupId}-final` } : {}),
      },
      stateful,
    );
    this.redisReplicationGroupId = redis.id;
    this.redisPrimaryEndpoint = redis.primaryEndpointAddress;
    this.redisPort = REDIS_PORT;

    // ── Files bucket ────────────────────────────────────────────────────────────────────────────────
    const files = this.createFilesBucket(name, env, region, key, args.appOrigins, protect);
    this.filesBucketName = files.bucketName;
    this.filesBucketArn = files.arn;

    // ── Backend secret (REDIS_* filled from the cache: no manual copy step) ─────────────────────────
    const secret = new aws.secretsmanager.Secret(
      `${name}-backend-secret`,
      {
        region,
        name: backendSecretName(env),
        description: `Helium ${env} backend configuration in ${region}. REDIS_* keys are managed by Pulumi.`,
        kmsKeyId: key.arn,
        recoveryWindowInDays: production ? 30 : 7,
      },
      stateful,
    );
    const appSecrets = pulumi.output(args.appSecrets ?? {});
    const secretValues = pulumi
      .all([redis.primaryEndpointAddress, authToken.result, appSecrets])
      .apply(([host, token, extra]) => ({
        ...extra,
        REDIS_HOST: host,
        REDIS_PORT: String(REDIS_PORT),
        REDIS_AUTH_TOKEN: token,
      }));
    new aws.secretsmanager.SecretVersion(
      `${name}-backend-secret-value`,
      {
        region,
        secretId: secret.id,
        secretString: pulumi.secret(pulumi.jsonStringify(secretValues)),
      },
      child,
    );
    this.secretArn = secret.arn;
    this.secretKeys = appSecrets.apply((extra) => [
      ...PLATFORM_SECRET_KEYS,
      ...Object.keys(extra).filter((k) => !(PLATFORM_SECRET_KEYS as readonly string[]).includes(k)),
    ]);

    // ── Log groups per service ──────────────────────────────────────────────────────────────────────
    const logGroups: Record<string, LogGroupRef> = {};
    for (const service of Object.keys(args.services)) {
      const group = new aws.cloudwatch.LogGroup(
        `${name}-${service}-logs`,
        {
          region,
          name: serviceLogGroupName(env, service),
          retentionInDays,
          kmsKeyId: key.arn,
        },
        child,
      );
      logGroups[service] = { name: group.name, arn: group.arn };
    }
    this.logGroups = logGroups;

    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      dataSubnetIds: this.dataSubnetIds,
      albArn: this.albArn,
      albDnsName: this.albDnsName,
      httpsListenerArn: this.httpsListenerArn,
      clusterArn: this.clusterArn,
      queueUrl: this.queueUrl,
      dlqUrl: this.dlqUrl,
      redisPrimaryEndpoint: this.redisPrimaryEndpoint,
      filesBucketName: this.filesBucketName,
      secretArn: this.secretArn,
    });
  }

  private createInterfaceEndpoints(
    name: string,
    endpoints: readonly InterfaceEndpoint[],
    region: string,
    vpc: aws.ec2.Vpc,
    privateSubnets: readonly aws.ec2.Subnet[],
    taskSg: aws.ec2.SecurityGroup,
  ): void {
    if (endpoints.length === 0) return;
    const endpointSg = new aws.ec2.SecurityGroup(
      `${name}-endpoints-sg`,
      {
        region,
        vpcId: vpc.id,
        name: regionScopedName(this.environment, region, "endpoints-sg"),
        description: "Helium interface endpoints: HTTPS from ECS tasks",
        tags: { Name: regionScopedName(this.environment, region, "endpoints-sg") },
      },
      { parent: this },
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-endpoints-in-https`,
      {
        region,
        securityGroupId: endpointSg.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: taskSg.id,
        description: "HTTPS from ECS tasks",
      },
      { parent: this },
    );
    for (const endpoint of endpoints) {
      new aws.ec2.VpcEndpoint(
        `${name}-${endpoint.replace(".", "-")}-endpoint`,
        {
          region,
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${region}.${endpoint}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: privateSubnets.map((s) => s.id),
          securityGroupIds: [endpointSg.id],
          tags: { Name: `helium-${endpoint}-endpoint` },
        },
        { parent: this },
      );
    }
  }

  /** ALB access logs: SSE-S3 (the only encryption ALB log delivery supports), private, TLS-only, 90-day expiry. */
  private createAlbLogBucket(
    name: string,
    env: Environment,
    region: string,
    account: pulumi.Output<string>,
    protect: boolean,
  ): SecureBucket {
    const elbAccount = regionInfo(region).elbLogDeliveryAccountId;
    const logs = new SecureBucket(
      `${name}-alb-logs`,
      {
        region,
        bucketName: regionalName(env, region, "alb-logs"),
        forceDestroy: !protect,
        policyStatements: (bucketArn) => [
          {
            Sid: "AllowAlbLogDelivery",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${elbAccount}:root` },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucketArn}/alb/AWSLogs/${account}/*`,
          },
        ],
      },
      { parent: this, protect },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-alb-logs-lifecycle`,
      {
        region,
        bucket: logs.bucketName,
        rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: 90 } }],
      },
      { parent: this },
    );
    return logs;
  }

  /** The files bucket: versioned, SSE-KMS with a bucket key, private, TLS-only, CORS for the app, old versions expire. */
  private createFilesBucket(
    name: string,
    env: Environment,
    region: string,
    key: aws.kms.Key,
    origins: pulumi.Input<pulumi.Input<string>[]>,
    protect: boolean,
  ): SecureBucket {
    const files = new SecureBucket(
      `${name}-files`,
      { region, bucketName: regionalName(env, region, "files"), kmsKeyArn: key.arn },
      { parent: this, protect },
    );
    new aws.s3.BucketVersioning(
      `${name}-files-versioning`,
      { region, bucket: files.bucketName, versioningConfiguration: { status: "Enabled" } },
      { parent: this },
    );
    new aws.s3.BucketCorsConfiguration(
      `${name}-files-cors`,
      {
        region,
        bucket: files.bucketName,
        // The seed's CORS rule, with origins from config.
        corsRules: [
          {
            allowedHeaders: ["*"],
            allowedMethods: ["GET", "PUT", "POST", "DELETE", "HEAD"],
            allowedOrigins: origins,
            exposeHeaders: ["ETag"],
            maxAgeSeconds: 3000,
          },
        ],
      },
      { parent: this },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-files-lifecycle`,
      {
        region,
        bucket: files.bucketName,
        rules: [
          {
            id: "expire-old-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: 30 },
          },
          {
            id: "abort-incomplete-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { parent: this },
    );
    return files;
  }
}

/**
 * Key policy of the regional CMK: the account administers it through IAM; CloudWatch Logs may use it for
 * this region's log groups only; CloudWatch may use it to publish alarms to the encrypted alert topic
 * (alarms cannot publish to a topic under the AWS-managed SNS key).
 */
function regionKeyPolicy(region: string, account: pulumi.Output<string>): pulumi.Output<string> {
  return policyDocument([
    {
      Sid: "AccountAdministersThroughIam",
      Effect: "Allow",
      Principal: { AWS: pulumi.interpolate`arn:aws:iam::${account}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "CloudWatchLogsForThisRegion",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:aws:logs:${region}:${account}:log-group:*`,
        },
      },
    },
    {
      Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": account } },
    },
  ]);
}
