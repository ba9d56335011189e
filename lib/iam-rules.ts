/**
 * The IAM rules of the policy pack as pure functions on statement data, so that the same code judges a
 * document in two places:
 * - in the pack (policy-pack/policies/iam.ts), on the JSON text the provider's Check hands over;
 * - in the program (lib/iam.ts), on the statements as components build them, before anything is registered.
 *
 * The second place exists because of the first preview: a document with one unknown leaf (an ARN of a
 * resource not created yet) reaches the pack as one unknown string, so the pack cannot run at all on it
 * (pulumi-terraform-bridge `TransformJSONDocument`; notes/research-policy-preview.md §2). The program still
 * holds the document's structure then: only some leaves are Pulumi Outputs. Those leaves are
 * {@link OPAQUE} here: a Resource that is OPAQUE counts as a specific ARN (it is some resource's ARN), and a
 * principal that is OPAQUE cannot be shown to be an expected one.
 *
 * Rules read only Allow statements; a Deny never widens access.
 */
import {
  ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS,
  ALLOWED_SERVICE_PRINCIPALS,
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_HOST,
} from "./iam-allowlists";

/** A leaf whose text is not known where the rule runs (a Pulumi Output or Promise in the program). */
export const OPAQUE = Object.freeze({ opaque: "known only at deployment" });
export type Opaque = typeof OPAQUE;
/** One leaf of a document: its text, or {@link OPAQUE}. */
export type Leaf = string | Opaque;

/** A statement with every field as a list: what the rules read. */
export interface RuleStatement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly Leaf[];
  readonly notResources: readonly Leaf[];
  /** Principal type (`Service`, `AWS`, `Federated`, or `*` for `"Principal": "*"`) → values. */
  readonly principals: Readonly<Record<string, readonly Leaf[]>>;
  /** Operator → condition key → values. */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly Leaf[]>>>>;
}

/** The pack's names of the rules; program-side findings carry them too, and exemptions are keyed by them. */
export const IAM_RULES = {
  noWildcardActions: "helium-iam-no-wildcard-actions",
  noWildcardResources: "helium-iam-no-wildcard-resources",
  passRoleScoped: "helium-iam-passrole-scoped",
  trustServicePrincipals: "helium-iam-trust-service-principals",
  oidcTrustPinned: "helium-iam-oidc-trust-pinned",
} as const;
export type IamRuleName = (typeof IAM_RULES)[keyof typeof IAM_RULES];

/** Rules on permission documents (identity policies), in the order they are reported. */
export const PERMISSION_RULES: readonly IamRuleName[] = [
  IAM_RULES.noWildcardActions,
  IAM_RULES.noWildcardResources,
  IAM_RULES.passRoleScoped,
];
/** Rules on trust documents (a role's assume-role policy). */
export const TRUST_RULES: readonly IamRuleName[] = [IAM_RULES.trustServicePrincipals, IAM_RULES.oidcTrustPinned];

/** One broken rule in one statement. */
export interface RuleFinding {
  readonly rule: IamRuleName;
  /** Index of the statement in its document. */
  readonly statement: number;
  readonly sid?: string;
  readonly message: string;
}

const text = (leaf: Leaf): string => (typeof leaf === "string" ? leaf : "(a value known only at deployment)");

/** `*`, `s3:*`, `s3:Get*` → a case-insensitive matcher (IAM action names are case-insensitive). */
export function actionPattern(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "i");
}

/** True when `action` (possibly itself a wildcard) is covered by one of `allowed` (which may hold wildcards). */
export function actionCoveredBy(action: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => actionPattern(entry).test(action));
}

/** Condition values for `key` under any operator in `operators` (case-insensitive key match, as IAM does). */
export function conditionValues(statement: RuleStatement, operators: readonly string[], key: string): Leaf[] {
  const values: Leaf[] = [];
  for (const operator of operators) {
    for (const [conditionKey, list] of Object.entries(statement.conditions[operator] ?? {})) {
      if (conditionKey.toLowerCase() === key.toLowerCase()) values.push(...list);
    }
  }
  return values;
}

/** `*`, or a wildcard that covers a whole service (`s3:*`); `s3:*Object*` is narrower and allowed. */
export function isWildcardAction(action: string): boolean {
  return action === "*" || /^[a-z0-9-]+:\*$/i.test(action);
}

/** `arn:aws:iam::<account>:role/<path/name>` with no wildcard. */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[^*?]+$/;

/** One repository and one branch, or one repository's pull requests (read-only preview roles). */
export const PINNED_SUBJECT = /^repo:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:(?:ref:refs\/heads\/[^*?]+|pull_request)$/;

const isGithubOidc = (principal: Leaf): boolean =>
  typeof principal === "string" && principal.includes(GITHUB_OIDC_HOST);

type StatementRule = (statement: RuleStatement) => string[];

const noWildcardActions: StatementRule = (s) => {
  const messages: string[] = [];
  const wild = s.actions.filter(isWildcardAction);
  if (wild.length > 0) messages.push(`Allow grants wildcard action(s) ${wild.join(", ")}; list the exact actions`);
  if (s.notActions.length > 0) messages.push("Allow with NotAction grants everything else; list the exact actions");
  return messages;
};

const noWildcardResources: StatementRule = (s) => {
  const messages: string[] = [];
  if (s.notResources.length > 0)
    messages.push("Allow with NotResource grants every other resource; name the resources");
  if (s.resources.includes("*")) {
    const scoped = s.actions.filter((a) => !actionCoveredBy(a, ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS));
    if (scoped.length > 0)
      messages.push(
        `Resource "*" for action(s) ${scoped.join(", ")} that support resource-level permissions; name the exact ARNs`,
      );
  }
  return messages;
};

const passRoleScoped: StatementRule = (s) => {
  if (!s.actions.some((a) => actionPattern(a).test("iam:PassRole"))) return [];
  const messages: string[] = [];
  // An OPAQUE resource is some role's ARN (a Role's `arn` output): named, not a pattern.
  const unnamed = s.resources.filter((r) => typeof r === "string" && !ROLE_ARN.test(r)).map(text);
  if (unnamed.length > 0 || s.resources.length === 0)
    messages.push(`iam:PassRole on ${unnamed.join(", ") || "no Resource"}; name each role ARN`);
  if (conditionValues(s, ["StringEquals", "StringLike"], "iam:PassedToService").length === 0)
    messages.push("iam:PassRole without an iam:PassedToService condition");
  return messages;
};

const trustServicePrincipals: StatementRule = (s) => {
  const messages: string[] = [];
  for (const [kind, values] of Object.entries(s.principals)) {
    const unexpected =
      kind === "Service"
        ? values.filter((v) => typeof v !== "string" || !ALLOWED_SERVICE_PRINCIPALS.includes(v))
        : kind === "Federated"
          ? values.filter((v) => !isGithubOidc(v))
          : values;
    if (unexpected.length > 0)
      messages.push(`trust policy names unexpected ${kind} principal(s) ${unexpected.map(text).join(", ")}`);
  }
  return messages;
};

const oidcTrustPinned: StatementRule = (s) => {
  if (!(s.principals["Federated"] ?? []).some(isGithubOidc)) return [];
  const messages: string[] = [];
  const audiences = conditionValues(s, ["StringEquals"], `${GITHUB_OIDC_HOST}:aud`);
  if (audiences.length === 0 || audiences.some((a) => a !== GITHUB_OIDC_AUDIENCE))
    messages.push(
      `OIDC trust must pin StringEquals ${GITHUB_OIDC_HOST}:aud to ${GITHUB_OIDC_AUDIENCE} (found ${audiences.map(text).join(", ") || "none"})`,
    );
  const subjects = conditionValues(s, ["StringEquals", "StringLike"], `${GITHUB_OIDC_HOST}:sub`);
  const loose = subjects.filter((sub) => typeof sub !== "string" || !PINNED_SUBJECT.test(sub));
  if (subjects.length === 0)
    messages.push(`OIDC trust has no ${GITHUB_OIDC_HOST}:sub condition: any repository could assume the role`);
  else if (loose.length > 0)
    messages.push(
      `OIDC sub ${loose.map(text).join(", ")} is not pinned to one repository and branch (repo:<owner>/<name>:ref:refs/heads/<branch>, or repo:<owner>/<name>:pull_request)`,
    );
  return messages;
};

const RULES: Readonly<Record<IamRuleName, StatementRule>> = {
  [IAM_RULES.noWildcardActions]: noWildcardActions,
  [IAM_RULES.noWildcardResources]: noWildcardResources,
  [IAM_RULES.passRoleScoped]: passRoleScoped,
  [IAM_RULES.trustServicePrincipals]: trustServicePrincipals,
  [IAM_RULES.oidcTrustPinned]: oidcTrustPinned,
};

/** Findings of one rule over a document's statements (Allow statements only). */
export function ruleFindings(rule: IamRuleName, statements: readonly RuleStatement[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  statements.forEach((s, index) => {
    if (s.effect !== "Allow") return;
    for (const message of RULES[rule](s))
      findings.push({ rule, statement: index, ...(s.sid !== undefined ? { sid: s.sid } : {}), message });
  });
  return findings;
}

/** A reviewed exception to one rule for one document, written in the pack config (policy-config.json). */
export interface RuleExemption {
  readonly rule: string;
  /**
   * The logical name of the resource whose document it is, or a pattern of logical names where `*` stands
   * for any characters (`deploy-*-compute`: every environment's deploy policy of that group). The pack also
   * accepts the resource's URN.
   */
  readonly resource: string;
  readonly reason: string;
}

/** True when an exemption's `resource` (a logical name, or a pattern with `*`) names the logical name `name`. */
export function exemptionNames(resource: string, name: string): boolean {
  if (!resource.includes("*")) return resource === name;
  const pattern = resource
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`).test(name);
}

/**
 * Findings of `rules` over the document of resource `owner` (its logical name), minus those an exemption
 * for that rule and resource accepts: the same entries, matched the same way by logical name, as the pack's
 * exemptions (policy-pack/lib/define.ts).
 */
export function documentFindings(
  owner: string,
  rules: readonly IamRuleName[],
  statements: readonly RuleStatement[],
  exemptions: readonly RuleExemption[] = [],
): RuleFinding[] {
  const exempted = (rule: string) => exemptions.some((e) => e.rule === rule && exemptionNames(e.resource, owner));
  return rules.filter((rule) => !exempted(rule)).flatMap((rule) => ruleFindings(rule, statements));
}
