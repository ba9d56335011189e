/**
 * Listener-rule priorities for the services that share a region's HTTPS listener.
 *
 * ALB evaluates rules from the lowest priority number up and the first match wins, so a broad rule placed
 * before a narrow one silently swallows its traffic. Priorities are therefore derived from specificity,
 * deterministically (the same config always yields the same numbers, whatever the key order):
 *   1. explicit `priority` values are kept as written;
 *   2. the other routes are ordered host+path, then host only, then path only, then catch-all (`/*`);
 *      within a class, longer patterns first (more specific), then service name, then route index;
 *   3. they get AUTO_PRIORITY_START, +AUTO_PRIORITY_STEP, … skipping numbers an explicit route holds.
 * Two routes with the same conditions, or two routes with the same priority, are an error.
 */
import type { RouteSpec, ServiceSpec } from "../config/services";

/** First automatic priority: 1-99 stay free for hand-placed emergency rules (maintenance pages, blocks). */
export const AUTO_PRIORITY_START = 100;
/** Gap between automatic priorities, so a rule can be slotted between two without renumbering. */
export const AUTO_PRIORITY_STEP = 10;
/** ALB's largest rule priority. */
export const MAX_LISTENER_PRIORITY = 50000;

type RouteLike = Pick<RouteSpec, "pathPatterns" | "hostHeaders" | "priority">;
type ServiceRoutes = Pick<ServiceSpec, "routes"> & { readonly enabled?: boolean };

/** 0 host+path, 1 host, 2 path, 3 catch-all path (`/*` or `/`) with no host. Lower is more specific. */
export function routeSpecificityClass(route: RouteLike): number {
  const hasHosts = (route.hostHeaders?.length ?? 0) > 0;
  const paths = route.pathPatterns ?? [];
  if (hasHosts && paths.length > 0) return 0;
  if (hasHosts) return 1;
  return paths.some((p) => p === "/*" || p === "/" || p === "*") ? 3 : 2;
}

/** Length of the longest pattern (path, else host): a longer pattern matches fewer requests. */
function patternLength(route: RouteLike): number {
  const lengths = [...(route.pathPatterns ?? []), ...(route.hostHeaders ?? [])].map(
    (p) => p.replace(/[*?]/g, "").length,
  );
  return Math.max(0, ...lengths);
}

/** Canonical form of a route's conditions, order-insensitive: equal keys match the same requests. */
export function routeConditionKey(route: RouteLike): string {
  return JSON.stringify({
    hosts: [...(route.hostHeaders ?? [])].map((h) => h.toLowerCase()).sort(),
    paths: [...(route.pathPatterns ?? [])].sort(),
  });
}

interface RouteRef {
  readonly service: string;
  readonly index: number;
  readonly route: RouteLike;
}

const label = (r: RouteRef) => `${r.service}.routes[${r.index}]`;

/**
 * One priority per route of every enabled service, keyed by service name (disabled services get none).
 * Throws on a duplicate route, a duplicate priority or a priority outside 1-50000.
 */
export function assignRoutePriorities(services: Readonly<Record<string, ServiceRoutes>>): Record<string, number[]> {
  const refs: RouteRef[] = [];
  const result: Record<string, number[]> = {};
  for (const service of Object.keys(services).sort()) {
    const spec = services[service];
    if (spec.enabled === false) continue;
    result[service] = [];
    spec.routes.forEach((route, index) => refs.push({ service, index, route }));
  }

  const byConditions = new Map<string, RouteRef>();
  for (const ref of refs) {
    const key = routeConditionKey(ref.route);
    const previous = byConditions.get(key);
    if (previous) {
      throw new Error(
        `routes: duplicate route ${label(ref)} ${describeConditions(ref.route)}: ${label(previous)} already routes the same hosts and paths; each route must have distinct conditions`,
      );
    }
    byConditions.set(key, ref);
  }

  const taken = new Map<number, RouteRef>();
  for (const ref of refs) {
    const priority = ref.route.priority;
    if (priority === undefined) continue;
    if (!Number.isInteger(priority) || priority < 1 || priority > MAX_LISTENER_PRIORITY) {
      throw new Error(
        `routes: ${label(ref)}.priority ${priority} is not allowed; priorities are integers 1-${MAX_LISTENER_PRIORITY}`,
      );
    }
    const owner = taken.get(priority);
    if (owner) {
      throw new Error(
        `routes: duplicate priority ${priority} on ${label(ref)}: ${label(owner)} already uses it; priorities must be unique on a listener`,
      );
    }
    taken.set(priority, ref);
  }

  const automatic = refs
    .filter((r) => r.route.priority === undefined)
    .sort(
      (a, b) =>
        routeSpecificityClass(a.route) - routeSpecificityClass(b.route) ||
        patternLength(b.route) - patternLength(a.route) ||
        (a.service < b.service ? -1 : a.service > b.service ? 1 : 0) ||
        a.index - b.index,
    );

  const assigned = new Map<RouteRef, number>();
  let next = AUTO_PRIORITY_START;
  for (const ref of automatic) {
    while (taken.has(next)) next += 1; // an explicit route holds this number: take the next free one
    if (next > MAX_LISTENER_PRIORITY) {
      throw new Error(
        `routes: no priority left for ${label(ref)} (automatic priorities exceed ${MAX_LISTENER_PRIORITY}); set explicit priorities`,
      );
    }
    assigned.set(ref, next);
    taken.set(next, ref);
    next += AUTO_PRIORITY_STEP;
  }

  for (const ref of refs) result[ref.service][ref.index] = ref.route.priority ?? (assigned.get(ref) as number);
  return result;
}

function describeConditions(route: RouteLike): string {
  const parts = [
    route.hostHeaders ? `hosts ${route.hostHeaders.join(",")}` : undefined,
    route.pathPatterns ? `paths ${route.pathPatterns.join(",")}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return `(${parts.join(" ")})`;
}
