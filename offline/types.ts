/**
 * What the offline runtime records about a stack evaluation. The offline plan prints it, the policy engine
 * checks it, and the tests assert on it.
 */

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
  /** Physical id the mock assigned; null for component resources. */
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
  /** Inputs plus the computed properties the mock returned (arn, dnsName, …). */
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
  readonly resources: readonly RecordedResource[];
  /** The stack's exported outputs, resolved. */
  readonly outputs: Record<string, unknown>;
  /** Names of stack outputs that are secrets. */
  readonly secretOutputs: readonly string[];
}

/** What a child process needs to evaluate one stack. */
export interface EvaluationRequest {
  readonly stack: string;
  /** Flat Pulumi config map (`namespace:key` → text), as the engine hands it to a program. */
  readonly config: Record<string, string>;
  readonly secretKeys: readonly string[];
  /** Outputs of referenced stacks, keyed by the StackReference name the program uses. */
  readonly stackReferences: Record<string, Record<string, unknown>>;
}

export type EvaluationResponse =
  | { readonly ok: true; readonly evaluation: StackEvaluation }
  | {
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
    };
