/**
 * The offline diff: what changes between two plans of one stack — resources added, removed, and changed with
 * the inputs that changed and whether the change replaces the resource. It needs no cloud credentials, so CI
 * runs it on every pull request, forks included, where `pulumi preview` cannot run.
 */
import { KEPT_WHEN_REMOVED, replacingInputs } from "./replacements";

/** The parts of a plan (`npm run plan -- <stack> --json`) the diff reads. */
export interface DiffablePlan {
  readonly stack: string;
  readonly resources: readonly {
    readonly type: string;
    readonly name: string;
    readonly inputs: Readonly<Record<string, unknown>>;
  }[];
}

export interface ResourceChange {
  readonly type: string;
  readonly name: string;
  /** Paths of the inputs that differ, e.g. `containerDefinitions[0].image`, `tags.Name`. */
  readonly changedPaths: readonly string[];
  /** Top-level inputs whose change replaces the resource (offline/replacements.ts); empty for an update. */
  readonly replacedBy: readonly string[];
}

export interface PlanDiff {
  readonly added: readonly { readonly type: string; readonly name: string }[];
  readonly removed: readonly { readonly type: string; readonly name: string }[];
  readonly changed: readonly ResourceChange[];
}

/** A JSON document held in a string input (policies, container definitions) is compared as data. */
function asData(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (!(text.startsWith("{") || text.startsWith("["))) return value;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Paths at which `a` and `b` differ; `prefix` is the path so far. */
export function changedPaths(a: unknown, b: unknown, prefix = ""): string[] {
  const left = asData(a);
  const right = asData(b);
  if (Array.isArray(left) && Array.isArray(right)) {
    const paths: string[] = [];
    for (let i = 0; i < Math.max(left.length, right.length); i++)
      paths.push(...changedPaths(left[i], right[i], `${prefix}[${i}]`));
    return paths;
  }
  if (isRecord(left) && isRecord(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    return keys.flatMap((k) => changedPaths(left[k], right[k], prefix === "" ? k : `${prefix}.${k}`));
  }
  return JSON.stringify(left) === JSON.stringify(right) ? [] : [prefix];
}

const keyOf = (r: { readonly type: string; readonly name: string }) => `${r.type}::${r.name}`;

/** The diff from `base` to `head`, in `head`'s resource order (removed ones in `base`'s). */
export function diffPlans(base: DiffablePlan, head: DiffablePlan): PlanDiff {
  const before = new Map(base.resources.map((r) => [keyOf(r), r]));
  const after = new Map(head.resources.map((r) => [keyOf(r), r]));
  const changed: ResourceChange[] = [];
  for (const r of head.resources) {
    const old = before.get(keyOf(r));
    if (old === undefined) continue;
    const paths = changedPaths(old.inputs, r.inputs);
    if (paths.length === 0) continue;
    const topLevel = [...new Set(paths.map((p) => p.split(/[.[]/)[0]))];
    // An optional, computed input left out of the program keeps its value: not a replacement.
    const kept = (KEPT_WHEN_REMOVED[r.type] ?? []).filter(
      (k) => old.inputs[k] !== undefined && r.inputs[k] === undefined,
    );
    const replacedBy = replacingInputs(
      r.type,
      topLevel.filter((input) => !kept.includes(input)),
    );
    changed.push({ type: r.type, name: r.name, changedPaths: paths, replacedBy });
  }
  return {
    added: head.resources.filter((r) => !before.has(keyOf(r))).map(({ type, name }) => ({ type, name })),
    removed: base.resources.filter((r) => !after.has(keyOf(r))).map(({ type, name }) => ({ type, name })),
    changed,
  };
}

/** The diff as text for a pull-request comment. At most `maxPaths` paths per resource are listed. */
export function renderDiff(diff: PlanDiff, maxPaths = 8): string {
  const replaced = diff.changed.filter((c) => c.replacedBy.length > 0);
  const lines = [
    `Offline diff: ${diff.added.length} to add, ${diff.changed.length - replaced.length} to update, ${replaced.length} to replace, ${diff.removed.length} to delete`,
  ];
  for (const r of diff.added) lines.push(`  + ${r.type} ${r.name}`);
  for (const c of diff.changed) {
    const mark = c.replacedBy.length > 0 ? "+-" : "~ ";
    const why = c.replacedBy.length > 0 ? ` (replaced: ${c.replacedBy.join(", ")} changed)` : "";
    lines.push(`  ${mark}${c.type} ${c.name}${why}`);
    for (const path of c.changedPaths.slice(0, maxPaths)) lines.push(`      ${path}`);
    if (c.changedPaths.length > maxPaths) lines.push(`      … ${c.changedPaths.length - maxPaths} more`);
  }
  for (const r of diff.removed) lines.push(`  - ${r.type} ${r.name}`);
  return lines.join("\n");
}
