/**
 * ApiGatewayEdge: the API Gateway entry of an environment (`helium:entry: apiGateway`, docs/entry.md) — one
 * {@link RegionalHttpApi} per region, all serving the same API name (and routed hosts) behind Route 53 latency
 * records, each region's records guarded by a health check on that region's own API name.
 *
 * Global Accelerator cannot front API Gateway (its endpoints are NLBs, ALBs, EC2 instances and Elastic IPs:
 * https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints.html), so failover is DNS failover:
 * a region leaves the answers after interval × threshold failed checks, and clients follow within the
 * record's TTL (docs/entry.md, "Failover").
 */
import * as pulumi from "@pulumi/pulumi";
import { InputError, type Problem } from "../../lib/input-error";
import type { ApiGatewayModel } from "../../model/types";
import { type HttpApiFoundation, RegionalHttpApi, regionalHttpApiProblems } from "./RegionalHttpApi";

export interface ApiGatewayEdgeArgs {
  readonly environment: string;
  /** The resolved entry (model/api-gateway.ts). */
  readonly model: ApiGatewayModel;
  /** One foundation per `model.regions` entry, in the same order; HeliumRegion provides them. */
  readonly regions: readonly HttpApiFoundation[];
  /** Tags on every taggable child. Defaults to none. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Every rule the edge's args must meet (each region's own rules are RegionalHttpApi's). */
export function apiGatewayEdgeProblems(args: ApiGatewayEdgeArgs): Problem[] {
  const expected = args.model.regions.map((r) => r.region);
  const given = args.regions.map((r) => r.region);
  if (expected.length === 0) return [{ key: "model.regions", value: [], allowed: "at least one region" }];
  return JSON.stringify(expected) === JSON.stringify(given)
    ? []
    : [{ key: "regions", value: given, allowed: `one foundation per model region, in order: ${expected.join(", ")}` }];
}

export class ApiGatewayEdge extends pulumi.ComponentResource {
  /** Fully qualified API name, e.g. `api-dev.he2.site`. */
  readonly apiFqdn: string;
  /** Each region's HTTP API, by region code. */
  readonly regions: Readonly<Record<string, RegionalHttpApi>>;

  constructor(name: string, args: ApiGatewayEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = apiGatewayEdgeProblems(args);
    if (problems.length > 0) throw new InputError(`ApiGatewayEdge ${name}`, problems);
    // Each region's checks run before anything is registered, so one bad region registers nothing at all.
    args.model.regions.forEach((region, i) => {
      const regional = { environment: args.environment, model: args.model, region, foundation: args.regions[i] };
      const regionProblems = regionalHttpApiProblems(regional);
      if (regionProblems.length > 0)
        throw new InputError(
          `ApiGatewayEdge ${name}`,
          regionProblems.map((p) => ({ ...p, key: `regions[${i}].${p.key}` })),
        );
    });
    super("helium:index:ApiGatewayEdge", name, {}, opts);
    this.apiFqdn = args.model.apiFqdn;
    const regions: Record<string, RegionalHttpApi> = {};
    args.model.regions.forEach((region, i) => {
      regions[region.region] = new RegionalHttpApi(
        `${name}-${region.region}`,
        {
          environment: args.environment,
          model: args.model,
          region,
          foundation: args.regions[i],
          ...(args.tags !== undefined ? { tags: args.tags } : {}),
        },
        { parent: this },
      );
    });
    this.regions = regions;
    this.registerOutputs({
      apiFqdn: this.apiFqdn,
      apiIds: Object.fromEntries(Object.entries(regions).map(([code, r]) => [code, r.apiId])),
    });
  }
}
