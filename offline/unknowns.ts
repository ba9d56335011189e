/**
 * Unknown values in recorded data. The runtime hands mocks an `unknown` object for an input that is not
 * known at preview; the recorder stores the wire sentinel string instead, which is what the policy runtime
 * receives for the same input (and survives JSON, unlike the object). The plan shows it as "[unknown]".
 */
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "./runtime-adapter";

export { UNKNOWN };

/** How the plan prints an unknown value. */
export const UNKNOWN_DISPLAY = "[unknown]";

export function isUnknownValue(value: unknown): boolean {
  return value === UNKNOWN;
}

/** Rebuilds arrays and plain objects at any depth, replacing each value `swap` changes. */
function rebuild(value: unknown, swap: (v: unknown) => unknown): unknown {
  const swapped = swap(value);
  if (swapped !== value) return swapped;
  if (Array.isArray(value)) return value.map((v) => rebuild(v, swap));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebuild(v, swap)]));
  }
  return value;
}

/** The runtime's `unknown` objects become the sentinel string. */
export const withUnknownSentinels = (value: unknown): unknown =>
  rebuild(value, (v) => (pulumi.isUnknown(v) ? UNKNOWN : v));

/** The runtime's `unknown` objects become `undefined`: what a mock computes outputs from. */
export const withoutUnknowns = (value: unknown): unknown =>
  rebuild(value, (v) => (pulumi.isUnknown(v) ? undefined : v));

/** The sentinel becomes {@link UNKNOWN_DISPLAY}, for printing. */
export const displayUnknowns = (value: unknown): unknown =>
  rebuild(value, (v) => (isUnknownValue(v) ? UNKNOWN_DISPLAY : v));

/** True when the value holds the sentinel at any depth. */
export function containsUnknownValue(value: unknown): boolean {
  if (isUnknownValue(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknownValue);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknownValue);
  return false;
}
