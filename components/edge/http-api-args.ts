/**
 * What a {@link RegionalHttpApi} takes, and the rules its arguments must meet (checked before anything is
 * registered). Kept beside the component so the component holds only the resources.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_THROTTLE_BURST_LIMIT, ACCOUNT_THROTTLE_RATE_LIMIT } from "../../lib/aws-constraints";
import type { Problem } from "../../lib/input-error";
import { awsNameError } from "../../lib/naming";
import type { ApiGatewayModel, ApiGatewayRegionModel } from "../../model/types/edge";

/** HTTP APIs wait at most 30 s for an integration (API Gateway quotas, "Maximum integration timeout"). */
export const INTEGRATION_TIMEOUT_MS = 30_000;

/** What the HTTP API needs of its region's foundation; HeliumRegion provides it. */
export interface HttpApiFoundation {
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  /** Where the VPC link's network interfaces go: the private subnets, beside the internal ALB. */
  readonly privateSubnetIds: readonly pulumi.Input<string>[];
  readonly albSecurityGroupId: pulumi.Input<string>;
  readonly httpsListenerArn: pulumi.Input<string>;
  /** The region's validated certificate: it covers the API name, every routed host and the region's own name. */
  readonly certificateArn: pulumi.Input<string>;
  /** The region's customer-managed key: it encrypts the access logs. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Must be true: an HTTP API in front of an internet-facing ALB would leave a second way in. */
  readonly loadBalancerInternal: boolean;
}

export interface RegionalHttpApiArgs {
  readonly environment: string;
  /** The environment's API Gateway entry (model/api-gateway.ts). */
  readonly model: ApiGatewayModel;
  /** This region's names; one of `model.regions`. */
  readonly region: ApiGatewayRegionModel;
  readonly foundation: HttpApiFoundation;
  /** Tags on every taggable child. Defaults to none (the provider's default tags still apply). */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Per host (the API name, routed hosts), the alias of the record this region's latency record takes over:
   * the Global Accelerator entry's record of that name, when an environment switches. Route 53 refuses a
   * latency record beside a plain one of the same name, so the first region's record is that record, updated
   * in one change batch. Defaults to none.
   */
  readonly formerRecords?: Readonly<Record<string, pulumi.Alias>>;
  /**
   * What must be ready before DNS sends traffic here: the services behind the ALB, and for a later region the
   * first region's records (which replace the plain ones). Defaults to none.
   */
  readonly recordsAfter?: readonly pulumi.Resource[];
}

/** Every rule the args must meet; checked before anything is registered. */
export function regionalHttpApiProblems(args: RegionalHttpApiArgs): Problem[] {
  const problems: Problem[] = [];
  const { model, region, foundation } = args;
  if (foundation.region !== region.region)
    problems.push({
      key: "foundation.region",
      value: foundation.region,
      allowed: `the API's region, ${region.region}`,
    });
  if (!model.regions.some((r) => r.region === region.region))
    problems.push({ key: "region.region", value: region.region, allowed: "a region of model.regions" });
  if (!foundation.loadBalancerInternal)
    problems.push({
      key: "foundation.loadBalancerInternal",
      value: false,
      allowed: "true: the HTTP API must be the only way in, so the load balancer behind it is internal",
    });
  if (foundation.privateSubnetIds.length < 2)
    problems.push({ key: "foundation.privateSubnetIds", value: foundation.privateSubnetIds.length, allowed: "≥ 2" });
  const { rateLimit, burstLimit } = model.throttling;
  if (!(rateLimit > 0 && rateLimit <= ACCOUNT_THROTTLE_RATE_LIMIT))
    problems.push({
      key: "model.throttling.rateLimit",
      value: rateLimit,
      allowed: `0 < rate ≤ ${ACCOUNT_THROTTLE_RATE_LIMIT}`,
    });
  if (!(Number.isInteger(burstLimit) && burstLimit >= 1 && burstLimit <= ACCOUNT_THROTTLE_BURST_LIMIT))
    problems.push({
      key: "model.throttling.burstLimit",
      value: burstLimit,
      allowed: `an integer 1-${ACCOUNT_THROTTLE_BURST_LIMIT}`,
    });
  for (const [key, kind, value] of [
    ["region.apiName", "apiGatewayName", region.apiName],
    ["region.vpcLinkName", "apiGatewayName", region.vpcLinkName],
    ["region.accessLogGroup", "logGroup", region.accessLogGroup],
  ] as const) {
    const error = awsNameError(kind, value);
    if (error !== undefined) problems.push({ key, value, allowed: error });
  }
  if (model.routes.some((r) => r.authorization === "JWT") && model.jwtAuthorizer === undefined)
    problems.push({ key: "model.jwtAuthorizer", value: undefined, allowed: "set: some routes require a JWT" });
  return problems;
}
