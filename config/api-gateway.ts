/**
 * Settings of the API Gateway entry (`helium:entry: apiGateway`, key `helium:apiGateway`): stage throttling,
 * the Route 53 health checks that drive latency-record failover, the throttling alarm and an optional JWT
 * authoriser. Limits are the documented ones; each cites its page.
 */
import { z } from "zod";
import { ACCOUNT_THROTTLE_BURST_LIMIT, ACCOUNT_THROTTLE_RATE_LIMIT } from "../lib/aws-constraints";
import { serviceName, strictObject } from "./primitives";

/**
 * Route 53 health checkers probe every 10 or 30 seconds ("RequestInterval", CreateHealthCheck), and count
 * 1-10 consecutive failures before an endpoint is unhealthy ("FailureThreshold"):
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
 */
export const HEALTH_CHECK_INTERVALS = [10, 30] as const;

/** A path API Gateway can route and Route 53 can probe: `/` then URL path characters, no query. */
const requestPath = z
  .string()
  .max(255, { error: "must be at most 255 characters (Route 53 ResourcePath)" })
  .regex(/^\/[A-Za-z0-9._~\-/]*$/, {
    error: "must be a path starting with / made of letters, digits and . _ ~ - / (no query string), e.g. /api/health",
  });

const jwtAuthorizerSchema = strictObject({
  issuer: z
    .string()
    .max(2048, { error: "must be at most 2048 characters (JwtConfiguration.Issuer)" })
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return url.protocol === "https:" && url.hostname !== "";
        } catch {
          return false;
        }
      },
      { error: "must be an https URL, e.g. https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_AbCdEf123" },
    )
    .describe(
      "Issuer (iss) of the tokens, an https URL; API Gateway reads its keys from <issuer>/.well-known/openid-configuration. Required.",
    ),
  audience: z
    .array(z.string().min(1, { error: "must not be empty" }))
    .min(1, { error: "at least one audience: a token is valid only when its aud (or client_id) matches one" })
    .refine((list) => new Set(list).size === list.length, { error: "lists an audience twice" })
    .describe("Audiences (aud or client_id) accepted; a token must match at least one. Required."),
  services: z
    .array(serviceName)
    .min(1, { error: "name at least one service, or leave the key out to protect every routed service" })
    .refine((list) => new Set(list).size === list.length, { error: "lists a service twice" })
    .optional()
    .describe(
      "Services whose routes require a valid JWT. Defaults to every service with routes (the health-check route stays open).",
    ),
});
export type JwtAuthorizerConfig = z.infer<typeof jwtAuthorizerSchema>;

export const apiGatewaySchema = strictObject({
  throttlingRateLimit: z
    .number()
    .positive({ error: "must be above 0: a rate of 0 rejects every request" })
    .max(ACCOUNT_THROTTLE_RATE_LIMIT, {
      error: `must be at most ${ACCOUNT_THROTTLE_RATE_LIMIT}, the account's default per-Region throttle (API Gateway quotas)`,
    })
    .default(ACCOUNT_THROTTLE_RATE_LIMIT / 2)
    .describe(
      `Stage steady-state limit in requests per second, per region. Defaults to ${ACCOUNT_THROTTLE_RATE_LIMIT / 2}: half the account's per-Region quota, so one environment cannot starve the other APIs of the account.`,
    ),
  throttlingBurstLimit: z
    .number()
    .int({ error: "must be a whole number of requests" })
    .min(1, { error: "must be at least 1: a burst of 0 rejects every request" })
    .max(ACCOUNT_THROTTLE_BURST_LIMIT, {
      error: `must be at most ${ACCOUNT_THROTTLE_BURST_LIMIT}, the account's default per-Region burst (API Gateway quotas)`,
    })
    .default(ACCOUNT_THROTTLE_BURST_LIMIT / 2)
    .describe(
      `Stage burst (token-bucket capacity), per region. Defaults to ${ACCOUNT_THROTTLE_BURST_LIMIT / 2}: half the account's per-Region burst.`,
    ),
  healthCheckPath: requestPath
    .default("/api/health")
    .describe(
      "Path Route 53 probes on each region's own API name (HTTPS, 2xx/3xx = healthy); always routed without authorisation. Defaults to /api/health.",
    ),
  healthCheckIntervalSeconds: z
    .union([z.literal(HEALTH_CHECK_INTERVALS[0]), z.literal(HEALTH_CHECK_INTERVALS[1])], {
      error: "must be 10 (fast, billed extra) or 30 seconds (Route 53 RequestInterval)",
    })
    .default(30)
    .describe(
      "Seconds between Route 53 health checks: 10 (fast, billed as an optional feature) or 30. Defaults to 30.",
    ),
  healthCheckFailureThreshold: z
    .number()
    .int()
    .min(1, { error: "must be 1-10 (Route 53 FailureThreshold)" })
    .max(10, { error: "must be 1-10 (Route 53 FailureThreshold)" })
    .default(3)
    .describe("Consecutive failed checks before a region is unhealthy and leaves DNS answers. Defaults to 3."),
  throttledRequestsAlarmThreshold: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      "Throttled requests (429 from stage throttling) per alarm period, per region, above which an alarm fires. Defaults to 0 (any sustained throttling).",
    ),
  jwtAuthorizer: jwtAuthorizerSchema
    .optional()
    .describe("JWT authoriser on the HTTP API's routes (issuer, audience, services). Defaults to none."),
});
export type ApiGatewayConfig = z.infer<typeof apiGatewaySchema>;
