/**
 * The resolved model (how traffic enters: Global Accelerator or API Gateway): plain data produced by the pure resolve step (model/*.ts) from validated
 * config and the referenced stacks' outputs, and consumed by components. Every physical name, CIDR,
 * priority, port, key and threshold is decided in the resolve step; components derive nothing that can fail.
 * Nothing here is a Pulumi Output.
 */
import type { HttpApiRoute } from "../../lib/http-api-routes";

/** The accelerator, its DNS name and the endpoint groups. */
export interface EdgeModel {
  readonly acceleratorName: string;
  /** Fully qualified API name, e.g. `api.he2.site`. */
  readonly apiFqdn: string;
  readonly hostedZoneId: string;
  /** Host names that services route on (other than the API name): each gets an alias record to the accelerator. */
  readonly hostRecords: readonly string[];
  /** The flow-log bucket in the home region; absent when flow logs are off. */
  readonly flowLogBucket?: string;
  /** The flow-log bucket's name is generated from `flowLogBucket` (outside production). */
  readonly generatedBucketName: boolean;
  readonly endpointGroups: readonly { readonly region: string; readonly trafficDialPercent: number }[];
  /**
   * Open each region's ALB group to the `GlobalAccelerator` security group GA creates in that VPC (ports 80
   * and 443), looked up once the endpoint group exists; the region then has no 0.0.0.0/0 ingress (RegionModel
   * `loadBalancer.acceptOnlyFromAccelerator`). Defaults to false.
   */
  readonly albIngressOnlyFromAccelerator?: boolean;
}

/** One region's HTTP API, VPC link and DNS names (entry apiGateway). */
export interface ApiGatewayRegionModel {
  readonly region: string;
  /** This region's own API name, e.g. `api-dev-mum.he2.site`: its health check probes it, nothing else routes to it. */
  readonly regionalFqdn: string;
  readonly apiName: string;
  readonly vpcLinkName: string;
  /** Readable prefix of the VPC link's security group (its physical name is generated). */
  readonly vpcLinkSecurityGroup: string;
  /** Access-log group of the stage, encrypted with the region's key. */
  readonly accessLogGroup: string;
}

/** The API Gateway entry: an HTTP API per region behind latency-routed, health-checked DNS (docs/entry.md). */
export interface ApiGatewayModel {
  /** The environment's API name, served by every region, e.g. `api-dev.he2.site`. */
  readonly apiFqdn: string;
  readonly hostedZoneId: string;
  /** Host names services route on (other than the API name): each gets a custom domain and latency records per region. */
  readonly hostNames: readonly string[];
  /** Health route first, `$default` last (lib/http-api-routes.ts). */
  readonly routes: readonly HttpApiRoute[];
  /** Stage throttling per region: steady requests per second and burst. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly healthCheck: {
    readonly path: string;
    readonly intervalSeconds: 10 | 30;
    readonly failureThreshold: number;
  };
  /** Present when routes require a JWT. */
  readonly jwtAuthorizer?: { readonly issuer: string; readonly audience: readonly string[] };
  /** Throttled requests per alarm period above which the region's alarm fires. */
  readonly throttledRequestsAlarmThreshold: number;
  readonly logRetentionDays: number;
  /** One per environment region, in order. */
  readonly regions: readonly ApiGatewayRegionModel[];
}
