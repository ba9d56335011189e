/**
 * The one place that touches Pulumi runtime internals. Everything else in offline/ uses public APIs
 * (`pulumi.runtime.setMocks`, `getMonitor`, `Output`) and imports what it needs of the internals from here,
 * so an SDK upgrade that moves them breaks one file. Each internal says why it is needed.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RecordedAlias } from "./types";

/**
 * Wire-format sentinels of `runtime/rpc` (reachable as `pulumi.runtime.*`, but the protocol's, not an API):
 * an object `{ [specialSigKey]: specialSecretSig, value }` is how mocks receive a secret input; the plan
 * redacts values marked this way.
 */
export const { specialSigKey, specialSecretSig } = pulumi.runtime;

/**
 * The wire sentinel for an unknown value. Mocks put it in a resource's state to make that output unknown
 * at preview (the runtime deserializes it to `unknown` when `isDryRun()`), and the engine hands it to the
 * policy runtime for every unknown string, where `unknownCheckingProxy` recognises it.
 */
export const UNKNOWN: string = pulumi.runtime.unknownValue;

/** A value the mocks hand back as a secret, in the wire format the runtime deserializes. */
export function secretEnvelope(value: unknown): Record<string, unknown> {
  return { [specialSigKey]: specialSecretSig, value };
}

/** What a RegisterResourceRequest (or ReadResourceRequest) tells the engine, and mocks are not told. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly protect: boolean;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
  readonly aliases: RecordedAlias[];
}

// The subset of the generated protobuf classes (untyped in the SDK's .d.ts) that we read.
interface AliasSpecMessage {
  getName(): string;
  getType(): string;
  getStack(): string;
  getProject(): string;
  getParenturn(): string;
  getNoparent(): boolean;
}
interface AliasMessage {
  hasSpec(): boolean;
  getSpec(): AliasSpecMessage | undefined;
  getUrn(): string;
}
interface ReadRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
}
interface RegisterRequest extends ReadRequest {
  getProtect(): boolean;
  getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getAliasesList(): AliasMessage[];
}
type Callback = (err: unknown, response: unknown) => void;
interface MockMonitorInternals {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  readResource(req: ReadRequest, callback: Callback): Promise<void>;
  newUrn(parent: string, type: string, name: string): string;
}

export interface MonitorHooks {
  /** The URN the monitor answers with for a resource under `parent` (null at the root). */
  urnOf(parent: string | null, type: string, name: string): string;
  /** Runs just before the mock monitor calls `mocks.newResource` for this request. */
  beforeNewResource(registration: Registration): void;
}

function aliasesOf(req: RegisterRequest): RecordedAlias[] {
  return req.getAliasesList().map((alias): RecordedAlias => {
    const spec = alias.hasSpec() ? alias.getSpec() : undefined;
    if (spec === undefined) return { kind: "urn", urn: alias.getUrn() };
    return {
      kind: "spec",
      name: spec.getName(),
      type: spec.getType(),
      stack: spec.getStack(),
      project: spec.getProject(),
      parentUrn: spec.getParenturn(),
      noParent: spec.getNoparent(),
    };
  });
}

/**
 * Hooks into the mock monitor (the object `setMocks` installs; `getMonitor` is public, its methods are not):
 * - `registerResource` / `readResource`: mocks see type, name and inputs only, but parent, protect,
 *   dependencies and aliases are in the request. The mock monitor calls `mocks.newResource` synchronously
 *   at the start of both, so `beforeNewResource` pairs with that call.
 * - `newUrn`: the mock keeps only the parent's last type segment; the engine keeps the whole chain, and
 *   aliases, parents and dependencies must use the engine's URNs to be comparable with a real state.
 */
export function hookMockMonitor(hooks: MonitorHooks): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorInternals;
  monitor.newUrn = (parent, type, name) => hooks.urnOf(parent || null, type, name);

  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value, key) => {
      propertyDependencies[key] = value.getUrnsList();
    });
    hooks.beforeNewResource({
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || null,
      protect: req.getProtect(),
      dependencies: req.getDependenciesList(),
      propertyDependencies,
      aliases: aliasesOf(req),
    });
    return register(req, callback);
  };

  const read = monitor.readResource.bind(monitor);
  monitor.readResource = (req, callback) => {
    hooks.beforeNewResource({
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || null,
      protect: false,
      dependencies: req.getDependenciesList(),
      propertyDependencies: {},
      aliases: [],
    });
    return read(req, callback);
  };
}

interface RuntimeWithRpcWait {
  waitForRPCs(): Promise<void>;
}

/**
 * Waits until every pending registration, invoke and apply has finished. `waitForRPCs` is exported by the
 * runtime but marked internal (absent from the .d.ts); it is the drain `pulumi.runtime.disconnect()` uses,
 * without closing the monitor, so in-process unit tests can drain between tests.
 */
export function waitForRpcs(): Promise<void> {
  return (pulumi.runtime as unknown as RuntimeWithRpcWait).waitForRPCs();
}

/** What an Output holds, without `apply`: an apply callback never runs on an unknown value, so awaiting one hangs. */
export interface OutputState {
  readonly known: boolean;
  readonly secret: boolean;
  /** The value with unknown parts as the runtime's `unknown` (check with `pulumi.isUnknown`). */
  readonly value: unknown;
}

interface OutputInternals {
  readonly isKnown: Promise<boolean>;
  promise(withUnknowns?: boolean): Promise<unknown>;
}

/**
 * Reads an Output's value, knownness and secretness. `isKnown` and `promise(withUnknowns)` are the
 * Output's internal fields (stripped from the .d.ts); they are what the runtime itself awaits when it
 * serializes a stack's outputs, unknown ones included.
 */
export async function outputState(output: pulumi.Output<unknown>): Promise<OutputState> {
  const internals = output as unknown as OutputInternals;
  const [known, secret, value] = await Promise.all([
    internals.isKnown,
    pulumi.isSecret(output),
    internals.promise(true),
  ]);
  return { known, secret, value };
}

interface RuntimeState {
  withLocalStorage<T>(callback: () => T): T;
}

/**
 * Runs `callback` with a runtime state of its own (settings, config, mock monitor, pending RPCs, leak
 * candidates), as the Automation API runs each inline program (`@pulumi/pulumi` automation/server.js). Every
 * continuation of the callback keeps that state (AsyncLocalStorage), so one process can evaluate stack after
 * stack without one leaking resources or config into the next. `runtime/state` is internal to the SDK.
 */
export function withOwnRuntimeState<T>(callback: () => T): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an SDK internal, absent from the typings
  const state = require("@pulumi/pulumi/runtime/state") as RuntimeState;
  return state.withLocalStorage(callback);
}

type DebuggablePromise = <T>(promise: Promise<T>, context: unknown) => Promise<T>;
interface DebuggableModule {
  debuggablePromise: DebuggablePromise;
  /** The promises still active in the current runtime state, and the runtime's message about them ("" if none). */
  leakedPromises(): [ReadonlySet<Promise<unknown>>, string];
}

/**
 * The message the runtime prints when its process exits with promises still active ("The Pulumi runtime
 * detected that N promises were still active…", runtime/debuggable.js `leakedPromises`), for the current
 * runtime state; "" when none are. Empties that state's list, as the runtime does.
 */
export function leakedPromisesMessage(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module the SDK's types do not declare
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
  return debuggable.leakedPromises()[1];
}
const QUIET = Symbol.for("helium.quietPromiseTracking");

/**
 * The runtime's `debuggablePromise` (runtime/debuggable.js) captures and formats a stack trace for every
 * promise it tracks, read only when PULUMI_DEBUG_PROMISE_LEAKS is set: under mocks, a third or more of the
 * CPU of a component test or a stack evaluation. Wrapped so that trace is empty unless that variable is
 * set; every other error keeps its stack, and leak detection (which counts the promises) is unchanged.
 * The SDK calls it through its module object (`debuggable_1.debuggablePromise(…)`), so replacing the
 * export reaches every caller. Idempotent.
 */
export function quietPromiseTracking(): void {
  if (process.env["PULUMI_DEBUG_PROMISE_LEAKS"] !== undefined) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module the SDK's types do not declare
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as DebuggableModule & { [QUIET]?: true };
  if (debuggable[QUIET]) return;
  const original = debuggable.debuggablePromise;
  debuggable.debuggablePromise = (promise, context) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return original(promise, context);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  debuggable[QUIET] = true;
}
