/**
 * IAM policy documents as typed data. Components build statements with these helpers so that every
 * document is plain JSON the policy pack and tests can parse, never a string template.
 *
 * Identity documents (a role's trust, a role's or managed policy's permissions) are built with
 * {@link permissionPolicy}, {@link trustPolicy} or {@link serviceTrustPolicy}: each applies the policy pack's
 * IAM rules (lib/iam-rules.ts) to the statements as they are built and throws an {@link InputError} naming
 * the statement, so the IAM resource is never registered. That is the only check a first preview gets: a
 * document holding the ARN of a resource not created yet reaches the pack as one unknown string
 * (notes/research-policy-preview.md §2). Their type, {@link CheckedDocument}, is the only document type the
 * program's IAM resources accept (lib/aws-iam.ts).
 * Resource-based documents (key, bucket, queue and topic policies) use {@link policyDocument}.
 */
import * as pulumi from "@pulumi/pulumi";
import packConfig from "../policy-config.json";
import {
  OPAQUE,
  PERMISSION_RULES,
  TRUST_RULES,
  documentFindings,
  type IamRuleName,
  type Leaf,
  type RuleExemption,
  type RuleStatement,
} from "./iam-rules";
import { InputError, type Problem } from "./input-error";

export type PolicyPrincipal =
  | "*"
  | {
      readonly Service?: string | string[];
      readonly AWS?: pulumi.Input<string> | pulumi.Input<string>[];
      readonly Federated?: pulumi.Input<string>;
    };

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource?: pulumi.Input<string> | readonly pulumi.Input<string>[];
  readonly Principal?: PolicyPrincipal;
  readonly Condition?: Record<string, Record<string, pulumi.Input<string> | readonly pulumi.Input<string>[]>>;
}

declare const CHECKED: unique symbol;
/** JSON text of an identity document that passed the pack's IAM rules where it was built. */
export type CheckedDocument = string & { readonly [CHECKED]: true };

/**
 * The exemptions of the pack config every deployment passes to the pack (`--policy-pack-config
 * policy-config.json`): one file, so a reviewed exception holds for the pack and the program alike.
 */
export const PACK_EXEMPTIONS: readonly RuleExemption[] = Object.entries(
  packConfig as Record<string, { readonly exemptions?: ReadonlyArray<{ resource: string; reason: string }> }>,
).flatMap(([rule, settings]) =>
  (settings.exemptions ?? []).map((e) => ({ rule, resource: e.resource, reason: e.reason })),
);

/** `{"Version":"2012-10-17","Statement":[…]}` as JSON text, resolving any Outputs inside. Unchecked: resource policies. */
export function policyDocument(statements: readonly PolicyStatement[]): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

type Input = pulumi.Input<string> | readonly pulumi.Input<string>[] | undefined;

/** A value as rule data: text stays text; an Output (or Promise) is a leaf known only at deployment. */
function leaves(value: Input): Leaf[] {
  if (value === undefined) return [];
  const list: readonly unknown[] = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === "string" ? v : OPAQUE));
}

/** A statement as the rules read it (lib/iam-rules.ts). */
export function ruleStatement(statement: PolicyStatement): RuleStatement {
  const principals: Record<string, Leaf[]> = {};
  const principal = statement.Principal;
  if (principal === "*") principals["*"] = ["*"];
  else if (principal !== undefined)
    for (const [kind, value] of Object.entries(principal) as Array<[string, Input]>) principals[kind] = leaves(value);
  const conditions: Record<string, Record<string, Leaf[]>> = {};
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    conditions[operator] = {};
    for (const [key, value] of Object.entries(block)) conditions[operator][key] = leaves(value);
  }
  return {
    ...(statement.Sid !== undefined ? { sid: statement.Sid } : {}),
    effect: statement.Effect,
    actions: typeof statement.Action === "string" ? [statement.Action] : [...statement.Action],
    notActions: [],
    resources: leaves(statement.Resource),
    notResources: [],
    principals,
    conditions,
  };
}

/** A statement for a message: Outputs shown as `<known at deployment>` (an Output's JSON is a warning text). */
function shown(statement: PolicyStatement): Record<string, unknown> {
  const leaf = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(leaf)
      : typeof value === "object" && value !== null && !pulumi.Output.isInstance(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, leaf(v)]))
        : typeof value === "string"
          ? value
          : "<known at deployment>";
  return leaf(statement) as Record<string, unknown>;
}

function problemsOf(
  owner: string,
  rules: readonly IamRuleName[],
  statements: readonly PolicyStatement[],
  exemptions: readonly RuleExemption[],
): Problem[] {
  return documentFindings(owner, rules, statements.map(ruleStatement), exemptions).map((finding) => ({
    key: `${owner}.Statement[${finding.statement}]${finding.sid !== undefined ? ` (Sid ${finding.sid})` : ""}`,
    value: shown(statements[finding.statement]),
    allowed: `${finding.rule}: ${finding.message}`,
  }));
}

/**
 * The pack's permission rules (no wildcard actions, `*` resources only for resource-less actions, scoped
 * PassRole) on the statements of `owner`'s document. `owner` is the logical name of the resource the
 * document belongs to: problem keys start with it, and pack-config exemptions name it.
 */
export function permissionProblems(
  owner: string,
  statements: readonly PolicyStatement[],
  exemptions: readonly RuleExemption[] = PACK_EXEMPTIONS,
): Problem[] {
  return problemsOf(owner, PERMISSION_RULES, statements, exemptions);
}

/** The pack's trust rules (expected principals only, GitHub OIDC pinned) on the statements of `owner`'s trust document. */
export function trustProblems(
  owner: string,
  statements: readonly PolicyStatement[],
  exemptions: readonly RuleExemption[] = PACK_EXEMPTIONS,
): Problem[] {
  return problemsOf(owner, TRUST_RULES, statements, exemptions);
}

function checked(source: string, problems: readonly Problem[], statements: readonly PolicyStatement[]) {
  if (problems.length > 0) throw new InputError(source, problems);
  return policyDocument(statements) as pulumi.Output<CheckedDocument>;
}

/**
 * A permission document (RolePolicy, Policy) for the resource named `owner`, checked first.
 * @throws InputError naming each statement that breaks a rule, before the caller registers the resource.
 */
export function permissionPolicy(
  owner: string,
  statements: readonly PolicyStatement[],
  exemptions: readonly RuleExemption[] = PACK_EXEMPTIONS,
): pulumi.Output<CheckedDocument> {
  return checked(`IAM policy ${owner}`, permissionProblems(owner, statements, exemptions), statements);
}

/**
 * A role's trust document for the role named `owner`, checked first.
 * @throws InputError naming each statement that breaks a rule, before the caller registers the role.
 */
export function trustPolicy(
  owner: string,
  statements: readonly PolicyStatement[],
  exemptions: readonly RuleExemption[] = PACK_EXEMPTIONS,
): pulumi.Output<CheckedDocument> {
  return checked(`IAM trust policy ${owner}`, trustProblems(owner, statements, exemptions), statements);
}

/**
 * Trust policy for an AWS service principal, pinned to this account with `aws:SourceAccount` where the
 * service sets it (confused-deputy protection). Checked like {@link trustPolicy}: the service must be on the
 * reviewed list (lib/iam-allowlists.ts).
 */
export function serviceTrustPolicy(
  service: string,
  sourceAccount?: pulumi.Input<string>,
): pulumi.Output<CheckedDocument> {
  return trustPolicy(`trust of ${service}`, [
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(sourceAccount !== undefined ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
    },
  ]);
}

/** Denies any request to these resources that is not over TLS (S3, SQS, SNS resource policies). */
export function denyInsecureTransport(action: string, resources: readonly pulumi.Input<string>[]): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: action,
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
