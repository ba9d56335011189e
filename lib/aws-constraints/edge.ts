/**
 * Edge constraints on values that come from config: ACM certificate names, Global Accelerator endpoint
 * group health checks and dials, S3 CORS origins, and the API Gateway account throttle.
 */
import { integerInRange, numberInRange } from "./ranges";

/** Longest certificate primary name (Common Name): RFC 5280 caps it at 64 octets. */
export const ACM_MAX_PRIMARY_NAME_LENGTH = 64;

/**
 * A certificate's primary domain name (RequestCertificate DomainName, the Common Name): at most 64
 * characters including dots, a DNS name whose labels are 1-63 letters, digits and hyphens (not at either
 * end), optionally `*.` first. Longer names only fit as SANs (253). Source:
 * https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html ("the length of the domain
 * name (technically, the Common Name) … cannot exceed 64 octets"); botocore `acm/2015-12-08`
 * DomainNameString (pattern; the model's max of 253 is the SAN limit).
 */
export function acmPrimaryDomainProblem(domain: string): string | undefined {
  const label = "(?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9]";
  const pattern = new RegExp(`^(?:\\*\\.)?(?:${label}\\.)+${label}$`);
  return domain.length <= ACM_MAX_PRIMARY_NAME_LENGTH && pattern.test(domain)
    ? undefined
    : `a DNS name of at most ${ACM_MAX_PRIMARY_NAME_LENGTH} characters (the certificate's Common Name), e.g. api-staging.he2.site`;
}

/**
 * Endpoint group `HealthCheckPath`: at most 255 characters, `/` then letters, digits and -@:%_\+.~#?&/=.
 * Global Accelerator ignores it for ALB endpoints but still validates it. Source:
 * https://docs.aws.amazon.com/global-accelerator/latest/api/API_CreateEndpointGroup.html; botocore
 * `globalaccelerator/2018-08-08` HealthCheckPath (max 255, pattern `^/[-a-zA-Z0-9@:%_\\+.~#?&/=]*$`).
 */
export function globalAcceleratorHealthCheckPathProblem(path: string): string | undefined {
  return path.length <= 255 && /^\/[-a-zA-Z0-9@:%_\\+.~#?&/=]*$/.test(path)
    ? undefined
    : "a path of at most 255 characters: / then letters, digits and -@:%_\\+.~#?&/=";
}

/**
 * Endpoint group `HealthCheckIntervalSeconds`: 10 or 30. The model allows 10-30; the page says "10 seconds
 * or 30 seconds", which is what the service accepts.
 */
export function globalAcceleratorHealthCheckIntervalProblem(seconds: number): string | undefined {
  return seconds === 10 || seconds === 30 ? undefined : "10 or 30 seconds";
}

/** Endpoint group `ThresholdCount`: 1-10 (botocore ThresholdCount). */
export function globalAcceleratorThresholdCountProblem(count: number): string | undefined {
  return integerInRange(count, 1, 10);
}

/** Endpoint group `TrafficDialPercentage`: 0-100 (botocore TrafficDialPercentage, a float). */
export function globalAcceleratorTrafficDialProblem(percent: number): string | undefined {
  return numberInRange(percent, 0, 100, "percent");
}

/**
 * An S3 CORS `AllowedOrigin` as a browser sends `Origin`: scheme://host[:port], nothing after it (no path,
 * no trailing '/', no query); the host a DNS name, optionally with one leading `*.` wildcard label. A path
 * or trailing slash never equals an Origin header, so such a rule silently matches nothing. Source:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html ("You can specify at most one asterisk")
 * and the Origin header's form (RFC 6454: scheme, host, port).
 * @param options.allowHttp accept http:// origins too. Defaults to false: Helium serves HTTPS only.
 */
export function corsOriginProblem(origin: string, options: { readonly allowHttp?: boolean } = {}): string | undefined {
  const scheme = options.allowHttp ? "https?" : "https";
  const label = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  const match = new RegExp(`^${scheme}://(?:\\*\\.)?(?:${label}\\.)*${label}(?::(\\d{1,5}))?$`).exec(origin);
  const port = match?.[1];
  if (match && origin.length <= 2048 && (port === undefined || (Number(port) >= 1 && Number(port) <= 65535))) {
    return undefined;
  }
  return `an origin ${options.allowHttp ? "http(s)" : "https"}://host[:port] with a lower-case host and nothing after it (no path or trailing /), e.g. https://www.he2.site`;
}

/**
 * Account-level throttle of API Gateway per Region, shared by every HTTP, REST and WebSocket API of the
 * account there: 10,000 requests per second, burst 5,000 (adjustable on request). A stage limit above it
 * can never take effect. Source: Amazon API Gateway quotas,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html ("Throttle quota per account, per
 * Region across HTTP APIs, REST APIs, WebSocket APIs, and WebSocket callback APIs").
 */
export const ACCOUNT_THROTTLE_RATE_LIMIT = 10_000;
/** See {@link ACCOUNT_THROTTLE_RATE_LIMIT}: the token bucket's capacity. */
export const ACCOUNT_THROTTLE_BURST_LIMIT = 5_000;
