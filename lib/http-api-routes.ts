/**
 * API Gateway HTTP API routes from the services' ALB routes (the API Gateway entry, docs/entry.md).
 *
 * Design: every route of the HTTP API goes to one private integration, the region's internal ALB, whose
 * listener rules keep doing host and path routing exactly as today. The HTTP API's own routes exist for what
 * only API Gateway can do per route: require a JWT, and count and throttle per route. So:
 *
 * - `$default` forwards everything no other route matches (host-only routes, patterns API Gateway cannot
 *   express, unrouted paths that the ALB answers with 404);
 * - each translatable ALB path pattern becomes a route key: `/*` → `$default`, `/exact/path` →
 *   `ANY /exact/path`, `/prefix/*` → `ANY /prefix/{proxy+}`;
 * - `GET <health path>` is always a route of its own, never authorised, so Route 53 can probe it.
 *
 * API Gateway picks the most specific route: an exact match, then a greedy `{proxy+}` match (the longer
 * prefix first), then `$default` ("Create routes for HTTP APIs", Routing API requests:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html).
 *
 * Fail closed: a JWT-protected service must be reachable only through protected route keys, so its routes
 * must be path-only (an HTTP API route cannot match a host) and expressible as a route key, and no
 * unprotected route key may sit under a protected prefix while the ALB would send those paths to the
 * protected service (the unprotected key would bypass the authoriser). Each such case is a problem naming the
 * route. Pure: no Pulumi.
 */
import type { Problem } from "./input-error";

/** The route key every unmatched request takes. */
export const DEFAULT_ROUTE_KEY = "$default";

/** A route as the resolved service model has it (lib/routing.ts gives its priority). */
export interface AlbRoute {
  readonly priority: number;
  readonly hostHeaders?: readonly string[];
  readonly pathPatterns?: readonly string[];
}

/** One HTTP API route: its key and whether it requires the JWT authoriser. */
export interface HttpApiRoute {
  /** `$default`, `ANY /path`, `ANY /prefix/{proxy+}` or `GET <health path>`. */
  readonly routeKey: string;
  readonly authorization: "NONE" | "JWT";
  /** Services whose ALB routes yield this key, sorted; empty for the health route and a bare `$default`. */
  readonly services: readonly string[];
}

/** A path segment API Gateway routes literally (RFC 3986 unreserved characters). */
const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * The HTTP API route key that matches what ALB path pattern `pattern` matches, or undefined when none does
 * exactly (`?` wildcards, `*` inside a segment, a trailing `/`, reserved characters).
 */
export function httpApiRouteKey(pattern: string): string | undefined {
  if (pattern === "/*" || pattern === "*") return DEFAULT_ROUTE_KEY;
  if (pattern === "/") return "ANY /";
  if (!pattern.startsWith("/")) return undefined;
  const greedy = pattern.endsWith("/*");
  const literal = greedy ? pattern.slice(0, -2) : pattern;
  const segments = literal.slice(1).split("/");
  if (!segments.every((s) => SEGMENT.test(s))) return undefined;
  return greedy ? `ANY ${literal}/{proxy+}` : `ANY ${literal}`;
}

/** The health route's key: Route 53 probes with GET. */
export function healthRouteKey(path: string): string {
  return `GET ${path}`;
}

/** What {@link httpApiRoutes} found: the routes (health first, `$default` last) and what prevents them. */
export interface HttpApiRoutes {
  readonly routes: readonly HttpApiRoute[];
  /** Keys are `<service>.routes[<i>]…`. */
  readonly problems: readonly Problem[];
}

interface KeyOwner {
  readonly service: string;
  readonly label: string;
  readonly priority: number;
  readonly protected: boolean;
}

/** The path prefix a key covers (`/api/` for `ANY /api/{proxy+}`, `/` for `$default`), or undefined for exact keys. */
function greedyPrefix(routeKey: string): string | undefined {
  if (routeKey === DEFAULT_ROUTE_KEY) return "/";
  const match = /^ANY (.*\/)\{proxy\+\}$/.exec(routeKey);
  return match?.[1];
}

/** The path of a non-default key (`/api/` for a greedy one). */
function keyPath(routeKey: string): string {
  return routeKey.replace(/^[A-Z]+ /, "").replace("{proxy+}", "");
}

/**
 * The HTTP API routes of a region's services.
 * @param services enabled services with their resolved ALB routes, by name.
 * @param protectedServices services whose routes require the JWT authoriser (empty: no authoriser).
 * @param healthCheckPath the path Route 53 probes; its GET route is never authorised.
 */
export function httpApiRoutes(
  services: Readonly<Record<string, { readonly routes: readonly AlbRoute[] }>>,
  protectedServices: ReadonlySet<string>,
  healthCheckPath: string,
): HttpApiRoutes {
  const problems: Problem[] = [];
  const owners = new Map<string, KeyOwner[]>();
  for (const service of Object.keys(services).sort()) {
    const isProtected = protectedServices.has(service);
    services[service].routes.forEach((route, i) => {
      const label = `${service}.routes[${i}]`;
      if (isProtected && route.hostHeaders !== undefined) {
        problems.push({
          key: `${label}.hostHeaders`,
          value: route.hostHeaders,
          allowed:
            "no host condition on a route of a JWT-protected service: an HTTP API route cannot match a host, so the authoriser could not be applied to this host alone (use a path route, or leave the service out of apiGateway.jwtAuthorizer.services)",
        });
      }
      (route.pathPatterns ?? []).forEach((pattern, j) => {
        const routeKey = httpApiRouteKey(pattern);
        if (routeKey === undefined) {
          if (isProtected)
            problems.push({
              key: `${label}.pathPatterns[${j}]`,
              value: pattern,
              allowed:
                "a pattern an HTTP API route key can express exactly, so the JWT authoriser covers it: /exact/path, /prefix/* or /* (letters, digits and . _ ~ - in segments)",
            });
          return;
        }
        const list = owners.get(routeKey) ?? [];
        list.push({ service, label, priority: route.priority, protected: isProtected });
        owners.set(routeKey, list);
      });
    });
  }

  // An unprotected key under a protected prefix bypasses the authoriser for the paths it takes, unless the
  // ALB, too, sends those paths elsewhere first (a lower priority number is evaluated first).
  const protectedPrefixes = [...owners.entries()].flatMap(([routeKey, list]) => {
    const prefix = greedyPrefix(routeKey);
    const guards = list.filter((o) => o.protected);
    return prefix === undefined || guards.length === 0
      ? []
      : [{ routeKey, prefix, priority: Math.min(...guards.map((o) => o.priority)) }];
  });
  for (const [routeKey, list] of owners) {
    if (list.some((o) => o.protected) || routeKey === DEFAULT_ROUTE_KEY) continue;
    const path = keyPath(routeKey);
    for (const guard of protectedPrefixes) {
      if (guard.routeKey === routeKey || !path.startsWith(guard.prefix)) continue;
      for (const owner of list.filter((o) => o.priority > guard.priority)) {
        problems.push({
          key: `${owner.label}.priority`,
          value: owner.priority,
          allowed: `a priority below ${guard.priority} (the JWT-protected route ${guard.routeKey}), or the service in apiGateway.jwtAuthorizer.services: API Gateway would serve ${routeKey} without the authoriser while the ALB sends those paths to the protected service`,
        });
      }
    }
  }

  const health = healthRouteKey(healthCheckPath);
  const routes: HttpApiRoute[] = [{ routeKey: health, authorization: "NONE", services: [] }];
  const keys = [...owners.keys()].filter((k) => k !== DEFAULT_ROUTE_KEY && k !== health).sort();
  for (const routeKey of keys) routes.push(routeOf(routeKey, owners.get(routeKey) ?? []));
  routes.push(routeOf(DEFAULT_ROUTE_KEY, owners.get(DEFAULT_ROUTE_KEY) ?? []));
  return { routes, problems };
}

function routeOf(routeKey: string, list: readonly KeyOwner[]): HttpApiRoute {
  return {
    routeKey,
    // Fail closed: a key any protected service yields is protected for all of them.
    authorization: list.some((o) => o.protected) ? "JWT" : "NONE",
    services: [...new Set(list.map((o) => o.service))].sort(),
  };
}
