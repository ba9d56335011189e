/**
 * How fast Global Accelerator stops sending a region traffic, modelled from the ALB target groups' health checks.
 *
 * Global Accelerator judges an ALB endpoint by the load balancer's own target health: it "considers the load
 * balancer endpoint to be healthy only if each target group behind the load balancer has at least one healthy
 * target. If any single target group for the load balancer has only unhealthy targets, Global Accelerator
 * considers the endpoint to be unhealthy." (Global Accelerator guide, "Health check options"). Each Helium region
 * has one ALB endpoint, so:
 *   service detection  = intervalSeconds × unhealthyThreshold   (its last target fails its last check)
 *   one service dead   → the region is pulled after that service's detection (all of the region's traffic moves)
 *   whole region dead  → every group starts failing at once, so the region is pulled after the FASTEST group's
 *                        detection: min over the load-balanced services
 *   recovery           = intervalSeconds × healthyThreshold      (a target must pass that many checks in a row)
 * Not modelled: a hung target adds up to timeoutSeconds to its last failing check, Global Accelerator's own
 * reaction time is not documented, and services without a load balancer (the worker) never move traffic.
 * docs/failover.md gives the sources.
 */

/** What the model reads of a service (config/services.ts `ServiceSpec` has these fields). */
export interface FailoverSpec {
  readonly routes: readonly unknown[];
  readonly healthCheck?: {
    readonly intervalSeconds: number;
    readonly timeoutSeconds: number;
    readonly healthyThreshold: number;
    readonly unhealthyThreshold: number;
  };
}

/** One load-balanced service's target group. */
export interface ServiceDetection {
  readonly service: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly unhealthyThreshold: number;
  readonly healthyThreshold: number;
  /** intervalSeconds × unhealthyThreshold: after this the group has no healthy target and GA pulls the region. */
  readonly detectionSeconds: number;
  /** intervalSeconds × healthyThreshold: a recovered target counts as healthy again after this. */
  readonly recoverySeconds: number;
}

/** The region's figures: one ALB endpoint behind which every load-balanced service has a target group. */
export interface RegionDetection {
  /** Load-balanced services, in name order. Empty when no service has a route. */
  readonly services: readonly ServiceDetection[];
  /** A dead region is pulled after the fastest group fails: min of `detectionSeconds`; undefined without groups. */
  readonly regionDeadSeconds?: number;
  /** The services whose groups fail first (ties listed together). */
  readonly regionDeadSetBy: readonly string[];
  /** The longest a single dead service can go before the region is pulled: max of `detectionSeconds`. */
  readonly slowestServiceSeconds?: number;
  readonly slowestServiceBy: readonly string[];
}

/** The figures of one service, or undefined when it has no route (no target group, never moves traffic). */
export function serviceDetection(service: string, spec: FailoverSpec): ServiceDetection | undefined {
  if (spec.routes.length === 0 || spec.healthCheck === undefined) return undefined;
  const h = spec.healthCheck;
  return {
    service,
    intervalSeconds: h.intervalSeconds,
    timeoutSeconds: h.timeoutSeconds,
    unhealthyThreshold: h.unhealthyThreshold,
    healthyThreshold: h.healthyThreshold,
    detectionSeconds: h.intervalSeconds * h.unhealthyThreshold,
    recoverySeconds: h.intervalSeconds * h.healthyThreshold,
  };
}

/** The region's detection figures for a set of enabled services (`name → spec`). */
export function regionDetection(services: Readonly<Record<string, FailoverSpec>>): RegionDetection {
  const rows = Object.keys(services)
    .sort()
    .map((name) => serviceDetection(name, services[name]))
    .filter((row): row is ServiceDetection => row !== undefined);
  if (rows.length === 0) return { services: [], regionDeadSetBy: [], slowestServiceBy: [] };
  const seconds = rows.map((r) => r.detectionSeconds);
  const fastest = Math.min(...seconds);
  const slowest = Math.max(...seconds);
  return {
    services: rows,
    regionDeadSeconds: fastest,
    regionDeadSetBy: rows.filter((r) => r.detectionSeconds === fastest).map((r) => r.service),
    slowestServiceSeconds: slowest,
    slowestServiceBy: rows.filter((r) => r.detectionSeconds === slowest).map((r) => r.service),
  };
}

export const FAILOVER_MODEL_FORMULA = [
  "detection = interval × unhealthy threshold (per target group); recovery = interval × healthy threshold",
  "Global Accelerator pulls a region's ALB when ANY of its target groups has no healthy target:",
  "  whole region dead → pulled after the fastest group's detection (min); one service dead → after that service's",
].join("\n");
