/**
 * The one place where enforcement-level overrides and exemptions are implemented. Every Helium policy is
 * built with {@link resourcePolicy} or {@link stackPolicy}, which:
 * - declare the pack-config schema every policy accepts (`enforcementLevel`, handled by the Pulumi runtime
 *   itself, and `exemptions`);
 * - route each finding through the exemptions: an exempted finding is still reported, as an advisory
 *   diagnostic that says "exempted" and carries the written reason; it is never dropped.
 *
 * Pack config (`pulumi preview --policy-pack policy-pack --policy-pack-config policy-config.json`):
 * ```json
 * { "helium-lb-internal-unless-public-edge": {
 *     "enforcementLevel": "advisory",
 *     "exemptions": [{ "resource": "legacy-alb", "reason": "Old edge ALB, removed in ticket HE-123" }] } }
 * ```
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { exemptionNames } from "../../lib/iam-rules";
import { nameOfUrn } from "./values";

/** Levels our policies declare. */
export type PolicyLevel = "mandatory" | "advisory";
/** Levels pack config may set. */
export type ConfigurableLevel = PolicyLevel | "disabled";
export const CONFIGURABLE_LEVELS: readonly ConfigurableLevel[] = ["mandatory", "advisory", "disabled"];

export interface Exemption {
  /** The exempted resource: its full URN, its logical name, or a logical-name pattern where `*` is any characters. */
  readonly resource: string;
  /** Why the finding is accepted; at least {@link MIN_REASON_LENGTH} characters. */
  readonly reason: string;
}
export const MIN_REASON_LENGTH = 10;

/** What pack config may say about one policy. */
export interface PolicySettings {
  readonly enforcementLevel?: ConfigurableLevel;
  readonly exemptions?: readonly Exemption[];
  readonly [key: string]: unknown;
}

/** Pack config: policy name → settings. */
export type HeliumPackConfig = Readonly<Record<string, PolicySettings>>;

/**
 * The object form of a diagnostic. `ReportViolation` is typed as `(message, urn?)`, but the runtime's
 * `makeReportViolationFun` (server.js) also accepts an object whose `enforcementLevel` and `urn` win over
 * the policy's; that is how an exempted finding becomes advisory for that one resource. `exemption` is ours:
 * the runtime ignores it, the offline engine reads it.
 */
export interface ExemptedDiagnostic {
  readonly message: string;
  readonly urn: string;
  readonly enforcementLevel: "advisory";
  readonly exemption: { readonly resource: string; readonly reason: string };
}

export function isExemptedDiagnostic(value: unknown): value is ExemptedDiagnostic {
  return typeof value === "object" && value !== null && "exemption" in value && "urn" in value;
}

const EXEMPTION_SCHEMA: PolicyConfigJSONSchema = {
  type: "array",
  description:
    "Resources (URN, logical name, or logical-name pattern with *) this policy does not block, each with a written reason.",
  items: {
    type: "object",
    properties: {
      resource: { type: "string", minLength: 1 },
      reason: { type: "string", minLength: MIN_REASON_LENGTH },
    },
    required: ["resource", "reason"],
    additionalProperties: false,
  },
};

interface CommonSpec {
  /** `helium-…`; unique in the pack. */
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: PolicyLevel;
  readonly remediationSteps?: string;
  /** Policy-specific config properties (besides `exemptions`), with defaults. */
  readonly extraConfig?: Readonly<Record<string, PolicyConfigJSONSchema>>;
}

export interface ResourcePolicySpec<TSettings extends PolicySettings> extends CommonSpec {
  /** Type tokens this policy looks at. */
  readonly resourceTypes: readonly string[];
  readonly validate: (args: ResourceValidationArgs, report: (message: string) => void, settings: TSettings) => void;
}

export interface StackPolicySpec<TSettings extends PolicySettings> extends CommonSpec {
  readonly validate: (
    args: StackValidationArgs,
    report: (urn: string, message: string) => void,
    settings: TSettings,
  ) => void;
}

function configSchema(spec: CommonSpec): PolicyConfigSchema {
  return { properties: { exemptions: EXEMPTION_SCHEMA, ...(spec.extraConfig ?? {}) } };
}

/** Applies the defaults in `extraConfig` (the real runtime applies them from the schema; the engine does not). */
function withDefaults<TSettings extends PolicySettings>(spec: CommonSpec, raw: object): TSettings {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(spec.extraConfig ?? {})) {
    if (schema.default !== undefined) defaults[key] = schema.default;
  }
  return { ...defaults, ...(raw as Record<string, unknown>) } as TSettings;
}

/** The exemption naming `urn`: by URN, or by logical name or pattern, matched as the program matches it (lib/iam-rules.ts). */
export function findExemption(exemptions: readonly Exemption[] | undefined, urn: string): Exemption | undefined {
  const name = nameOfUrn(urn);
  return (exemptions ?? []).find((e) => e.resource === urn || exemptionNames(e.resource, name));
}

function exemptingReporter(settings: PolicySettings, reportViolation: ReportViolation) {
  return (urn: string, message: string): void => {
    const exemption = findExemption(settings.exemptions, urn);
    if (exemption === undefined) {
      reportViolation(message, urn);
      return;
    }
    const diagnostic: ExemptedDiagnostic = {
      message: `exempted (${exemption.reason}): ${message}`,
      urn,
      enforcementLevel: "advisory",
      exemption: { resource: exemption.resource, reason: exemption.reason },
    };
    (reportViolation as unknown as (diagnostic: ExemptedDiagnostic) => void)(diagnostic);
  };
}

/** What every policy declares, resource or stack: name, description, level, remediation, config schema. */
function policyHeader(spec: CommonSpec) {
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel satisfies EnforcementLevel,
    ...(spec.remediationSteps !== undefined ? { remediationSteps: spec.remediationSteps } : {}),
    configSchema: configSchema(spec),
  };
}

export function resourcePolicy<TSettings extends PolicySettings = PolicySettings>(
  spec: ResourcePolicySpec<TSettings>,
): ResourceValidationPolicy {
  return {
    ...policyHeader(spec),
    validateResource: (args, reportViolation) => {
      if (!spec.resourceTypes.includes(args.type)) return;
      const settings = withDefaults<TSettings>(spec, args.getConfig<object>());
      const report = exemptingReporter(settings, reportViolation);
      spec.validate(args, (message) => report(args.urn, message), settings);
    },
  };
}

export function stackPolicy<TSettings extends PolicySettings = PolicySettings>(
  spec: StackPolicySpec<TSettings>,
): StackValidationPolicy {
  return {
    ...policyHeader(spec),
    validateStack: (args, reportViolation) => {
      const settings = withDefaults<TSettings>(spec, args.getConfig<object>());
      spec.validate(args, exemptingReporter(settings, reportViolation), settings);
    },
  };
}
