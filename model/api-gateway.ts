/**
 * Resolve step of the API Gateway entry (`helium:entry: apiGateway`): config, the environment's API and
 * host names and its services' routes become an {@link ApiGatewayModel}. Pure; problems are returned, with
 * `helium:` keys, for the environment's resolve step to throw together with its own.
 */
import { type ApiGatewayConfig, apiGatewaySchema } from "../config/api-gateway";
import { httpApiRoutes } from "../lib/http-api-routes";
import type { Problem } from "../lib/input-error";
import { environmentNames, regionNames } from "../lib/physical-names";
import { regionInfo } from "../lib/regions";
import type { ApiGatewayModel } from "./types/edge";
import type { ServiceModel } from "./types/service";

/** A DNS label is at most 63 characters (RFC 1035). */
const MAX_LABEL = 63;

/**
 * The label of a region's own API name: `<apiRecordName>-<region short>`, e.g. `api-mum` in production (a
 * name `*.<domain>` covers) and `api-dev-mum` elsewhere. Its health check probes this name: the shared API
 * name resolves to whichever region DNS picks, so it cannot test one region.
 */
export function regionalApiLabel(apiRecordName: string, region: string): string {
  return `${apiRecordName}-${regionInfo(region).short}`;
}

export interface ApiGatewayInput {
  readonly environment: string;
  readonly domain: string;
  readonly hostedZoneId: string;
  readonly apiRecordName: string;
  readonly apiFqdn: string;
  /** Every host services route on, lower-case (the API name among them or not). */
  readonly routedHosts: readonly string[];
  /** `helium:apiGateway` as parsed; undefined takes every default. */
  readonly config: ApiGatewayConfig | undefined;
  /** Environment regions, home first. */
  readonly regions: readonly string[];
  /** The home region's resolved services (routes and priorities are the same in every region). */
  readonly services: readonly ServiceModel[];
  readonly logRetentionDays: number;
}

/** The API Gateway entry's model, or the problems that prevent it. */
export function resolveApiGateway(input: ApiGatewayInput): { model: ApiGatewayModel; problems: Problem[] } {
  const config = input.config ?? apiGatewaySchema.parse({});
  const problems: Problem[] = [];
  const routed = input.services.filter((s) => s.routes.length > 0);
  const jwt = config.jwtAuthorizer;
  const protectedServices = new Set(jwt === undefined ? [] : (jwt.services ?? routed.map((s) => s.name)));
  const translation = httpApiRoutes(
    Object.fromEntries(routed.map((s) => [s.name, { routes: s.routes }])),
    protectedServices,
    config.healthCheckPath,
  );
  for (const p of translation.problems) problems.push({ ...p, key: `helium:services.${p.key}` });

  const regions = input.regions.map((region) => {
    const label = regionalApiLabel(input.apiRecordName, region);
    if (label.length > MAX_LABEL) {
      problems.push({
        key: "helium:apiRecordName",
        value: input.apiRecordName,
        allowed: `a label short enough that ${label} (the region's own API name) fits ${MAX_LABEL} characters`,
      });
    }
    const names = regionNames(input.environment, region);
    return {
      region,
      regionalFqdn: `${label}.${input.domain}`,
      apiName: environmentNames(input.environment, input.regions[0]).httpApi,
      vpcLinkName: names.vpcLink,
      vpcLinkSecurityGroup: names.vpcLinkSecurityGroup,
      accessLogGroup: names.apiAccessLogGroup,
    };
  });

  return {
    model: {
      apiFqdn: input.apiFqdn,
      hostedZoneId: input.hostedZoneId,
      hostNames: input.routedHosts.filter((h) => h !== input.apiFqdn),
      routes: translation.routes,
      throttling: { rateLimit: config.throttlingRateLimit, burstLimit: config.throttlingBurstLimit },
      healthCheck: {
        path: config.healthCheckPath,
        intervalSeconds: config.healthCheckIntervalSeconds,
        failureThreshold: config.healthCheckFailureThreshold,
      },
      ...(jwt !== undefined ? { jwtAuthorizer: { issuer: jwt.issuer, audience: [...jwt.audience] } } : {}),
      throttledRequestsAlarmThreshold: config.throttledRequestsAlarmThreshold,
      logRetentionDays: input.logRetentionDays,
      regions,
    },
    problems,
  };
}
