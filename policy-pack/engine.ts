/**
 * The offline engine: runs the pack's policies over the resources the mock harness recorded, building the
 * same argument objects the Pulumi policy runtime (`@pulumi/policy` server.js) builds, so a policy cannot
 * tell the two apart. Props are the recorded inputs (what a preview analyses); component resources and
 * providers are skipped. Enforcement levels come from config as the runtime does it: the policy's config
 * `enforcementLevel`, else the policy's own, else the pack default (advisory).
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
import { unknownCheckingProxy } from "@pulumi/policy";
import type { RecordedResource } from "../offline/types";
import {
  CONFIGURABLE_LEVELS,
  MIN_REASON_LENGTH,
  isExemptedDiagnostic,
  type HeliumPackConfig,
  type PolicySettings,
} from "./lib/define";
import { heliumPolicies } from "./policies";

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

export interface PolicyReport {
  readonly violations: PolicyViolation[];
  readonly exempted: PolicyExemption[];
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

  // What a policy sees of one resource, in both the resource and the stack view: built once per resource.
  const describe = (r: RecordedResource) => {
    const props = unknownCheckingProxy(r.inputs) as Record<string, unknown>;
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
  const described = new Map(analysed.map((r) => [r.urn, describe(r)]));

  // Stack-policy view: every analysed resource, with parent/dependencies resolved to PolicyResource objects.
  const policyResources = new Map<string, PolicyResource>();
  for (const r of analysed) {
    const seen = described.get(r.urn) as ReturnType<typeof describe>;
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

  for (const policy of policies) {
    const configured = levelOf(policy, config);
    if (configured === "disabled") continue;
    // As in the runtime: "remediate" reports as mandatory.
    const level = configured === "advisory" ? "advisory" : "mandatory";
    const getConfig = <T extends object>(): T => settingsOf(policy.name, config) as T;
    try {
      if ("validateStack" in policy && typeof policy.validateStack === "function") {
        const args: StackValidationArgs = {
          resources: [...policyResources.values()],
          stackTags: new Map(),
          getConfig,
          notApplicable,
        };
        assertSynchronous(policy.validateStack(args, record(policy.name, level, undefined)), policy.name);
        continue;
      }
      const validations = (policy as ResourceValidationPolicy).validateResource;
      const list = validations === undefined ? [] : Array.isArray(validations) ? validations : [validations];
      for (const r of analysed) {
        const seen = described.get(r.urn) as ReturnType<typeof describe>;
        const args: ResourceValidationArgs = {
          ...seen,
          asType: asTypeOf(r, seen.props) as ResourceValidationArgs["asType"],
          stackTags: new Map(),
          getConfig,
          notApplicable,
        };
        for (const validate of list) {
          try {
            assertSynchronous(validate(args, record(policy.name, level, r.urn)), policy.name);
          } catch (error) {
            if (!(error instanceof NotApplicable)) throw error;
          }
        }
      }
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
    }
  }
  return { violations, exempted, mandatoryCount: violations.filter((v) => v.enforcementLevel === "mandatory").length };
}
