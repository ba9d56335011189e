/**
 * Small readers of plan inputs (which arrive as loosely typed JSON) and the constructor of a usage line, shared by
 * the usage counters (lib/cost/usage.ts, lib/cost/fargate-usage.ts).
 */
import type { AssumptionKey } from "./assumptions";
import { type CostKind, type CostResource, GLOBAL, type UsageLine } from "./types";

export const num = (value: unknown): number | undefined => {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
};
export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
export const regionOf = (r: CostResource): string => r.region ?? GLOBAL;
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
export const round = (n: number) => Math.round(n * 1000) / 1000;

/** One usage line counted from one resource or several (the first gives the region). */
export function line(
  r: CostResource | readonly CostResource[],
  kind: CostKind,
  item: string,
  quantity: number,
  basis: string,
  assumptions: readonly AssumptionKey[] = [],
): UsageLine {
  const resources = Array.isArray(r) ? (r as readonly CostResource[]) : [r as CostResource];
  return {
    region: regionOf(resources[0]),
    kind,
    item,
    quantity,
    basis,
    resources: resources.map((x) => x.name),
    assumptions,
  };
}

export const ofType = (resources: readonly CostResource[], type: string) => resources.filter((r) => r.type === type);
