/**
 * The offline engine: runs the pack's policies over the resources the offline runtime recorded, building the
 * same argument objects the Pulumi policy runtime (`@pulumi/policy` server.js) builds, so a policy cannot
 * tell the two apart. Resource policies see the recorded inputs as the provider's Check returns them (what
 * the engine analyses before a step); stack policies see each resource's outputs (what it analyses after,
 * planned state at preview). Component resources and providers
 * are skipped. Enforcement levels come from config as the runtime does it: the policy's config
 * `enforcementLevel`, else the policy's own, else the pack default (advisory).
 *
 * Unknowns, as at a first preview: props hold the unknown sentinel behind `unknownCheckingProxy`, so reading
 * one throws `UnknownValueError`. The runtime then reports "can't run policy … during preview" as an
 * ADVISORY diagnostic, whatever the policy's level, and the check is lost: for a resource policy on that
 * resource, for a stack policy on the whole stack. The report lists each lost check in `skipped`.
 */
import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
} from "@pulumi/policy";
import * as policyRuntime from "@pulumi/policy";
import { checkedInputs } from "../offline/provider-check";
import type { RecordedResource } from "../offline/types";
import {
  CONFIGURABLE_LEVELS,
  MIN_REASON_LENGTH,
  isExemptedDiagnostic,
  type HeliumPackConfig,
  type PolicySettings,
} from "./lib/define";
import { PACK_NAME, heliumPolicies } from "./policies";

export type { HeliumPackConfig } from "./lib/define";

export interface PolicyViolation {
  readonly policy: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  /** URN, or "" for a finding about the stack as a whole. */
  readonly resource: string;
  readonly resourceName: string;
  readonly resourceType: string;
  readonly message: string;
}

export interface PolicyExemption {
  readonly policy: string;
  readonly resource: string;
  readonly reason: string;
  readonly message: string;
}

/** A check the policy runtime could not run because a value it read is unknown (first preview). */
export interface SkippedCheck {
  readonly policy: string;
  /** The policy's configured level: what was lost. The runtime reports the skip itself as advisory. */
  readonly enforcementLevel: "mandatory" | "advisory";
  /**
   * URN of the resource checked (resource policies), or, for a stack policy, of the resource whose
   * properties it read last before the unknown; "" when it read none.
   */
  readonly resource: string;
  /** The UnknownValueError message, e.g. "string value at .policy can't be known during preview". */
  readonly reason: string;
  /** The diagnostic the runtime prints. */
  readonly message: string;
}

export interface PolicyReport {
  readonly violations: PolicyViolation[];
  readonly exempted: PolicyExemption[];
  /** Checks lost to unknown values; empty when every value is known (update mode). */
  readonly skipped: SkippedCheck[];
  readonly mandatoryCount: number;
}

export interface RunOptions {
  readonly config?: HeliumPackConfig;
  /** Defaults to the pack's policies; tests pass single policies. */
  readonly policies?: Policies;
}

export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

/** Rejects config the real runtime's JSON-schema validation would reject, naming the key and the bad value. */
export function validatePackConfig(config: HeliumPackConfig, policies: Policies): void {
  const names = policies.map((p) => p.name);
  for (const [policy, settings] of Object.entries(config)) {
    if (!names.includes(policy))
      throw new PolicyConfigError(
        `policy config names unknown policy "${policy}"; known policies: ${names.join(", ")}`,
      );
    const level = settings.enforcementLevel;
    if (level !== undefined && !CONFIGURABLE_LEVELS.includes(level)) {
      throw new PolicyConfigError(
        `${policy}.enforcementLevel is "${String(level)}"; allowed: ${CONFIGURABLE_LEVELS.join(", ")}`,
      );
    }
    (settings.exemptions ?? []).forEach((exemption, index) => {
      if (typeof exemption.resource !== "string" || exemption.resource.length === 0) {
        throw new PolicyConfigError(
          `${policy}.exemptions[${index}].resource must name a resource (URN or logical name)`,
        );
      }
      if (typeof exemption.reason !== "string" || exemption.reason.trim().length < MIN_REASON_LENGTH) {
        throw new PolicyConfigError(
          `${policy}.exemptions[${index}] (${exemption.resource}) needs a written reason of at least ${MIN_REASON_LENGTH} characters`,
        );
      }
    });
  }
}

/**
 * `unknownCheckingProxy` and `UnknownValueError` are exported by @pulumi/policy at runtime but marked
 * @internal, so their declarations are stripped; this is their shape (policy-pack/node_modules has the same).
 */
const { unknownCheckingProxy, UnknownValueError } = policyRuntime as unknown as {
  unknownCheckingProxy: <T extends object>(props: T) => T;
  UnknownValueError: abstract new (...args: never[]) => Error;
};

/** The runtime's diagnostic for a check lost to an unknown (server.ts: `can't run ${policyFrom} during preview`). */
function cannotRunMessage(policy: string, reason: string): string {
  return `can't run policy '${policy}' from policy pack '${PACK_NAME}' during preview: ${reason}`;
}

const isAnalysed = (r: RecordedResource): boolean => r.custom && !r.type.startsWith("pulumi:providers:");

function typeOf(resourceClass: unknown): string | undefined {
  const token = (resourceClass as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof token === "string" ? token : undefined;
}

function optionsOf(r: RecordedResource): PolicyResourceOptions {
  return {
    protect: r.protect,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent !== null ? { parent: r.parent } : {}),
  };
}

function assertSynchronous(result: unknown, policy: string): void {
  if (result !== undefined && typeof (result as { then?: unknown }).then === "function") {
    throw new Error(`policy ${policy} returned a promise; the offline engine runs policies synchronously`);
  }
}

function levelOf(
  policy: { name: string; enforcementLevel?: EnforcementLevel },
  config: HeliumPackConfig,
): EnforcementLevel {
  return config[policy.name]?.enforcementLevel ?? policy.enforcementLevel ?? "advisory";
}

function settingsOf(policy: string, config: HeliumPackConfig): object {
  const { enforcementLevel: _level, ...rest }: PolicySettings = config[policy] ?? {};
  return rest;
}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};
class NotApplicable extends Error {}

export function runPolicyPack(resources: readonly RecordedResource[], options: RunOptions = {}): PolicyReport {
  const config = options.config ?? {};
  const policies = options.policies ?? heliumPolicies;
  validatePackConfig(config, policies);

  const analysed = resources.filter(isAnalysed);
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const providerOf = (r: RecordedResource) => {
    if (r.provider === null) return undefined;
    const urn = r.provider.split("::").slice(0, -1).join("::");
    const provider = byUrn.get(urn);
    return provider === undefined
      ? undefined
      : { type: provider.type, urn: provider.urn, name: provider.name, props: provider.inputs };
  };

  // What a policy sees of one resource, in the resource view (inputs) or the stack view (outputs).
  const describe = (r: RecordedResource, props: Record<string, unknown>) => {
    const provider = providerOf(r);
    return {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: optionsOf(r),
      ...(provider !== undefined ? { provider } : {}),
      isType: (resourceClass: unknown) => typeOf(resourceClass) === r.type,
    };
  };
  // The two views type asType differently (PolicyResource vs ResourceValidationArgs); the logic is one.
  const asTypeOf = (r: RecordedResource, props: Record<string, unknown>) => (resourceClass: unknown) =>
    typeOf(resourceClass) === r.type ? props : undefined;
  // Resource policies see what Check returned (offline/provider-check.ts).
  const described = new Map(
    analysed.map((r) => [r.urn, describe(r, unknownCheckingProxy(checkedInputs(r.type, r.inputs)))]),
  );

  // Stack-policy view: every analysed resource's outputs, with parent/dependencies resolved to PolicyResource
  // objects. Props are wrapped once more to note whose properties a stack policy read last, so a check lost
  // to an unknown can name the resource (the runtime's message names only the property path).
  let lastRead = "";
  const noteReads = (urn: string, props: Record<string, unknown>) =>
    new Proxy(props, {
      get: (target, key, receiver) => {
        lastRead = urn;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  const policyResources = new Map<string, PolicyResource>();
  for (const r of analysed) {
    const seen = describe(r, noteReads(r.urn, unknownCheckingProxy(checkedInputs(r.type, r.outputs))));
    policyResources.set(r.urn, {
      ...seen,
      asType: asTypeOf(r, seen.props) as PolicyResource["asType"],
      dependencies: [],
      propertyDependencies: {},
    });
  }
  const resolve = (urns: readonly string[]) =>
    urns.map((u) => policyResources.get(u)).filter((p): p is PolicyResource => p !== undefined);
  for (const r of analysed) {
    const resource = policyResources.get(r.urn) as PolicyResource;
    const parent = r.parent === null ? undefined : policyResources.get(r.parent);
    if (parent !== undefined) resource.parent = parent;
    resource.dependencies = resolve(r.dependencies);
    for (const [property, urns] of Object.entries(r.propertyDependencies))
      resource.propertyDependencies[property] = resolve(urns);
  }

  const violations: PolicyViolation[] = [];
  const exempted: PolicyExemption[] = [];
  const skipped: SkippedCheck[] = [];
  const record =
    (policy: string, level: "mandatory" | "advisory", fallbackUrn: string | undefined) =>
    (message: unknown, urn?: string): void => {
      if (isExemptedDiagnostic(message)) {
        exempted.push({ policy, resource: message.urn, reason: message.exemption.reason, message: message.message });
        return;
      }
      const target = urn ?? fallbackUrn;
      const resource = target === undefined ? undefined : byUrn.get(target);
      violations.push({
        policy,
        enforcementLevel: level,
        resource: target ?? "",
        resourceName: resource?.name ?? "(stack)",
        resourceType: resource?.type ?? "pulumi:pulumi:Stack",
        message: String(message),
      });
    };
  // Runs one validation as the runtime does: "not applicable" ends it quietly, an unknown read loses it.
  const attempt = (
    policy: string,
    level: "mandatory" | "advisory",
    resource: () => string,
    validate: () => unknown,
  ) => {
    try {
      assertSynchronous(validate(), policy);
    } catch (error) {
      if (error instanceof UnknownValueError) {
        skipped.push({
          policy,
          enforcementLevel: level,
          resource: resource(),
          reason: error.message,
          message: cannotRunMessage(policy, error.message),
        });
      } else if (!(error instanceof NotApplicable)) throw error;
    }
  };

  for (const policy of policies) {
    const configured = levelOf(policy, config);
    if (configured === "disabled") continue;
    // As in the runtime: "remediate" reports as mandatory.
    const level = configured === "advisory" ? "advisory" : "mandatory";
    const getConfig = <T extends object>(): T => settingsOf(policy.name, config) as T;
    if ("validateStack" in policy && typeof policy.validateStack === "function") {
      const args: StackValidationArgs = {
        resources: [...policyResources.values()],
        stackTags: new Map(),
        getConfig,
        notApplicable,
      };
      lastRead = "";
      attempt(
        policy.name,
        level,
        () => lastRead,
        () => policy.validateStack(args, record(policy.name, level, undefined)),
      );
      continue;
    }
    const validations = (policy as ResourceValidationPolicy).validateResource;
    const list = validations === undefined ? [] : Array.isArray(validations) ? validations : [validations];
    for (const r of analysed) {
      const seen = described.get(r.urn) as ReturnType<typeof describe>;
      // Built per policy, with the provider set last, as the runtime builds them (server.js makeAnalyzeRpcFun,
      // which also builds them again for each function of a policy's validateResource array). A spread of
      // `seen` here was most of the engine's own time.
      const args: ResourceValidationArgs = {
        type: seen.type,
        props: seen.props,
        urn: seen.urn,
        name: seen.name,
        opts: seen.opts,
        isType: seen.isType,
        asType: asTypeOf(r, seen.props) as ResourceValidationArgs["asType"],
        stackTags: new Map(),
        getConfig,
        notApplicable,
      };
      if (seen.provider !== undefined) args.provider = seen.provider;
      for (const validate of list) {
        attempt(
          policy.name,
          level,
          () => r.urn,
          () => validate(args, record(policy.name, level, r.urn)),
        );
      }
    }
  }
  return {
    violations,
    exempted,
    skipped,
    mandatoryCount: violations.filter((v) => v.enforcementLevel === "mandatory").length,
  };
}
