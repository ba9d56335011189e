/**
 * Prices a plan's usage (lib/cost/usage.ts) with the dated table (lib/cost/prices.ts) and sums it per region and
 * per kind. Lines without a price row stay in the estimate, unpriced, so nothing is silently counted as free.
 */
import { PRICE_TABLE, findPrice } from "./prices";
import {
  COST_KINDS,
  type CostKind,
  type CostLine,
  type CostResource,
  type Estimate,
  GLOBAL,
  type PriceRow,
} from "./types";
import { usageOf } from "./usage";

/** Cents are enough: the inputs are estimates. */
export const roundUsd = (usd: number): number => Math.round(usd * 100) / 100;

/** The estimate of a plan's resources. */
export function estimate(
  stack: string,
  resources: readonly CostResource[],
  table: readonly PriceRow[] = PRICE_TABLE,
): Estimate {
  const lines: CostLine[] = usageOf(resources).map((usage) => {
    const price = findPrice(usage.item, usage.region, table);
    return price === undefined ? usage : { ...usage, price, usd: usage.quantity * price.usd };
  });
  const regions = [...new Set(lines.map((l) => l.region))].sort((a, b) =>
    a === GLOBAL ? 1 : b === GLOBAL ? -1 : a.localeCompare(b),
  );
  return { stack, lines, regions, totalUsd: sum(lines) };
}

/** The sum of priced lines. */
export function sum(lines: readonly CostLine[]): number {
  return lines.reduce((total, l) => total + (l.usd ?? 0), 0);
}

/** Sum per region and kind: `cell(region, kind)`; regions and kinds without a line are 0. */
export function byRegionAndKind(e: Estimate): (region: string, kind: CostKind) => number {
  const cells = new Map<string, number>();
  for (const l of e.lines) cells.set(`${l.region}|${l.kind}`, (cells.get(`${l.region}|${l.kind}`) ?? 0) + (l.usd ?? 0));
  return (region, kind) => cells.get(`${region}|${kind}`) ?? 0;
}

/** Per-region totals. */
export function regionTotals(e: Estimate): Record<string, number> {
  return Object.fromEntries(e.regions.map((r) => [r, sum(e.lines.filter((l) => l.region === r))]));
}

/** Per-kind totals, in {@link COST_KINDS} order, kinds with no line left out. */
export function kindTotals(e: Estimate): Array<[CostKind, number]> {
  return COST_KINDS.filter((k) => e.lines.some((l) => l.kind === k)).map((k) => [
    k,
    sum(e.lines.filter((l) => l.kind === k)),
  ]);
}

/** Lines no price row covers. */
export const unpriced = (e: Estimate): CostLine[] => e.lines.filter((l) => l.usd === undefined);

/** Price rows the estimate used, once each, in table order. */
export function pricesUsed(e: Estimate): PriceRow[] {
  const used = new Set(e.lines.map((l) => l.price).filter((p): p is PriceRow => p !== undefined));
  return PRICE_TABLE.filter((row) => used.has(row)).concat([...used].filter((row) => !PRICE_TABLE.includes(row)));
}

/** The share of the total resting on `unverified` prices. */
export function unverifiedUsd(e: Estimate): number {
  return sum(e.lines.filter((l) => l.price?.evidence === "unverified"));
}

/** What changed between two estimates: per region and kind, base → head. Only cells that differ. */
export function diffEstimates(
  base: Estimate,
  head: Estimate,
): Array<{ region: string; kind: CostKind; baseUsd: number; headUsd: number }> {
  const a = byRegionAndKind(base);
  const b = byRegionAndKind(head);
  const regions = [...new Set([...base.regions, ...head.regions])].sort((x, y) =>
    x === GLOBAL ? 1 : y === GLOBAL ? -1 : x.localeCompare(y),
  );
  return regions.flatMap((region) =>
    COST_KINDS.map((kind) => ({ region, kind, baseUsd: a(region, kind), headUsd: b(region, kind) })).filter(
      (c) => roundUsd(c.baseUsd) !== roundUsd(c.headUsd),
    ),
  );
}
