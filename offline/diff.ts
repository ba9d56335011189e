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
    /** Per input property, the resources (`<type>::<name>`) its value came from. Absent in older plans. */
    readonly dependencies?: Readonly<Record<string, readonly string[]>>;
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
  /**
   * Secret inputs of resources in both plans that could not be compared: a side shows only `[secret]`, without
   * a fingerprint of the value (a saved plan; offline/secret-fingerprint.ts). A change to them is not shown.
   */
  readonly secretsNotCompared: readonly { readonly type: string; readonly name: string; readonly path: string }[];
}

/** How a plan shows a secret value: `[secret]`, or `[secret] <fingerprint>` in a plan made for a diff. */
const SECRET = "[secret]";
const isSecret = (value: unknown): value is string =>
  typeof value === "string" && (value === SECRET || value.startsWith(`${SECRET} `));
/** The mark on a changed secret input's path: the diff says that it changed, never what to. */
export const SECRET_CHANGED = "([secret] changed)";

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

/**
 * Paths at which `a` and `b` differ; `prefix` is the path so far. A secret on both sides is compared by its
 * fingerprint: a changed one is listed as `<path> ([secret] changed)`; without a fingerprint on both sides it
 * cannot be compared, and its path goes to `uncompared` instead.
 */
export function changedPaths(a: unknown, b: unknown, prefix = "", uncompared: string[] = []): string[] {
  if (isSecret(a) && isSecret(b)) {
    if (a === SECRET || b === SECRET) {
      uncompared.push(prefix);
      return [];
    }
    return a === b ? [] : [`${prefix} ${SECRET_CHANGED}`];
  }
  const left = asData(a);
  const right = asData(b);
  if (Array.isArray(left) && Array.isArray(right)) {
    const paths: string[] = [];
    for (let i = 0; i < Math.max(left.length, right.length); i++)
      paths.push(...changedPaths(left[i], right[i], `${prefix}[${i}]`, uncompared));
    return paths;
  }
  if (isRecord(left) && isRecord(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    return keys.flatMap((k) => changedPaths(left[k], right[k], prefix === "" ? k : `${prefix}.${k}`, uncompared));
  }
  return JSON.stringify(left) === JSON.stringify(right) ? [] : [prefix];
}

const keyOf = (r: { readonly type: string; readonly name: string }) => `${r.type}::${r.name}`;

/**
 * The diff from `base` to `head`, in `head`'s resource order (removed ones in `base`'s). A replaced resource gets
 * new ids and ARNs, which offline values do not show: every input taken from it (`dependencies`) changes too,
 * and replaces its resource in turn when that input forces replacement.
 */
export function diffPlans(base: DiffablePlan, head: DiffablePlan): PlanDiff {
  const before = new Map(base.resources.map((r) => [keyOf(r), r]));
  const after = new Map(head.resources.map((r) => [keyOf(r), r]));
  const paths = new Map<string, string[]>();
  // Optional, computed inputs the head leaves out: they keep their value, so their removal replaces nothing.
  const kept = new Map<string, readonly string[]>();
  const secretsNotCompared: { type: string; name: string; path: string }[] = [];
  for (const r of head.resources) {
    const old = before.get(keyOf(r));
    if (old === undefined) continue;
    const uncompared: string[] = [];
    paths.set(keyOf(r), changedPaths(old.inputs, r.inputs, "", uncompared));
    secretsNotCompared.push(...uncompared.map((path) => ({ type: r.type, name: r.name, path })));
    kept.set(
      keyOf(r),
      (KEPT_WHEN_REMOVED[r.type] ?? []).filter((k) => old.inputs[k] !== undefined && r.inputs[k] === undefined),
    );
  }
  const replaced = new Set<string>();
  const topLevel = (list: readonly string[]) => [...new Set(list.map((p) => p.split(/[.[\s]/)[0]))];
  const forcing = (r: { readonly type: string; readonly name: string }, list: readonly string[]) =>
    replacingInputs(
      r.type,
      topLevel(list).filter((input) => !(kept.get(keyOf(r)) ?? []).includes(input)),
    );
  // Replacements propagate until nothing new is replaced (dependencies form no cycle, so this ends).
  for (let grew = true; grew;) {
    grew = false;
    for (const r of head.resources) {
      const list = paths.get(keyOf(r));
      if (list === undefined || replaced.has(keyOf(r))) continue;
      for (const [property, sources] of Object.entries(r.dependencies ?? {})) {
        const source = sources.find((s) => replaced.has(s));
        const note = `${property} (from replaced ${source})`;
        if (source !== undefined && !list.includes(note) && !list.some((p) => topLevel([p])[0] === property))
          list.push(note);
      }
      if (forcing(r, list).length > 0) {
        replaced.add(keyOf(r));
        grew = true;
      }
    }
  }
  const changed: ResourceChange[] = [];
  for (const r of head.resources) {
    const list = paths.get(keyOf(r));
    if (list === undefined || list.length === 0) continue;
    changed.push({
      type: r.type,
      name: r.name,
      changedPaths: list,
      replacedBy: forcing(r, list),
    });
  }
  return {
    added: head.resources.filter((r) => !before.has(keyOf(r))).map(({ type, name }) => ({ type, name })),
    removed: base.resources.filter((r) => !after.has(keyOf(r))).map(({ type, name }) => ({ type, name })),
    changed,
    secretsNotCompared,
  };
}

export interface RenderOptions {
  /** At most this many paths per resource are listed. */
  readonly maxPaths?: number;
  /** What the diff is against, e.g. `origin/main (1d3444e)` or `base.json`. */
  readonly base?: string;
  /** Why secret inputs could not be compared against this base (said when the diff has any). */
  readonly secretsNotComparedBecause?: string;
}

/** The diff as text for a pull-request comment. */
export function renderDiff(diff: PlanDiff, options: RenderOptions = {}): string {
  const maxPaths = options.maxPaths ?? 8;
  const replaced = diff.changed.filter((c) => c.replacedBy.length > 0);
  const against = options.base !== undefined ? ` against ${options.base}` : "";
  const lines = [
    `Offline diff${against}: ${diff.added.length} to add, ${diff.changed.length - replaced.length} to update, ${replaced.length} to replace, ${diff.removed.length} to delete`,
  ];
  const uncompared = diff.secretsNotCompared;
  if (uncompared.length > 0) {
    const resources = new Set(uncompared.map((u) => `${u.type}::${u.name}`)).size;
    const because = options.secretsNotComparedBecause ?? "the base shows no fingerprint of their values";
    lines.push(
      `  ! ${uncompared.length} secret input(s) of ${resources} resource(s) not compared: ${because}. A change to a secret value does not show here.`,
    );
    for (const u of uncompared.slice(0, maxPaths)) lines.push(`      ${u.type} ${u.name} ${u.path}`);
    if (uncompared.length > maxPaths) lines.push(`      … ${uncompared.length - maxPaths} more`);
  }
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
