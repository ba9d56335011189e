/**
 * Reading resource properties the way the Pulumi policy runtime hands them over: during a preview, values
 * that depend on resources not yet created are "unknown", and the runtime's proxy throws
 * `UnknownValueError` when one is read. Where a policy has a fallback (e.g. `propertyDependencies`), it
 * reads through these helpers; elsewhere it lets the error surface, which the runtime reports as
 * "can't run during preview" (advisory) instead of guessing.
 */
import { UnknownValueError } from "@pulumi/policy";

/** Marks a value that is not known during this preview. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

/** Reads `root[path[0]][path[1]]…`; `undefined` when a step is missing, {@link UNKNOWN} when a step is unknown. */
export function readPath(root: unknown, ...path: (string | number)[]): unknown {
  let current: unknown = root;
  try {
    for (const step of path) {
      if (current === null || current === undefined || typeof current !== "object") return undefined;
      current = (current as Record<string | number, unknown>)[step];
    }
    return current;
  } catch (error) {
    if (error instanceof UnknownValueError) return UNKNOWN;
    throw error;
  }
}

/** Like {@link readPath} for an array: each element read on its own, so one unknown element stays local. */
export function readArray(root: unknown, ...path: (string | number)[]): unknown[] | Unknown | undefined {
  const value = readPath(root, ...path);
  if (value === UNKNOWN || value === undefined || value === null) return value === null ? undefined : value;
  if (!Array.isArray(value)) return [value];
  const items: unknown[] = [];
  for (let index = 0; index < value.length; index++) items.push(readPath(value, index));
  return items;
}

export function knownString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** `urn:pulumi:<stack>::<project>::<type chain>::<name>` → `<name>`. */
export function nameOfUrn(urn: string): string {
  const parts = urn.split("::");
  return parts[parts.length - 1] ?? urn;
}

/** `urn:pulumi:<stack>::…` → `<stack>`. */
export function stackOfUrn(urn: string): string {
  const head = urn.split("::")[0] ?? "";
  return head.startsWith("urn:pulumi:") ? head.slice("urn:pulumi:".length) : "";
}

/** The subset of a Pulumi `PolicyResource` that the pure resolution modules need (plain objects in tests). */
export interface ResourceNode {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly propertyDependencies: Readonly<Record<string, readonly { readonly urn: string; readonly type: string }[]>>;
}

/** URNs of resources of `type` that property `property` of `node` was computed from. */
export function dependencyUrns(node: ResourceNode, property: string, types: readonly string[]): string[] {
  return (node.propertyDependencies[property] ?? []).filter((d) => types.includes(d.type)).map((d) => d.urn);
}

/** A value as text for a message: strings as they are, anything else as JSON. */
export function textOf(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
