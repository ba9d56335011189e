/**
 * Listener-rule priorities for the services that share a region's HTTPS listener.
 *
 * ALB evaluates rules from the lowest priority number up and the first match wins, so a broad rule placed
 * before a narrow one silently swallows its traffic. A route's automatic priority is therefore derived from
 * its specificity, and from nothing but the route itself:
 *
 *   priority = band(class).first + (maxLength − min(length, maxLength)) × slots + hash(service, conditions) mod slots
 *
 * - class: host+path (0) < host (1) < path (2) < catch-all path `/*` with no host (3): more specific classes
 *   get lower bands;
 * - length: the literal length (wildcards removed) of the route's least specific pattern, so within a class a
 *   longer pattern gets a lower number;
 * - hash: a stable hash of the service name and the route's conditions picks the slot within that length.
 *
 * Adding, removing or editing another service never changes a route's priority. (The old scheme numbered
 * routes 100, 110, … in sorted order, so adding `admin` moved backend's rule and the update failed with
 * PriorityInUse while two rules swapped a unique value.) Two routes that land on one number, or an automatic
 * number that an explicit `priority` holds, are reported as problems naming both routes: neither is moved,
 * because moving one is exactly the renumbering this avoids. An explicit `priority` is kept as written.
 *
 * Range: ALB CreateRule Priority is an integer 1-50000, unique per listener
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html; botocore elbv2
 * RulePriority). 1-99 stay free for hand-placed emergency rules, 50000 is the default frontend catch-all.
 */
import { InputError, type Problem } from "./input-error";
import { stableHash } from "./name-fitting";

/** The conditions of one ALB listener rule. At least one list is non-empty. */
export interface RouteConditions {
  /** Path patterns (case-sensitive, `*` and `?` wildcards), e.g. `/api/*`. */
  readonly pathPatterns?: readonly string[];
  /** Host header patterns (case-insensitive, `*` and `?` wildcards), e.g. `admin.he2.site`. */
  readonly hostHeaders?: readonly string[];
}

/** A route as config declares it: conditions and an optional explicit priority. */
export interface RouteLike extends RouteConditions {
  /** Explicit listener-rule priority, 1-50000. Defaults to {@link automaticRoutePriority}. */
  readonly priority?: number;
}

/** A service's routes; a disabled service (`enabled: false`) has no rules. */
export interface ServiceRoutes {
  readonly enabled?: boolean;
  readonly routes: readonly RouteLike[];
}

/** ALB's smallest rule priority. */
export const MIN_LISTENER_PRIORITY = 1;
/** ALB's largest rule priority. */
export const MAX_LISTENER_PRIORITY = 50000;
/** First automatic priority: 1-99 stay free for hand-placed emergency rules (maintenance pages, blocks). */
export const AUTO_PRIORITY_START = 100;
/** The frontend's explicit catch-all: the last rule before the listener's default action. */
export const DEFAULT_CATCH_ALL_PRIORITY = 50000;

/** 0 host+path, 1 host only, 2 path only, 3 catch-all path with no host. Lower is more specific. */
export type SpecificityClass = 0 | 1 | 2 | 3;

/** The numbers of one specificity class. */
export interface PriorityBand {
  readonly first: number;
  readonly last: number;
  /** Lengths above this rank as this: two such routes are ordered by hash only. */
  readonly maxRankedLength: number;
}

/** Bands per class, lowest (most specific) first; each is split into one run of slots per length. */
export const PRIORITY_BANDS: Readonly<Record<SpecificityClass, PriorityBand>> = {
  0: { first: AUTO_PRIORITY_START, last: 16399, maxRankedLength: 63 },
  1: { first: 16400, last: 32699, maxRankedLength: 63 },
  2: { first: 32700, last: 48999, maxRankedLength: 63 },
  // Catch-alls are `/*`, `/` or `*`: lengths 0 and 1 only.
  3: { first: 49000, last: 49999, maxRankedLength: 1 },
};

/** Slots per length in a band (254 for classes 0-2, 500 for catch-alls). */
export function bandSlots(band: PriorityBand): number {
  return Math.floor((band.last - band.first + 1) / (band.maxRankedLength + 1));
}

const CATCH_ALL_PATHS: ReadonlySet<string> = new Set(["/*", "/", "*"]);

/** The route's specificity class; see {@link SpecificityClass}. */
export function routeSpecificityClass(route: RouteConditions): SpecificityClass {
  const hasHosts = (route.hostHeaders?.length ?? 0) > 0;
  const paths = route.pathPatterns ?? [];
  if (hasHosts && paths.length > 0) return 0;
  if (hasHosts) return 1;
  return paths.some((p) => CATCH_ALL_PATHS.has(p)) ? 3 : 2;
}

/** Characters that are not wildcards: a longer literal matches fewer requests. */
const literalLength = (pattern: string) => pattern.replace(/[*?]/g, "").length;

/**
 * The route's specificity length: the literal length of its least specific pattern (a rule matches when any
 * value matches, so its broadest value decides what it can swallow). Host+path routes add the two.
 */
export function routeSpecificityLength(route: RouteConditions): number {
  const shortest = (patterns: readonly string[] | undefined) =>
    patterns && patterns.length > 0 ? Math.min(...patterns.map(literalLength)) : 0;
  return shortest(route.hostHeaders) + shortest(route.pathPatterns);
}

/** Canonical form of a route's conditions, order-insensitive, hosts lower-cased: equal keys match the same requests. */
export function routeConditionKey(route: RouteConditions): string {
  return JSON.stringify({
    hosts: [...(route.hostHeaders ?? [])].map((h) => h.toLowerCase()).sort(),
    paths: [...(route.pathPatterns ?? [])].sort(),
  });
}

/**
 * The automatic priority of `route` of service `service`: a pure function of this route alone (class,
 * length, and a hash of `service` and the conditions), always within its class's band of 100-49999.
 */
export function automaticRoutePriority(service: string, route: RouteConditions): number {
  const band = PRIORITY_BANDS[routeSpecificityClass(route)];
  const slots = bandSlots(band);
  const rank = band.maxRankedLength - Math.min(routeSpecificityLength(route), band.maxRankedLength);
  // 12 hex digits (48 bits) stay exact in a double.
  const slot = parseInt(stableHash(`${service}\n${routeConditionKey(route)}`, 12), 16) % slots;
  return band.first + rank * slots + slot;
}

/** The priority a route gets: its explicit `priority`, else {@link automaticRoutePriority}. */
export function routePriority(service: string, route: RouteLike): number {
  return route.priority ?? automaticRoutePriority(service, route);
}

/** What {@link resolveRoutePriorities} found. */
export interface RoutePriorities {
  /** One priority per route of every enabled service, in route order; disabled services are absent. */
  readonly priorities: Readonly<Record<string, readonly number[]>>;
  /** Duplicate conditions, explicit priorities outside 1-50000, and any two rules sharing a number. Keys are `<service>.routes[<i>]…`. */
  readonly problems: readonly Problem[];
}

interface RouteRef {
  readonly label: string;
  readonly route: RouteLike;
  readonly priority: number;
}

/**
 * Every enabled service's route priorities, and the problems that make them unusable. Priorities are
 * returned even when there are problems (each is still what that route alone yields), so a caller can show
 * them; deploy only when `problems` is empty.
 */
export function resolveRoutePriorities(services: Readonly<Record<string, ServiceRoutes>>): RoutePriorities {
  const priorities: Record<string, number[]> = {};
  const refs: RouteRef[] = [];
  for (const service of Object.keys(services).sort()) {
    const spec = services[service];
    if (spec.enabled === false) continue;
    priorities[service] = spec.routes.map((route, index) => {
      const priority = routePriority(service, route);
      refs.push({ label: `${service}.routes[${index}]`, route, priority });
      return priority;
    });
  }
  const problems: Problem[] = [];
  const byConditions = new Map<string, RouteRef>();
  for (const ref of refs) {
    const key = routeConditionKey(ref.route);
    const first = byConditions.get(key);
    if (first) {
      problems.push({
        key: ref.label,
        value: conditionsOf(ref.route),
        allowed: `conditions that differ from ${first.label}'s, which routes the same hosts and paths (ALB would never reach one of the two rules)`,
      });
    } else byConditions.set(key, ref);
  }
  const inRange = (p: number) => Number.isInteger(p) && p >= MIN_LISTENER_PRIORITY && p <= MAX_LISTENER_PRIORITY;
  for (const ref of refs) {
    if (!inRange(ref.priority)) {
      problems.push({
        key: `${ref.label}.priority`,
        value: ref.priority,
        allowed: `an integer in ${MIN_LISTENER_PRIORITY}-${MAX_LISTENER_PRIORITY} (ALB CreateRule Priority)`,
      });
    }
  }
  const taken = new Set(refs.map((r) => r.priority));
  const byPriority = new Map<number, RouteRef>();
  // Explicit routes claim their numbers first, so an automatic route is the one asked to move off them.
  for (const ref of [...refs].sort((a, b) => explicitFirst(a) - explicitFirst(b))) {
    if (!inRange(ref.priority)) continue;
    const holder = byPriority.get(ref.priority);
    if (holder === undefined) {
      byPriority.set(ref.priority, ref);
      continue;
    }
    const suggestion = freePriorityNear(ref.priority, taken);
    const how =
      holder.route.priority !== undefined && ref.route.priority !== undefined
        ? `${ref.label} and ${holder.label} both set priority ${ref.priority}; priorities are unique per listener`
        : `${ref.label} (${describe(ref)}) and ${holder.label} (${describe(holder)}) both get ${ref.priority}; automatic priorities never move, so give one of them (the one being added) an explicit priority`;
    problems.push({
      key: `${ref.label}.priority`,
      value: ref.priority,
      allowed: `a priority no other rule on the listener uses: ${how}, e.g. ${suggestion}`,
    });
  }
  return { priorities, problems };
}

/**
 * One priority per route of every enabled service, keyed by service name (disabled services get none).
 * Throws an {@link InputError} (source `routes`) listing every problem of {@link resolveRoutePriorities}.
 * Kept with its original signature for existing callers.
 */
export function assignRoutePriorities(services: Readonly<Record<string, ServiceRoutes>>): Record<string, number[]> {
  const { priorities, problems } = resolveRoutePriorities(services);
  if (problems.length > 0) throw new InputError("routes", problems);
  return Object.fromEntries(Object.entries(priorities).map(([service, list]) => [service, [...list]]));
}

const explicitFirst = (ref: RouteRef) => (ref.route.priority === undefined ? 1 : 0);

const describe = (ref: RouteRef) => (ref.route.priority === undefined ? "automatic" : "explicit");

function conditionsOf(route: RouteConditions): RouteConditions {
  return {
    ...(route.hostHeaders ? { hostHeaders: route.hostHeaders } : {}),
    ...(route.pathPatterns ? { pathPatterns: route.pathPatterns } : {}),
  };
}

/** The free number closest to `priority` (above first), to suggest as an explicit priority: it keeps the route's place. */
function freePriorityNear(priority: number, taken: ReadonlySet<number>): number {
  for (let distance = 1; distance < MAX_LISTENER_PRIORITY; distance++) {
    for (const candidate of [priority + distance, priority - distance]) {
      if (candidate >= MIN_LISTENER_PRIORITY && candidate < MAX_LISTENER_PRIORITY && !taken.has(candidate)) {
        return candidate;
      }
    }
  }
  return priority;
}
