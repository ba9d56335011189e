/**
 * What the offline runtime records about a stack evaluation. The offline plan prints it, the policy engine
 * checks it, and the tests assert on it.
 *
 * A value that is unknown (first preview: ids, ARNs and other computed outputs, and every input derived
 * from them) is recorded as the runtime's unknown sentinel string, as the policy runtime receives it;
 * see {@link isUnknownValue} in offline/unknowns.ts.
 */

/**
 * `update`: outputs are known, as after `pulumi up`. `preview`: the first `pulumi preview` of a new stack,
 * where every computed output is unknown (inputs, invokes and StackReferences are known).
 */
export type EvaluationMode = "update" | "preview";

/**
 * One entry of a resource's `aliases` option as the SDK sends it to the engine: an old URN, or a spec whose
 * empty fields mean "the same as now" (`parentUrn` "" with `noParent` false: the current parent).
 */
export type RecordedAlias =
  | { readonly kind: "urn"; readonly urn: string }
  | {
      readonly kind: "spec";
      readonly name: string;
      readonly type: string;
      readonly stack: string;
      readonly project: string;
      readonly parentUrn: string;
      readonly noParent: boolean;
    };

/** One resource as registered with the (mock) Pulumi engine. */
export interface RecordedResource {
  /** The URN the engine gives it: the parent's whole type chain, see offline/urns.ts. */
  readonly urn: string;
  /** Type token, e.g. `aws:ec2/vpc:Vpc` or `helium:index:HeliumRegion`. */
  readonly type: string;
  /** Logical name given to the constructor. */
  readonly name: string;
  /** Physical id the mock assigned; null for component resources and for ids unknown at preview. */
  readonly id: string | null;
  /** True for provider-managed (custom) resources, false for components. */
  readonly custom: boolean;
  /** URN of the parent resource, or null at the root. */
  readonly parent: string | null;
  /** Provider reference (`urn::id`) when an explicit provider was given. */
  readonly provider: string | null;
  /** Effective AWS region, or null for global (IAM, Route 53, Global Accelerator) and non-AWS resources. */
  readonly region: string | null;
  readonly protect: boolean;
  /** Inputs as the program passed them, with Outputs resolved. Secret values are redacted by the plan, not here. */
  readonly inputs: Record<string, unknown>;
  /** What the engine answers: inputs plus the computed properties (arn, dnsName, …), unknown at preview. */
  readonly outputs: Record<string, unknown>;
  /** URNs of resources this one depends on. */
  readonly dependencies: readonly string[];
  /** Per input property, the URNs of the resources its value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** The resource's own `aliases` option (inherited aliases are the engine's; see offline/aliases.ts). */
  readonly aliases: readonly RecordedAlias[];
}

/** The result of evaluating one stack program under mocks. */
export interface StackEvaluation {
  readonly stack: string;
  readonly mode: EvaluationMode;
  readonly resources: readonly RecordedResource[];
  /** The stack's exported outputs, resolved; unknown leaves hold the unknown sentinel. */
  readonly outputs: Record<string, unknown>;
  /** Names of stack outputs that are secrets. */
  readonly secretOutputs: readonly string[];
}

/** A referenced stack's exports, as a StackReference reads them. */
export interface ReferencedOutputs {
  readonly outputs: Record<string, unknown>;
  readonly secretOutputs: readonly string[];
}

/** What an evaluation needs: the program, the stack's config, and the outputs of the stacks it references. */
export interface EvaluationRequest {
  /** Absolute path of the program module (its `export =` is the stack's outputs, or a promise of them). */
  readonly program: string;
  readonly stack: string;
  readonly mode: EvaluationMode;
  /** Flat Pulumi config map (`namespace:key` → text), as the engine hands it to a program. */
  readonly config: Record<string, string>;
  readonly secretKeys: readonly string[];
  /** StackReference names the program may read; reading any other name fails. */
  readonly referenceNames: readonly string[];
}

/** Time spent in one phase: elapsed (wall) and CPU (user + system) of the process that ran it. */
export interface PhaseTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Where one evaluation's time went, measured in the process that ran it. */
export interface EvaluationTimings {
  /** Loading the program's modules (the packages they import included) and running it up to its first await. */
  readonly import: PhaseTime;
  /** The program's own work until every registration, invoke and apply has finished. */
  readonly registration: PhaseTime;
  /** Settling the exported outputs and closing the mock monitor. */
  readonly outputs: PhaseTime;
}

/** Parent → evaluation process: one request, with the referenced stacks' outputs (known before it is sent). */
export interface EvaluationMessage {
  readonly id: number;
  readonly request: EvaluationRequest;
  readonly references: Readonly<Record<string, ReferencedOutputs>>;
}

export type EvaluationResponse =
  | { readonly ok: true; readonly evaluation: StackEvaluation; readonly timings: EvaluationTimings }
  | {
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
      /**
       * The failed program created no resource (it may have read a StackReference) and left no RPC running: a
       * bad input rejected before the first registration. The process that ran it can run the next
       * evaluation. Absent means false.
       */
      readonly clean?: boolean;
      /** The failure is an unhandled rejection reported while the program ran (not an error it threw). */
      readonly rejection?: boolean;
      /**
       * Set by an evaluation process that served a clean failure before: the rejection may be that earlier
       * program's, reported late. The parent runs the request again in a fresh process.
       */
      readonly retry?: boolean;
    };

/** Evaluation process → parent. */
export interface EvaluationReply {
  readonly id: number;
  readonly response: EvaluationResponse;
}
