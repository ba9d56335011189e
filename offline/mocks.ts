/**
 * Pulumi mocks that record every registered resource (type, name, inputs, parent, provider, region,
 * protect, dependencies, aliases) and answer with realistic computed outputs, or, in preview mode, with
 * those outputs unknown as on the first `pulumi preview` of a new stack.
 *
 * Import this module and call {@link installMocks} BEFORE importing any program code: Pulumi reads the
 * mock settings when resources are constructed, and a program imported first would run for real.
 */
import { isDeepStrictEqual } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { isGlobalType, mockCallResult, mockResourceState } from "./mock-outputs";
import { UNKNOWN, hookMockMonitor, quietPromiseTracking, secretEnvelope, type Registration } from "./runtime-adapter";
import { STACK_REFERENCE_TYPE, StackReferenceBoard } from "./stack-references";
import type { EvaluationMode, RecordedResource, ReferencedOutputs } from "./types";
import { withUnknownSentinels, withoutUnknowns } from "./unknowns";
import { engineUrn } from "./urns";

export interface MockOptions {
  readonly project?: string;
  readonly stack?: string;
  /** Defaults to `update`. */
  readonly mode?: EvaluationMode;
  /** Outputs handed to `new pulumi.StackReference(name)`; defaults to an empty board (any read fails). */
  readonly stackReferences?: StackReferenceBoard;
  /** Flat config (`namespace:key` → text) the program reads. */
  readonly config?: Record<string, string>;
  readonly secretKeys?: readonly string[];
}

type Inputs = Record<string, unknown>;

/**
 * The state a new resource has at its first preview: inputs echo back (unknown ones stay unknown), and
 * every property the provider computes (ids, ARNs, DNS names, endpoints, generated names: whatever the
 * update-mode mock adds or changes) is unknown.
 */
export function previewState(inputs: Inputs, updateState: Inputs): Inputs {
  const state: Inputs = { ...inputs };
  for (const [key, value] of Object.entries(updateState)) {
    if (!(key in inputs) || !isDeepStrictEqual(value, withoutUnknowns(inputs[key]))) state[key] = UNKNOWN;
  }
  return state;
}

/** The state a StackReference read answers with: outputs, secret ones marked as the engine marks them. */
function stackReferenceState(name: string, referenced: ReferencedOutputs): Inputs {
  const outputs = Object.fromEntries(
    Object.entries(referenced.outputs).map(([k, v]) => [
      k,
      referenced.secretOutputs.includes(k) ? secretEnvelope(v) : v,
    ]),
  );
  return { name, outputs, secretOutputNames: [...referenced.secretOutputs] };
}

/** Records registrations; one instance per process, reset between unit tests with {@link MockRecorder.reset}. */
export class MockRecorder implements pulumi.runtime.Mocks {
  private readonly recorded: RecordedResource[] = [];
  private readonly providerRegions = new Map<string, string>();
  private pending: Registration | undefined;
  private readonly defaultRegion: string;
  readonly project: string;
  readonly stack: string;
  readonly mode: EvaluationMode;
  readonly stackReferences: StackReferenceBoard;

  constructor(options: MockOptions = {}) {
    this.stackReferences = options.stackReferences ?? new StackReferenceBoard();
    this.defaultRegion = options.config?.["aws:region"] ?? "us-east-1";
    this.project = options.project ?? "helium";
    this.stack = options.stack ?? "test";
    this.mode = options.mode ?? "update";
  }

  /** Every resource registered since the last reset, in registration order. */
  get resources(): readonly RecordedResource[] {
    return this.recorded;
  }

  reset(): void {
    this.recorded.length = 0;
  }

  /** Replaces the referenced stacks' outputs (in-process tests), keyed by StackReference name. */
  setStackReferences(references: Record<string, Record<string, unknown>>): void {
    this.stackReferences.replaceAll(
      Object.fromEntries(Object.entries(references).map(([name, outputs]) => [name, { outputs, secretOutputs: [] }])),
    );
  }

  /** The URN the engine would give: see offline/urns.ts. */
  urnOf(parent: string | null, type: string, name: string): string {
    return engineUrn(name, type, parent, this.project, this.stack);
  }

  /** Called by the monitor hook just before the mock monitor calls {@link newResource} for the same request. */
  notePending(registration: Registration): void {
    this.pending = registration;
  }

  private regionOf(type: string, inputs: Inputs, provider: string | undefined): string | null {
    if (isGlobalType(type)) return null;
    if (typeof inputs.region === "string") return inputs.region;
    const providerUrn = provider?.split("::").slice(0, -1).join("::");
    if (providerUrn && this.providerRegions.has(providerUrn)) return this.providerRegions.get(providerUrn) ?? null;
    return this.defaultRegion;
  }

  /** Id and state of a custom resource in this mode; the id is unknown (undefined) at preview. */
  private answer(type: string, name: string, inputs: Inputs, region: string | null) {
    const update = mockResourceState(type, name, withoutUnknowns(inputs) as Inputs, region);
    if (this.mode === "update") return { id: update.id, state: update.state };
    return { id: undefined, state: previewState(inputs, update.state) };
  }

  newResource(
    args: pulumi.runtime.MockResourceArgs,
  ): pulumi.runtime.MockResourceResult | Promise<pulumi.runtime.MockResourceResult> {
    const registration = this.pending;
    this.pending = undefined;
    if (registration === undefined || registration.type !== args.type || registration.name !== args.name) {
      throw new Error(`${args.type} ${args.name} reached the mocks without passing the monitor hook`);
    }
    const urn = this.urnOf(registration.parent, args.type, args.name);
    const inputs = (args.inputs ?? {}) as Inputs;
    const custom = args.custom !== false;
    const record = (id: string | undefined, state: Inputs, region: string | null = null): RecordedResource => {
      const entry: RecordedResource = {
        urn,
        type: args.type,
        name: args.name,
        id: id ?? null,
        custom,
        parent: registration.parent,
        provider: args.provider ?? null,
        region,
        protect: registration.protect,
        inputs: withUnknownSentinels(inputs) as Inputs,
        outputs: withUnknownSentinels(state) as Inputs,
        dependencies: registration.dependencies,
        propertyDependencies: registration.propertyDependencies,
        aliases: registration.aliases,
      };
      this.recorded.push(entry);
      return entry;
    };

    if (args.type === STACK_REFERENCE_TYPE) {
      // Recorded now, so the order is registration order; answered when the referenced stack's outputs are in.
      const name = String(inputs.name);
      const entry = record(name, inputs);
      return this.stackReferences.read(name).then((referenced) => {
        const state = stackReferenceState(name, referenced);
        const index = this.recorded.indexOf(entry);
        if (index >= 0) this.recorded[index] = { ...entry, outputs: state };
        return { id: name, state };
      });
    }
    if (args.type.startsWith("pulumi:providers:")) {
      const region = typeof inputs.region === "string" ? inputs.region : null;
      // Resources using this provider get its region.
      if (region !== null) this.providerRegions.set(urn, region);
      // A provider created by this deployment has an unknown id at preview, as in the engine.
      const id = this.mode === "update" ? `${args.name}-provider-id` : undefined;
      record(id, inputs, region);
      return { id, state: inputs };
    }
    if (!custom) {
      record(undefined, inputs);
      return { id: undefined, state: inputs };
    }
    const region = this.regionOf(args.type, inputs, args.provider);
    const { id, state } = this.answer(args.type, args.name, inputs, region);
    record(id, state, region);
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return mockCallResult(args.token, (args.inputs ?? {}) as Inputs, this.defaultRegion);
  }
}

export interface InstalledMocks {
  readonly recorder: MockRecorder;
}

/**
 * Pulumi captures a stack trace for every resource and promise it creates; with ts-node's source-map
 * support installed, formatting each one dominates evaluation time (about 3× here). V8's own formatting is
 * kept for mocked evaluations: error messages are unchanged, only TS line mapping in traces is lost.
 */
function useNativeStackTraces(): void {
  const errorClass: { prepareStackTrace?: ErrorConstructor["prepareStackTrace"] } = Error;
  errorClass.prepareStackTrace = undefined;
}

/** Installs the recording mocks and the given config. Call once per process, before importing program code. */
export function installMocks(options: MockOptions = {}): InstalledMocks {
  useNativeStackTraces();
  quietPromiseTracking();
  const recorder = new MockRecorder(options);
  // preview=true makes `pulumi.runtime.isDryRun()` true and turns the unknown sentinel into unknown Outputs.
  void pulumi.runtime.setMocks(recorder, recorder.project, recorder.stack, recorder.mode === "preview");
  pulumi.runtime.setAllConfig(options.config ?? {}, [...(options.secretKeys ?? [])]);
  hookMockMonitor({
    urnOf: (parent, type, name) => recorder.urnOf(parent, type, name),
    beforeNewResource: (registration) => recorder.notePending(registration),
  });
  return { recorder };
}
