/**
 * A program's exports as the engine records them: every Output at any depth settled to its value, unknown
 * leaves (first preview) kept as the unknown sentinel instead of waiting for a value that never comes, and
 * a top-level output marked secret when any value inside it is.
 */
import * as pulumi from "@pulumi/pulumi";
import { outputState } from "./runtime-adapter";
import { UNKNOWN, containsUnknownValue } from "./unknowns";

interface Settled {
  readonly value: unknown;
  readonly secret: boolean;
}

async function settle(value: unknown): Promise<Settled> {
  if (pulumi.Output.isInstance(value)) {
    const state = await outputState(value);
    const inner = await settle(state.value);
    // An unknown Output built from several keeps its known parts and `unknown` leaves; one with no such
    // leaf (an unknown id resolves to undefined) is unknown as a whole.
    const known = state.known || containsUnknownValue(inner.value);
    return { value: known ? inner.value : UNKNOWN, secret: state.secret || inner.secret };
  }
  if (pulumi.isUnknown(value)) return { value: UNKNOWN, secret: false };
  if (pulumi.Resource.isInstance(value)) return settle(value.urn);
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map(settle));
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (typeof value === "object" && value !== null) {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await settle(v)] as const));
    return {
      value: Object.fromEntries(entries.map(([k, s]) => [k, s.value])),
      secret: entries.some(([, s]) => s.secret),
    };
  }
  return { value, secret: false };
}

/** Settles every export; never waits on an unknown value. */
export async function settleExports(
  exported: Record<string, unknown>,
): Promise<{ outputs: Record<string, unknown>; secretOutputs: string[] }> {
  const outputs: Record<string, unknown> = {};
  const secretOutputs: string[] = [];
  for (const [name, value] of Object.entries(exported)) {
    const settled = await settle(value);
    outputs[name] = settled.value;
    if (settled.secret) secretOutputs.push(name);
  }
  return { outputs, secretOutputs };
}
