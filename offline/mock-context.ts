/**
 * What every mocked resource's outputs are built from (offline/mock-outputs.ts): the mock account, stable
 * hashes of the resource's type and logical name, its physical name and region, and the ARN and state
 * builders. Deterministic, so that plans are stable from run to run.
 */
import { stableHash } from "../lib/name-fitting";

export const MOCK_ACCOUNT_ID = "123456789012";

/** The 26 digits terraform-plugin-sdk's id.PrefixedUniqueId appends: a timestamp and a counter. */
export function uniqueSuffix(seed: string): string {
  return (BigInt(`0x${stableHash(seed, 20)}`) % 10n ** 26n).toString().padStart(26, "0");
}

export function uuidFrom(seed: string): string {
  const h = stableHash(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export type Inputs = Record<string, unknown>;
export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The physical name AWS would have: the explicit name input, or Pulumi's auto-name (logical name + suffix). */
function physicalName(logicalName: string, inputs: Inputs, seed: string): string {
  return str(inputs.name) ?? `${logicalName}-${stableHash(seed, 7)}`;
}

export interface MockState {
  readonly id: string;
  readonly state: Inputs;
}

/** One resource as the mocks see it, with the values every output is derived from. */
export interface MockContext {
  readonly type: string;
  readonly logicalName: string;
  readonly inputs: Inputs;
  /** `<type>::<logical name>`: what every hash of the resource is taken from. */
  readonly seed: string;
  readonly h8: string;
  readonly h17: string;
  /** The effective region; us-east-1 for global types. */
  readonly r: string;
  readonly account: string;
  /** The physical name. */
  readonly name: string;
  /** `arn:aws:<service>:<region>:<account>:<resource>`, in the resource's region unless one is given. */
  readonly arn: (service: string, resource: string, arnRegion?: string) => string;
  /** The resource's id, and its inputs with `extra` outputs over them. */
  readonly withState: (id: string, extra?: Inputs) => MockState;
}

/** `region` is the effective region (null for global types). */
export function mockContext(type: string, logicalName: string, inputs: Inputs, region: string | null): MockContext {
  const seed = `${type}::${logicalName}`;
  const r = region ?? "us-east-1";
  const account = MOCK_ACCOUNT_ID;
  return {
    type,
    logicalName,
    inputs,
    seed,
    h8: stableHash(seed, 8),
    h17: stableHash(seed, 17),
    r,
    account,
    name: physicalName(logicalName, inputs, seed),
    arn: (service, resource, arnRegion = r) => `arn:aws:${service}:${arnRegion}:${account}:${resource}`,
    withState: (id, extra = {}) => ({ id, state: { ...inputs, ...extra } }),
  };
}
