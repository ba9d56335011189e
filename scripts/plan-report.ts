/**
 * Pure functions behind `npm run plan`: the JSON document CI scripts against, and the readable summary.
 */
import { specialSecretSig, specialSigKey } from "../offline/runtime-adapter";
import type { PolicyReport } from "../policy-pack/engine";
import type { RecordedResource, StackEvaluation } from "../offline/types";
import { secretFingerprint } from "../offline/secret-fingerprint";
import { STACK_REFERENCE_TYPE } from "../offline/stack-references";
import { displayUnknowns } from "../offline/unknowns";

export interface PlanResource {
  readonly type: string;
  readonly name: string;
  /** Parent URN, or null at the root. */
  readonly parent: string | null;
  /** Effective AWS region, or null for global and non-AWS resources. */
  readonly region: string | null;
  readonly inputs: Record<string, unknown>;
  /** Per input property, the resources (`<type>::<name>`) its value came from; the diff follows replacements through them. */
  readonly dependencies: Readonly<Record<string, readonly string[]>>;
}

export interface PlanViolation {
  readonly policy: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly resource: string;
  readonly message: string;
}

/** A policy check lost at preview because a value it read is unknown. */
export interface PlanSkippedCheck {
  readonly policy: string;
  /** The policy's configured level: what the preview did not enforce. */
  readonly enforcementLevel: "mandatory" | "advisory";
  /** URN of the resource (for a stack policy: the one read last), or "". */
  readonly resource: string;
  readonly reason: string;
}

export interface PlanDocument {
  readonly stack: string;
  readonly resources: PlanResource[];
  readonly outputs: Record<string, unknown>;
  readonly violations: PlanViolation[];
  readonly exempted: Array<{ policy: string; resource: string; reason: string }>;
  readonly skipped: PlanSkippedCheck[];
}

export const REDACTED = "[secret]";

/**
 * Replaces every secret-marked value (as the engine marks them) with a placeholder: `[secret]`, or with a
 * fingerprint key (offline/secret-fingerprint.ts) `[secret] <keyed fingerprint>`, for the offline diff only.
 */
export function redactSecrets(value: unknown, fingerprintKey?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, fingerprintKey));
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (record[specialSigKey] === specialSecretSig) {
      return fingerprintKey === undefined ? REDACTED : `${REDACTED} ${secretFingerprint(fingerprintKey, record.value)}`;
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redactSecrets(v, fingerprintKey)]));
  }
  return value;
}

/** Providers and StackReference reads are plumbing, not planned infrastructure. */
export function isPlanned(resource: RecordedResource): boolean {
  return !resource.type.startsWith("pulumi:providers:") && resource.type !== STACK_REFERENCE_TYPE;
}

export interface PlanDocumentOptions {
  /**
   * Show each secret input as `[secret] <fingerprint>` under this key (offline/secret-fingerprint.ts): only for a
   * plan the offline diff compares in memory, never one that is printed for people or saved.
   */
  readonly secretFingerprintKey?: string;
}

export function planDocument(
  evaluation: StackEvaluation,
  report: PolicyReport,
  options: PlanDocumentOptions = {},
): PlanDocument {
  const byUrn = new Map(evaluation.resources.filter(isPlanned).map((r) => [r.urn, `${r.type}::${r.name}`]));
  const outputs = Object.fromEntries(
    Object.entries(evaluation.outputs).map(([k, v]) => [
      k,
      evaluation.secretOutputs.includes(k) ? REDACTED : displayUnknowns(v),
    ]),
  );
  return {
    stack: evaluation.stack,
    resources: evaluation.resources.filter(isPlanned).map((r) => ({
      type: r.type,
      name: r.name,
      parent: r.parent,
      region: r.region,
      inputs: displayUnknowns(redactSecrets(r.inputs, options.secretFingerprintKey)) as Record<string, unknown>,
      dependencies: Object.fromEntries(
        Object.entries(r.propertyDependencies)
          .map(
            ([property, urns]) =>
              [property, urns.map((urn) => byUrn.get(urn)).filter((k): k is string => k !== undefined)] as const,
          )
          .filter(([, keys]) => keys.length > 0),
      ),
    })),
    outputs,
    violations: report.violations.map((v) => ({
      policy: v.policy,
      enforcementLevel: v.enforcementLevel,
      resource: v.resource,
      message: v.message,
    })),
    exempted: report.exempted.map((e) => ({ policy: e.policy, resource: e.resource, reason: e.reason })),
    skipped: report.skipped.map((k) => ({
      policy: k.policy,
      enforcementLevel: k.enforcementLevel,
      resource: k.resource,
      reason: k.reason,
    })),
  };
}

/** Resource counts by type, largest first. */
export function countsByType(resources: readonly PlanResource[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Resource counts per effective region (`global` for region-less ones). Components are not counted. */
export function countsByRegion(resources: readonly RecordedResource[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of resources) {
    if (!r.custom || !isPlanned(r)) continue;
    const key = r.region ?? "global";
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * The component tree: components with their child components, each annotated with the region(s) of the
 * resources below it and how many resources it holds.
 */
export function componentTree(resources: readonly RecordedResource[]): string[] {
  const children = new Map<string | null, RecordedResource[]>();
  for (const r of resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const descendants = (urn: string): RecordedResource[] =>
    (children.get(urn) ?? []).flatMap((c) => [c, ...descendants(c.urn)]);
  const lines: string[] = [];
  const visit = (r: RecordedResource, depth: number) => {
    const below = descendants(r.urn).filter((d) => d.custom);
    const regions = [...new Set(below.map((d) => d.region ?? "global"))].sort();
    lines.push(`${"  ".repeat(depth)}${r.type} ${r.name} [${regions.join(", ") || "-"}] ${below.length} resources`);
    for (const c of children.get(r.urn) ?? []) if (!c.custom) visit(c, depth + 1);
  };
  const roots = resources.filter((r) => !r.custom && (r.parent === null || !resources.some((p) => p.urn === r.parent)));
  roots.forEach((r) => visit(r, 0));
  const topLevelCustom = resources.filter((r) => r.custom && r.parent === null && isPlanned(r)).length;
  if (topLevelCustom > 0) lines.push(`(stack level) ${topLevelCustom} resources`);
  return lines;
}

export interface SkippedGroup {
  readonly policy: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly count: number;
  /** Distinct reasons with how often each occurred, most first. */
  readonly reasons: Array<[string, number]>;
}

/** Skipped checks per policy and level, most first. */
export function skippedByPolicy(skipped: readonly PlanSkippedCheck[]): SkippedGroup[] {
  const groups = new Map<string, { policy: string; level: "mandatory" | "advisory"; reasons: Map<string, number> }>();
  for (const k of skipped) {
    const key = `${k.enforcementLevel} ${k.policy}`;
    const group = groups.get(key) ?? { policy: k.policy, level: k.enforcementLevel, reasons: new Map() };
    group.reasons.set(k.reason, (group.reasons.get(k.reason) ?? 0) + 1);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => ({
      policy: g.policy,
      enforcementLevel: g.level,
      count: [...g.reasons.values()].reduce((a, b) => a + b, 0),
      reasons: [...g.reasons.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    }))
    .sort((a, b) => b.count - a.count || a.policy.localeCompare(b.policy));
}

/** The readable summary printed without --json. */
export function renderSummary(evaluation: StackEvaluation, plan: PlanDocument, seconds: number): string {
  const out: string[] = [];
  const mode = evaluation.mode === "preview" ? " as a first preview" : "";
  out.push(
    `Stack ${plan.stack}: ${plan.resources.length} resources, evaluated offline${mode} in ${seconds.toFixed(1)} s`,
  );
  out.push("", "Component tree (regions of the resources below each component):");
  out.push(...componentTree(evaluation.resources).map((l) => `  ${l}`));
  out.push("", "Cloud resources by region (component resources, which have no region, are not counted):");
  out.push(...countsByRegion(evaluation.resources).map(([region, n]) => `  ${region.padEnd(16)} ${n}`));
  out.push("", "Resources by type:");
  out.push(...countsByType(plan.resources).map(([type, n]) => `  ${String(n).padStart(4)}  ${type}`));
  out.push("", "Outputs:");
  out.push(
    ...JSON.stringify(plan.outputs, null, 2)
      .split("\n")
      .map((l) => `  ${l}`),
  );
  const mandatory = plan.violations.filter((v) => v.enforcementLevel === "mandatory");
  const advisory = plan.violations.filter((v) => v.enforcementLevel === "advisory");
  out.push(
    "",
    `Policy report: ${mandatory.length} mandatory, ${advisory.length} advisory, ${plan.exempted.length} exempted`,
  );
  for (const v of [...mandatory, ...advisory])
    out.push(`  [${v.enforcementLevel}] ${v.policy}: ${v.resource || "(stack)"}\n      ${v.message}`);
  for (const e of plan.exempted) out.push(`  [exempted] ${e.policy}: ${e.resource}\n      reason: ${e.reason}`);
  if (evaluation.mode === "preview" || plan.skipped.length > 0) {
    out.push("", `Policy checks skipped at preview (a value they read is unknown): ${plan.skipped.length}`);
    for (const group of skippedByPolicy(plan.skipped)) {
      out.push(`  ${String(group.count).padStart(4)}  [${group.enforcementLevel}] ${group.policy}`);
      for (const [reason, n] of group.reasons) out.push(`          ${n} × ${reason}`);
    }
  }
  return out.join("\n");
}
