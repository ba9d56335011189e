/**
 * The biggest cost drivers of an estimate and the config change that would cut each, with the modelled saving.
 * Pure; reads only the estimate and the plan's resources (the plan, not the config, is what is billed).
 */
import { ASSUMPTIONS } from "./assumptions";
import { byRegionAndKind, sum } from "./estimate";
import { FARGATE_SPOT_DISCOUNT } from "./prices";
import { COST_KINDS, type CostKind, type CostLine, type CostResource, type Estimate, GLOBAL } from "./types";

export interface Driver {
  readonly region: string;
  readonly kind: CostKind;
  readonly usd: number;
  /** The change that cuts it, in config terms, and its price (what is given up). */
  readonly cut: string;
  /** Modelled monthly saving of that change; undefined when no change is offered. */
  readonly saveUsd?: number;
}

const money = (usd: number) => `$${usd.toFixed(2)}`;
const regionKey = (region: string) => `helium:regions entry ${region}`;

/** Lines of one region and kind. */
const cellLines = (e: Estimate, region: string, kind: CostKind) =>
  e.lines.filter((l) => l.region === region && l.kind === kind);

/** Sum of lines grouped by their first resource. */
function perResource(lines: readonly CostLine[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) out.set(l.resources[0], (out.get(l.resources[0]) ?? 0) + (l.usd ?? 0));
  return out;
}

function cutFor(e: Estimate, region: string, kind: CostKind): Pick<Driver, "cut" | "saveUsd"> {
  const lines = cellLines(e, region, kind);
  const total = sum(lines);
  switch (kind) {
    case "nat": {
      const gateways = perResource(lines);
      const n = gateways.size;
      if (n <= 1) return { cut: "one NAT gateway already: the floor while private tasks need internet egress" };
      const eips = perResource(cellLines(e, region, "public-ipv4").filter((l) => l.item === "public-ipv4-hour"));
      const eipEach = eips.size > 0 ? Math.min(...eips.values()) : 0;
      const save = (total * (n - 1)) / n + eipEach * (n - 1);
      return {
        cut: `natGateways: single (${regionKey(region)}): one NAT for all ${n} AZs, with its Elastic IP; an outage of its AZ then cuts the other AZs' egress`,
        saveUsd: save,
      };
    }
    case "endpoints": {
      const each = perResource(lines);
      return {
        cut: `interfaceEndpoints: [] (${regionKey(region)}), staging's default: ${each.size} endpoints at ~${money(total / Math.max(each.size, 1))} each; their traffic then goes through NAT, billed per GB`,
        saveUsd: total,
      };
    }
    case "compute": {
      const onDemand = sum(lines.filter((l) => l.item.endsWith(":on-demand")));
      const services = [...perResource(lines).entries()].sort((a, b) => b[1] - a[1]);
      const biggest = services[0];
      return {
        cut: `Fargate Spot would save ~${Math.round(FARGATE_SPOT_DISCOUNT * 100)}% of on-demand (interruptible), but HeliumService sets launchType FARGATE, so it is not configurable today; otherwise lower services.<name>.scaling.min or task sizes (largest: ${biggest?.[0] ?? "-"}, ${money(biggest?.[1] ?? 0)})`,
        saveUsd: onDemand * FARGATE_SPOT_DISCOUNT,
      };
    }
    case "cache": {
      const nodes = lines.reduce((n, l) => n + l.quantity, 0) / 730;
      if (nodes <= 1) return { cut: "one node already; a smaller redis.nodeType is the only cut" };
      return {
        cut: `redis.replicas: 0 leaves 1 of ${Math.round(nodes)} nodes (no automatic failover, no Multi-AZ); or a smaller redis.nodeType`,
        saveUsd: (total * (nodes - 1)) / nodes,
      };
    }
    case "monitoring": {
      const insights = sum(lines.filter((l) => l.item === "custom-metric-month" || /Container Insights/.test(l.basis)));
      const alarms = sum(lines.filter((l) => l.item.includes("alarm")));
      const logs = sum(lines.filter((l) => l.item === "logs-ingest-gb" && !/Container Insights/.test(l.basis)));
      return {
        cut: `Container Insights ${money(insights)} (a cluster setting, not configurable today), alarms ${money(alarms)}, logs ${money(logs)} (assumed volumes: ingestion, not retention, is billed)`,
        saveUsd: insights,
      };
    }
    case "load-balancer":
      return {
        cut:
          "one ALB per region is the floor; LCUs follow traffic (assumed " + `${ASSUMPTIONS.albLcuPerHour.value} LCU)`,
      };
    case "public-ipv4":
      return { cut: "follows NAT gateways (natGateways: single) and the ALB's AZs (azCount)" };
    case "edge":
      return { cut: "fixed per accelerator; without it failover falls back to DNS (Route 53 health checks, minutes)" };
    case "grafana":
      return {
        cut: "$9 per editor or admin and per service account; grafana.enabled: false removes the workspace",
        saveUsd: total,
      };
    default:
      return { cut: "follows the number of regions" };
  }
}

/** The `count` largest region × kind cells, each with its cut. */
export function topDrivers(e: Estimate, count = 5): Driver[] {
  const cell = byRegionAndKind(e);
  return e.regions
    .flatMap((region) => COST_KINDS.map((kind) => ({ region, kind, usd: cell(region, kind) })))
    .filter((c) => c.usd > 0)
    .sort((a, b) => b.usd - a.usd || a.region.localeCompare(b.region))
    .slice(0, count)
    .map((c) => ({ ...c, ...cutFor(e, c.region, c.kind) }));
}

/**
 * Changes of a whole region (one with a VPC, i.e. an entry of helium:regions): fewer AZs where more than 2 are
 * used, and the region's own total.
 */
export function regionCuts(e: Estimate, resources: readonly CostResource[]): string[] {
  const out: string[] = [];
  const withVpc = new Set(resources.filter((r) => r.type === "aws:ec2/vpc:Vpc").map((r) => r.region));
  for (const region of e.regions.filter((r) => r !== GLOBAL && withVpc.has(r))) {
    const azs = new Set(
      resources
        .filter((r) => r.type === "aws:ec2/subnet:Subnet" && r.region === region)
        .map((r) => String(r.inputs.availabilityZone)),
    ).size;
    const inRegion = e.lines.filter((l) => l.region === region);
    if (azs > 2) {
      const perAz = sum(
        inRegion.filter(
          (l) =>
            l.kind === "endpoints" ||
            (l.kind === "nat" &&
              new Set(inRegion.filter((x) => x.kind === "nat").map((x) => x.resources[0])).size === azs) ||
            (l.kind === "public-ipv4" && l.basis.includes("ALB")),
        ),
      );
      out.push(
        `azCount: 2 (${regionKey(region)}, now ${azs} AZs) saves ~$${((perAz * (azs - 2)) / azs).toFixed(2)}/month`,
      );
    }
    out.push(
      `dropping ${region} from helium:regions saves $${sum(inRegion).toFixed(2)}/month (one failover region less)`,
    );
  }
  return out;
}
