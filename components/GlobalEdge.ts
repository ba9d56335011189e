/**
 * GlobalEdge: one Global Accelerator per environment in front of every regional ALB, and the Route 53
 * alias `api` record pointing at it (the seed's design).
 *
 * - One accelerator (IPv4, two anycast IPs) with one TCP listener for ports 80 and 443.
 * - One endpoint group per region, holding that region's ALB with client IP preservation. The endpoint
 *   groups are built from the HeliumRegion components themselves, so an endpoint group for a region
 *   without a HeliumRegion cannot be expressed.
 * - A simple-routing alias A record with evaluate-target-health. No latency or geo routing on top: GA
 *   already routes to the nearest healthy region, and DNS policies would only add TTL delays to failover.
 *
 * Health: for ALB endpoints, Global Accelerator judges health from the ALB's target groups, not from the
 * endpoint group's health-check settings (those apply to EC2/EIP endpoints). Failover speed therefore
 * follows the target groups' checks (HeliumService: 10 s interval × 3 failures ≈ 30 s to unhealthy), and GA
 * then shifts traffic within seconds, with no DNS change. The endpoint-group settings below are still set
 * explicitly, so that they are documented and correct if an endpoint type changes.
 *
 * Global Accelerator and Route 53 are global services: their resources carry no region. The optional flow-log
 * bucket lives in the environment's home region.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../lib/iam";
import { type Environment, assertAwsName, environmentInfix } from "../lib/naming";
import type { HeliumRegion } from "./HeliumRegion";
import { SecureBucket } from "./SecureBucket";

export interface GlobalEdgeHealthCheckArgs {
  /** Path probed over HTTPS. Defaults to `/api/health` (the backend's health path). */
  readonly path?: string;
  /** Seconds between checks, 10 or 30. Defaults to 10. */
  readonly intervalSeconds?: 10 | 30;
  /** Consecutive results that change an endpoint's health. Defaults to 3. */
  readonly thresholdCount?: number;
}

export interface GlobalEdgeArgs {
  readonly environment: Environment;
  /** The regions to serve; one endpoint group each. The first is the home region (flow-log bucket). */
  readonly regions: readonly HeliumRegion[];
  /** Traffic dial per region code, 0-100. Defaults to 100 for every region. */
  readonly trafficDialPercent?: Readonly<Record<string, number>>;
  /** Hosted zone of the domain. */
  readonly hostedZoneId: pulumi.Input<string>;
  /** Apex domain, e.g. `he2.site`. */
  readonly domain: pulumi.Input<string>;
  /** DNS label of the alias record, e.g. `api` → api.he2.site. */
  readonly recordName: string;
  /** Write flow logs to an encrypted S3 bucket. Defaults to true. */
  readonly flowLogs?: boolean;
  /** Endpoint-group health checks (see the module comment for when they apply). */
  readonly healthCheck?: GlobalEdgeHealthCheckArgs;
  /** Protect the flow-log bucket from deletion. Defaults to true in production. */
  readonly protect?: boolean;
}

/** Fails before registration on an empty or duplicated region list or a dial outside 0-100. */
export function validateGlobalEdgeArgs(name: string, args: GlobalEdgeArgs): void {
  if (args.regions.length === 0) {
    throw new Error(`GlobalEdge ${name}: regions is empty; at least one HeliumRegion is needed`);
  }
  const codes = args.regions.map((r) => r.region);
  const duplicate = codes.find((code, i) => codes.indexOf(code) !== i);
  if (duplicate) throw new Error(`GlobalEdge ${name}: regions lists ${duplicate} twice; one endpoint group per region`);
  for (const [code, dial] of Object.entries(args.trafficDialPercent ?? {})) {
    if (!codes.includes(code))
      throw new Error(
        `GlobalEdge ${name}: trafficDialPercent names ${code}, which has no HeliumRegion here (${codes.join(", ")})`,
      );
    if (!(dial >= 0 && dial <= 100))
      throw new Error(`GlobalEdge ${name}: trafficDialPercent.${code} is ${dial}; allowed: 0-100`);
  }
  const interval = args.healthCheck?.intervalSeconds ?? 10;
  if (interval !== 10 && interval !== 30)
    throw new Error(`GlobalEdge ${name}: healthCheck.intervalSeconds is ${interval}; allowed: 10 or 30`);
  const threshold = args.healthCheck?.thresholdCount ?? 3;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 10)
    throw new Error(`GlobalEdge ${name}: healthCheck.thresholdCount is ${threshold}; allowed: 1-10`);
}

export class GlobalEdge extends pulumi.ComponentResource {
  readonly acceleratorArn: pulumi.Output<string>;
  readonly dnsName: pulumi.Output<string>;
  /** The two static anycast IPv4 addresses. */
  readonly ipAddresses: pulumi.Output<string[]>;
  /** Fully qualified API name, e.g. `api.he2.site`. */
  readonly apiFqdn: pulumi.Output<string>;
  readonly flowLogBucketName?: pulumi.Output<string>;

  constructor(name: string, args: GlobalEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("helium:index:GlobalEdge", name, {}, opts);
    validateGlobalEdgeArgs(name, args);
    const env = args.environment;
    const child = { parent: this };
    const acceleratorName = assertAwsName(
      "acceleratorName",
      `helium${environmentInfix(env)}-accelerator`,
      `GlobalEdge ${name}: accelerator name`,
    );
    const homeRegion = args.regions[0].region;

    let flowLogs: SecureBucket | undefined;
    if (args.flowLogs ?? true) {
      const account = aws.getCallerIdentityOutput({}, child).accountId;
      flowLogs = new SecureBucket(
        `${name}-flow-logs`,
        {
          region: homeRegion,
          bucketName: `helium${environmentInfix(env)}-accelerator-flow-logs-${homeRegion}`,
          // Log delivery writes as delivery.logs.amazonaws.com; pinned to this account (confused deputy).
          policyStatements: (bucketArn): PolicyStatement[] => [
            {
              Sid: "AllowLogDeliveryWrite",
              Effect: "Allow",
              Principal: { Service: "delivery.logs.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: pulumi.interpolate`${bucketArn}/global-accelerator/AWSLogs/${account}/*`,
              Condition: {
                StringEquals: { "aws:SourceAccount": account, "s3:x-amz-acl": "bucket-owner-full-control" },
              },
            },
            {
              Sid: "AllowLogDeliveryAclCheck",
              Effect: "Allow",
              Principal: { Service: "delivery.logs.amazonaws.com" },
              Action: "s3:GetBucketAcl",
              Resource: bucketArn,
              Condition: { StringEquals: { "aws:SourceAccount": account } },
            },
          ],
        },
        { parent: this, protect: args.protect ?? env === "production" },
      );
      this.flowLogBucketName = flowLogs.bucketName;
    }

    const accelerator = new aws.globalaccelerator.Accelerator(
      `${name}-accelerator`,
      {
        name: acceleratorName,
        ipAddressType: "IPV4",
        enabled: true,
        attributes: flowLogs
          ? { flowLogsEnabled: true, flowLogsS3Bucket: flowLogs.bucketName, flowLogsS3Prefix: "global-accelerator/" }
          : { flowLogsEnabled: false },
      },
      { parent: this, dependsOn: flowLogs ? [flowLogs.policy] : [] },
    );

    const listener = new aws.globalaccelerator.Listener(
      `${name}-listener`,
      {
        acceleratorArn: accelerator.arn,
        protocol: "TCP",
        portRanges: [
          { fromPort: 80, toPort: 80 },
          { fromPort: 443, toPort: 443 },
        ],
        // No affinity: each connection goes to the closest healthy region.
        clientAffinity: "NONE",
      },
      child,
    );

    for (const region of args.regions) {
      new aws.globalaccelerator.EndpointGroup(
        `${name}-${region.region}`,
        {
          listenerArn: listener.arn,
          endpointGroupRegion: region.region,
          trafficDialPercentage: args.trafficDialPercent?.[region.region] ?? 100,
          healthCheckProtocol: "HTTPS",
          healthCheckPort: 443,
          healthCheckPath: args.healthCheck?.path ?? "/api/health",
          healthCheckIntervalSeconds: args.healthCheck?.intervalSeconds ?? 10,
          thresholdCount: args.healthCheck?.thresholdCount ?? 3,
          endpointConfigurations: [{ endpointId: region.albArn, clientIpPreservationEnabled: true, weight: 128 }],
        },
        child,
      );
    }

    const record = new aws.route53.Record(
      `${name}-api-record`,
      {
        zoneId: args.hostedZoneId,
        name: pulumi.interpolate`${args.recordName}.${args.domain}`,
        type: "A",
        aliases: [{ name: accelerator.dnsName, zoneId: accelerator.hostedZoneId, evaluateTargetHealth: true }],
      },
      child,
    );

    this.acceleratorArn = accelerator.arn;
    this.dnsName = accelerator.dnsName;
    this.ipAddresses = accelerator.ipSets.apply((sets) => sets.flatMap((s) => s.ipAddresses ?? []));
    this.apiFqdn = record.fqdn;
    this.registerOutputs({
      acceleratorArn: this.acceleratorArn,
      dnsName: this.dnsName,
      ipAddresses: this.ipAddresses,
      apiFqdn: this.apiFqdn,
    });
  }
}
