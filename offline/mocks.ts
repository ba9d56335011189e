/**
 * Pulumi mocks that record every registered resource (type, name, inputs, parent, provider, region,
 * protect, dependencies) and answer with realistic computed outputs.
 *
 * Import this module and call {@link installMocks} BEFORE importing any program code: Pulumi reads the
 * mock settings when resources are constructed, and a program imported first would run for real.
 */
import * as pulumi from "@pulumi/pulumi";
import { isGlobalType, mockCallResult, mockResourceState } from "./mock-outputs";
import { hookMockMonitor, type Registration } from "./runtime-adapter";
import type { RecordedResource } from "./types";
import { engineUrn } from "./urns";

export interface MockOptions {
  readonly project?: string;
  readonly stack?: string;
  /** Outputs handed to `new pulumi.StackReference(name)`, keyed by that name. */
  readonly stackReferences?: Record<string, Record<string, unknown>>;
  /** Flat config (`namespace:key` → text) the program reads. */
  readonly config?: Record<string, string>;
  readonly secretKeys?: readonly string[];
}

/** Records registrations; one instance per process, reset between unit tests with {@link MockRecorder.reset}. */
export class MockRecorder implements pulumi.runtime.Mocks {
  private readonly recorded: RecordedResource[] = [];
  private readonly providerRegions = new Map<string, string>();
  private pending: Registration | undefined;
  private stackReferences: Record<string, Record<string, unknown>>;
  private readonly defaultRegion: string;
  readonly project: string;
  readonly stack: string;

  constructor(options: MockOptions = {}) {
    this.stackReferences = options.stackReferences ?? {};
    this.defaultRegion = options.config?.["aws:region"] ?? "us-east-1";
    this.project = options.project ?? "helium";
    this.stack = options.stack ?? "test";
  }

  /** Every resource registered since the last reset, in registration order. */
  get resources(): readonly RecordedResource[] {
    return this.recorded;
  }

  reset(): void {
    this.recorded.length = 0;
  }

  setStackReferences(references: Record<string, Record<string, unknown>>): void {
    this.stackReferences = references;
  }

  /** The URN the engine would give: see offline/urns.ts. */
  urnOf(parent: string | null, type: string, name: string): string {
    return engineUrn(name, type, parent, this.project, this.stack);
  }

  /** Called by the monitor hook just before the mock monitor calls {@link newResource} for the same request. */
  notePending(registration: Registration): void {
    this.pending = registration;
  }

  private regionOf(type: string, inputs: Record<string, unknown>, provider: string | undefined): string | null {
    if (isGlobalType(type)) return null;
    if (typeof inputs.region === "string") return inputs.region;
    const providerUrn = provider?.split("::").slice(0, -1).join("::");
    if (providerUrn && this.providerRegions.has(providerUrn)) return this.providerRegions.get(providerUrn) ?? null;
    return this.defaultRegion;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const registration = this.pending;
    this.pending = undefined;
    if (registration === undefined || registration.type !== args.type || registration.name !== args.name) {
      throw new Error(`${args.type} ${args.name} reached the mocks without passing the monitor hook`);
    }
    const urn = this.urnOf(registration.parent, args.type, args.name);
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    const custom = args.custom !== false;

    let id: string | null = null;
    let outputs: Record<string, unknown> = { ...inputs };
    let region: string | null = null;
    if (args.type === "pulumi:pulumi:StackReference") {
      const name = String(inputs.name);
      const referenced = this.stackReferences[name];
      if (referenced === undefined) {
        throw new Error(
          `StackReference "${name}" was not provided to the mock harness; known: ${Object.keys(this.stackReferences).join(", ") || "none"}`,
        );
      }
      id = name;
      outputs = { name, outputs: referenced, secretOutputNames: [] };
    } else if (args.type.startsWith("pulumi:providers:")) {
      id = `${args.name}-provider-id`;
      if (typeof inputs.region === "string") {
        region = inputs.region;
        // Resources using this provider get its region.
        this.providerRegions.set(urn, region);
      }
    } else if (custom) {
      region = this.regionOf(args.type, inputs, args.provider);
      const state = mockResourceState(args.type, args.name, inputs, region);
      id = state.id;
      outputs = state.state;
    }

    this.recorded.push({
      urn,
      type: args.type,
      name: args.name,
      id,
      custom,
      parent: registration.parent,
      provider: args.provider ?? null,
      region,
      protect: registration.protect,
      inputs,
      outputs,
      dependencies: registration.dependencies,
      propertyDependencies: registration.propertyDependencies,
      aliases: registration.aliases,
    });
    return { id: id ?? undefined, state: outputs };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return mockCallResult(args.token, (args.inputs ?? {}) as Record<string, unknown>, this.defaultRegion);
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
  const recorder = new MockRecorder(options);
  // preview=false: outputs are known, as after an update, so apply callbacks run and nothing is hidden.
  void pulumi.runtime.setMocks(recorder, options.project ?? "helium", options.stack ?? "test", false);
  pulumi.runtime.setAllConfig(options.config ?? {}, [...(options.secretKeys ?? [])]);
  hookMockMonitor({
    urnOf: (parent, type, name) => recorder.urnOf(parent, type, name),
    beforeNewResource: (registration) => recorder.notePending(registration),
  });
  return { recorder };
}
