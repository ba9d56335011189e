/**
 * GlobalEdge: one Global Accelerator per environment in front of every regional ALB, and the Route 53 alias
 * record of the API name pointing at it (the seed's design).
 *
 * - One accelerator (IPv4, two anycast IPs) with one TCP listener for ports 80 and 443.
 * - One endpoint group per region, holding that region's ALB with client IP preservation, at the region's
 *   traffic dial. With `model.albIngressOnlyFromAccelerator`, the ALB's group is opened to the
 *   `GlobalAccelerator` group GA creates in that VPC (docs/security.md).
 * - A simple-routing alias A record for the API name, and one for every host a service routes on. No latency or geo routing on top: the accelerator already routes to the
 *   nearest healthy region, and DNS policies would only add TTL delays to failover.
 *
 * Health: for ALB endpoints, Global Accelerator uses the load balancer's own target health; the endpoint
 * group's health-check settings apply only to EC2 and Elastic IP endpoints (AWS Global Accelerator guide,
 * "Health check options": "For Application Load Balancer or Network Load Balancer endpoints, you configure
 * health checks by using the Elastic Load Balancing console"). They are therefore not set here; failover
 * speed comes from the target groups' checks (README "Failover").
 *
 * Global Accelerator and Route 53 are global services: their resources carry no region. The optional flow-log
 * bucket lives in the environment's home region.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../../lib/iam";
import { InputError, type Problem } from "../../lib/input-error";
import { awsNameError } from "../../lib/naming";
import type { EdgeModel } from "../../model/types/edge";
import { SecureBucket, expireNoncurrentVersions } from "../SecureBucket";

/** What the edge needs of a region: a HeliumRegion provides it. */
export interface EdgeRegion {
  readonly region: string;
  readonly albArn: pulumi.Input<string>;
  /** The ALB's VPC. Required with `model.albIngressOnlyFromAccelerator`; otherwise unused. */
  readonly vpcId?: pulumi.Input<string>;
  /** The ALB's security group. Required with `model.albIngressOnlyFromAccelerator`; otherwise unused. */
  readonly albSecurityGroupId?: pulumi.Input<string>;
}

/**
 * The name Global Accelerator gives the security group it creates in a VPC once an endpoint there preserves
 * client IPs; fixed by AWS (GA guide, "Best practices for client IP preservation"; CDK's lookup filters on it).
 */
export const ACCELERATOR_SECURITY_GROUP_NAME = "GlobalAccelerator";

export interface GlobalEdgeArgs {
  /** The resolved edge (model/environment.ts). */
  readonly model: EdgeModel;
  /** The regions to serve, one per `model.endpointGroups` entry. The first is the home region (flow-log bucket). */
  readonly regions: readonly EdgeRegion[];
  readonly account: string;
  /** Protect the flow-log bucket from deletion. Defaults to false. */
  readonly protect?: boolean;
}

/** Every rule the edge's args must meet. */
export function globalEdgeProblems(args: GlobalEdgeArgs): Problem[] {
  const problems: Problem[] = [];
  const codes = args.regions.map((r) => r.region);
  if (codes.length === 0) problems.push({ key: "regions", value: [], allowed: "at least one region" });
  codes.forEach((code, i) => {
    if (codes.indexOf(code) !== i) problems.push({ key: `regions[${i}]`, value: code, allowed: "each region once" });
  });
  const groups = args.model.endpointGroups.map((g) => g.region);
  if (JSON.stringify(groups) !== JSON.stringify(codes)) {
    problems.push({
      key: "model.endpointGroups",
      value: groups,
      allowed: `one group per region, in order: ${codes.join(", ")}`,
    });
  }
  args.model.endpointGroups.forEach((g, i) => {
    if (!(g.trafficDialPercent >= 0 && g.trafficDialPercent <= 100)) {
      problems.push({
        key: `model.endpointGroups[${i}].trafficDialPercent`,
        value: g.trafficDialPercent,
        allowed: "0-100",
      });
    }
  });
  if (args.model.albIngressOnlyFromAccelerator === true) {
    args.regions.forEach((r, i) => {
      for (const key of ["vpcId", "albSecurityGroupId"] as const)
        if (r[key] === undefined)
          problems.push({
            key: `regions[${i}].${key}`,
            value: undefined,
            allowed: "the region's value: model.albIngressOnlyFromAccelerator opens its ALB group to the accelerator",
          });
    });
  }
  const nameError = awsNameError("acceleratorName", args.model.acceleratorName);
  if (nameError !== undefined)
    problems.push({ key: "model.acceleratorName", value: args.model.acceleratorName, allowed: nameError });
  if (args.model.flowLogBucket !== undefined) {
    const bucketError = awsNameError("s3Bucket", args.model.flowLogBucket);
    if (bucketError !== undefined)
      problems.push({ key: "model.flowLogBucket", value: args.model.flowLogBucket, allowed: bucketError });
  }
  return problems;
}

/** The component's type token; the API Gateway entry takes over its DNS records by it (components/edge/ApiGatewayEdge.ts). */
export const GLOBAL_EDGE_TYPE = "helium:index:GlobalEdge";

/** Logical name of the alias record a GlobalEdge named `edgeName` writes for `host` (the API name or a routed host). */
export function globalEdgeRecordName(edgeName: string, model: Pick<EdgeModel, "apiFqdn">, host: string): string {
  return host === model.apiFqdn ? `${edgeName}-api-record` : `${edgeName}-host-${host}`;
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
    const problems = globalEdgeProblems(args);
    if (problems.length > 0) throw new InputError(`GlobalEdge ${name}`, problems);
    super(GLOBAL_EDGE_TYPE, name, {}, opts);
    const { model, account } = args;
    const child = { parent: this };

    let flowLogs: SecureBucket | undefined;
    if (model.flowLogBucket !== undefined) {
      flowLogs = new SecureBucket(
        `${name}-flow-logs`,
        {
          region: args.regions[0].region,
          bucketName: model.flowLogBucket,
          generatedName: model.generatedBucketName,
          forceDestroy: !(args.protect ?? false),
          versioned: true,
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
        { parent: this, protect: args.protect ?? false },
      );
      new aws.s3.BucketLifecycleConfiguration(
        `${name}-flow-logs-lifecycle`,
        { region: args.regions[0].region, bucket: flowLogs.bucketName, rules: expireNoncurrentVersions() },
        { parent: this, dependsOn: flowLogs.versioning ? [flowLogs.versioning] : [] },
      );
      this.flowLogBucketName = flowLogs.bucketName;
    }

    const accelerator = new aws.globalaccelerator.Accelerator(
      `${name}-accelerator`,
      {
        name: model.acceleratorName,
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
    args.regions.forEach((region, i) => {
      const endpointGroup = new aws.globalaccelerator.EndpointGroup(
        `${name}-${region.region}`,
        {
          listenerArn: listener.arn,
          endpointGroupRegion: region.region,
          trafficDialPercentage: model.endpointGroups[i].trafficDialPercent,
          endpointConfigurations: [{ endpointId: region.albArn, clientIpPreservationEnabled: true, weight: 128 }],
        },
        child,
      );
      if (model.albIngressOnlyFromAccelerator === true) this.acceptFromAccelerator(name, region, endpointGroup);
    });
    const record = new aws.route53.Record(
      globalEdgeRecordName(name, model, model.apiFqdn),
      {
        zoneId: model.hostedZoneId,
        name: model.apiFqdn,
        type: "A",
        aliases: [{ name: accelerator.dnsName, zoneId: accelerator.hostedZoneId, evaluateTargetHealth: true }],
      },
      child,
    );

    // Hosts that services route on get the same alias, so a host-routed service is reachable by its name.
    for (const host of model.hostRecords) {
      new aws.route53.Record(
        globalEdgeRecordName(name, model, host),
        {
          zoneId: model.hostedZoneId,
          name: host,
          type: "A",
          aliases: [{ name: accelerator.dnsName, zoneId: accelerator.hostedZoneId, evaluateTargetHealth: true }],
        },
        child,
      );
    }

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

  /**
   * Opens the region's ALB group on 80 and 443 to the `GlobalAccelerator` group, the source of all traffic
   * GA forwards with client IP preservation (GA guide: that group may be used "as a source group in other
   * security groups that you maintain"). GA creates the group with the endpoint, so it is looked up after
   * the endpoint group (an invoke with `dependsOn`): at a first preview the lookup does not run and the
   * rules show an unknown source, and nothing is registered inside an apply. The rules depend on the
   * endpoint group through the lookup, so a destroy removes them first. The group itself is GA's: never
   * modified here, never deleted by GA (docs/security.md, "ALB ingress from the accelerator only").
   */
  private acceptFromAccelerator(name: string, region: EdgeRegion, endpointGroup: aws.globalaccelerator.EndpointGroup) {
    const acceleratorGroup = aws.ec2.getSecurityGroupOutput(
      { region: region.region, vpcId: region.vpcId, name: ACCELERATOR_SECURITY_GROUP_NAME },
      { parent: this, dependsOn: [endpointGroup] },
    );
    for (const port of [80, 443]) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-${region.region}-alb-in-${port}`,
        {
          region: region.region,
          securityGroupId: region.albSecurityGroupId as pulumi.Input<string>,
          referencedSecurityGroupId: acceleratorGroup.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          description: `${port === 443 ? "HTTPS" : "HTTP (redirected to HTTPS)"} from Global Accelerator only`,
        },
        { parent: this },
      );
    }
  }
}
