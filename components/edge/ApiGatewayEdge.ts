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
import type { ApiGatewayModel } from "../../model/types/edge";
import { GLOBAL_EDGE_TYPE, globalEdgeRecordName } from "./GlobalEdge";
import { type HttpApiFoundation, RegionalHttpApi, regionalHttpApiProblems } from "./RegionalHttpApi";

export interface ApiGatewayEdgeArgs {
  readonly environment: string;
  /** The resolved entry (model/api-gateway.ts). */
  readonly model: ApiGatewayModel;
  /** One foundation per `model.regions` entry, in the same order; HeliumRegion provides them. */
  readonly regions: readonly HttpApiFoundation[];
  /** Tags on every taggable child. Defaults to none. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Name of the GlobalEdge this environment had before it switched entry (`<env>-edge`): the first region's
   * latency records take over that component's alias records (see {@link formerRecordAliases}). Defaults to
   * none: nothing to take over.
   */
  readonly formerEdgeName?: string;
  /** What must be ready before DNS sends traffic to the APIs: the services. Defaults to none. */
  readonly trafficAfter?: readonly pulumi.Resource[];
}

/**
 * The aliases that let the first region's latency records take over a GlobalEdge's plain alias records of the
 * same names. Route 53 refuses a latency record beside a plain record of the same name and type, and Pulumi
 * deletes removed resources last, so new latency records would fail while the old ones exist; as the same
 * resources, each is updated in one change batch instead. Later regions' records wait for these.
 */
export function formerRecordAliases(
  formerEdgeName: string,
  model: Pick<ApiGatewayModel, "apiFqdn" | "hostNames">,
): Record<string, pulumi.Alias> {
  const parent = pulumi.createUrn(formerEdgeName, GLOBAL_EDGE_TYPE);
  return Object.fromEntries(
    [model.apiFqdn, ...model.hostNames].map((host) => [
      host,
      { name: globalEdgeRecordName(formerEdgeName, model, host), parent },
    ]),
  );
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
    let first: RegionalHttpApi | undefined;
    args.model.regions.forEach((region, i) => {
      const api = new RegionalHttpApi(
        `${name}-${region.region}`,
        {
          environment: args.environment,
          model: args.model,
          region,
          foundation: args.regions[i],
          ...(args.tags !== undefined ? { tags: args.tags } : {}),
          ...(first === undefined && args.formerEdgeName !== undefined
            ? { formerRecords: formerRecordAliases(args.formerEdgeName, args.model) }
            : {}),
          recordsAfter: [...(args.trafficAfter ?? []), ...Object.values(first?.latencyRecords ?? {})],
        },
        { parent: this },
      );
      first ??= api;
      regions[region.region] = api;
    });
    this.regions = regions;
    this.registerOutputs({
      apiFqdn: this.apiFqdn,
      apiIds: Object.fromEntries(Object.entries(regions).map(([code, r]) => [code, r.apiId])),
    });
  }
}
