/**
 * The text of `npm run report:cost`: the region × kind table with totals, the top drivers and their cuts, the
 * assumptions, the prices used (unverified ones marked) and what is not modelled; and the cost of a change.
 */
import { regionCuts, topDrivers } from "./advice";
import { ASSUMPTIONS, HOURS_PER_MONTH, NOT_MODELLED } from "./assumptions";
import {
  byRegionAndKind,
  diffEstimates,
  kindTotals,
  pricesUsed,
  regionTotals,
  unpriced,
  unverifiedUsd,
} from "./estimate";
import { textTable as table } from "../text-table";
import { KIND_LABELS, type CostResource, type Estimate } from "./types";

const usd = (n: number) => (Math.abs(n) < 0.005 ? "-" : n.toFixed(2));
const signed = (n: number) => `${n >= 0 ? "+" : "−"}$${Math.abs(n).toFixed(2)}`;

/** The region × kind table, with a total column and a total row. */
export function costTable(e: Estimate): string[] {
  const cell = byRegionAndKind(e);
  const totals = regionTotals(e);
  const rows = kindTotals(e).map(([kind, total]) => [
    KIND_LABELS[kind],
    ...e.regions.map((r) => usd(cell(r, kind))),
    usd(total),
  ]);
  rows.push(["Total", ...e.regions.map((r) => usd(totals[r])), usd(e.totalUsd)]);
  return table(["USD per month", ...e.regions, "total"], rows);
}

/** The whole report for one plan. */
export function renderCostReport(e: Estimate, resources: readonly CostResource[]): string {
  const out: string[] = [
    `Modelled monthly cost: stack ${e.stack} (${HOURS_PER_MONTH} h, on-demand, idle usage as assumed below)`,
    "",
    ...costTable(e),
    "",
    `Total $${e.totalUsd.toFixed(2)}/month, of which $${unverifiedUsd(e).toFixed(2)} rests on unverified prices (marked * below).`,
    "",
    "Top cost drivers and the change that would cut each:",
  ];
  topDrivers(e).forEach((d, i) => {
    const save = d.saveUsd !== undefined ? ` (saves ~$${d.saveUsd.toFixed(2)})` : "";
    out.push(`  ${i + 1}. ${d.region} ${KIND_LABELS[d.kind]}: $${d.usd.toFixed(2)}${save}`, `     ${d.cut}`);
  });
  out.push("", "Whole regions and AZs:", ...regionCuts(e, resources).map((c) => `  - ${c}`));
  const missing = unpriced(e);
  if (missing.length > 0) {
    out.push("", "Unpriced (no price row; not in the totals):");
    for (const l of missing) out.push(`  - ${l.region} ${l.item}: ${l.basis} (${l.resources.join(", ")})`);
  }
  out.push("", "Assumptions (usage the plan cannot show):");
  for (const a of Object.values(ASSUMPTIONS)) out.push(`  - ${a.value} ${a.unit}: ${a.why}`);
  out.push("", "Not modelled:", ...NOT_MODELLED.map((n) => `  - ${n}`));
  out.push("", "Prices used (lib/cost/prices.ts; * = unverified):");
  for (const p of pricesUsed(e)) {
    const where = p.regions === "global" ? "global" : p.regions.join(",");
    const mark = p.evidence === "unverified" ? "*" : " ";
    out.push(
      `  ${mark} ${p.item} [${where}] $${p.usd} ${p.unit}; ${p.evidence}: ${p.source} (read ${p.retrieved}; ${p.url})`,
    );
  }
  return out.join("\n");
}

/** The cost of going from `base` to `head`, per region and kind, and in total. */
export function renderCostDiff(base: Estimate, head: Estimate): string {
  const changes = diffEstimates(base, head);
  const delta = head.totalUsd - base.totalUsd;
  const out = [
    `Cost of the change (stack ${head.stack}): ${signed(delta)}/month ($${base.totalUsd.toFixed(2)} → $${head.totalUsd.toFixed(2)})`,
  ];
  if (changes.length === 0) return [...out, "  no modelled cost changes"].join("\n");
  out.push(
    "",
    ...table(
      ["region", "kind", "before", "after", "change"],
      changes.map((c) => [
        c.region,
        KIND_LABELS[c.kind],
        usd(c.baseUsd),
        usd(c.headUsd),
        signed(c.headUsd - c.baseUsd),
      ]),
      2,
    ),
  );
  return out.join("\n");
}
