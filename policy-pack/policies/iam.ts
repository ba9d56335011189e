/**
 * Least-privilege IAM: no wildcard actions, `*` resources only for resource-less actions, a short list of
 * AWS-managed policies, pinned trust (services and GitHub OIDC), scoped PassRole, and separate ECS roles.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "../lib/define";
import {
  PolicyDocumentError,
  actionCoveredBy,
  actionPattern,
  conditionValues,
  parseStatements,
  type Statement,
} from "../lib/iam-document";
import { UNKNOWN, dependencyUrns, knownString, readArray, readPath, textOf, type ResourceNode } from "../lib/values";
import {
  ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS,
  ALLOWED_AWS_MANAGED_POLICIES,
  ALLOWED_SERVICE_PRINCIPALS,
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_HOST,
} from "./iam-allowlists";

export const IAM_ROLE = "aws:iam/role:Role";
export const IAM_POLICY = "aws:iam/policy:Policy";
export const IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const IAM_ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
export const IAM_POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";
export const ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

/** Permission documents of a resource, each with a label for messages. */
function permissionDocuments(args: ResourceValidationArgs): Array<{ label: string; document: unknown }> {
  if (args.type === IAM_POLICY || args.type === IAM_ROLE_POLICY)
    return [{ label: "policy", document: args.props["policy"] }];
  if (args.type === IAM_ROLE) {
    const inline = readArray(args.props, "inlinePolicies");
    return (Array.isArray(inline) ? inline : []).map((p, i) => ({
      label: `inlinePolicies[${i}] (${textOf(readPath(p, "name") ?? "unnamed")})`,
      document: readPath(p, "policy"),
    }));
  }
  return [];
}

/** Parses each permission document; an unparsable one is itself reported. */
function allowStatements(
  args: ResourceValidationArgs,
  report: (message: string) => void,
): Array<{ label: string; statement: Statement }> {
  const result: Array<{ label: string; statement: Statement }> = [];
  for (const { label, document } of permissionDocuments(args)) {
    if (document === undefined || document === UNKNOWN) continue;
    try {
      for (const statement of parseStatements(document))
        if (statement.effect === "Allow") result.push({ label, statement });
    } catch (error) {
      if (error instanceof PolicyDocumentError) report(`${label}: ${error.message}`);
      else throw error;
    }
  }
  return result;
}

const PERMISSION_TYPES = [IAM_POLICY, IAM_ROLE_POLICY, IAM_ROLE];

/** `*`, `service:*`, or a wildcard that covers a whole service (`s3:*Object*` is narrower and allowed). */
export function isWildcardAction(action: string): boolean {
  return action === "*" || /^[a-z0-9-]+:\*$/i.test(action);
}

export const iamNoWildcardActions: ResourceValidationPolicy = resourcePolicy({
  name: "helium-iam-no-wildcard-actions",
  description: "IAM policies grant no `*` or `service:*` actions, and never use Allow with NotAction.",
  enforcementLevel: "mandatory",
  resourceTypes: PERMISSION_TYPES,
  validate: (args, report) => {
    for (const { label, statement } of allowStatements(args, report)) {
      const wild = statement.actions.filter(isWildcardAction);
      if (wild.length > 0)
        report(`${label}: Allow grants wildcard action(s) ${wild.join(", ")}; list the exact actions`);
      if (statement.notActions.length > 0)
        report(`${label}: Allow with NotAction grants everything else; list the exact actions`);
    }
  },
});

export const iamNoWildcardResources: ResourceValidationPolicy = resourcePolicy({
  name: "helium-iam-no-wildcard-resources",
  description:
    "IAM policies use `Resource: *` only for actions that have no resource-level permissions (reviewed list in iam-allowlists.ts).",
  enforcementLevel: "mandatory",
  resourceTypes: PERMISSION_TYPES,
  validate: (args, report) => {
    for (const { label, statement } of allowStatements(args, report)) {
      if (statement.notResources.length > 0)
        report(`${label}: Allow with NotResource grants every other resource; name the resources`);
      if (!statement.resources.includes("*")) continue;
      const scoped = statement.actions.filter((a) => !actionCoveredBy(a, ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS));
      if (scoped.length > 0)
        report(
          `${label}: Resource "*" for action(s) ${scoped.join(", ")} that support resource-level permissions; name the exact ARNs`,
        );
    }
  },
});

const MANAGED_POLICY_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/;

function disallowedManagedPolicies(arns: readonly unknown[]): string[] {
  return arns.filter((arn): arn is string => {
    if (typeof arn !== "string") return false;
    const match = MANAGED_POLICY_ARN.exec(arn);
    return match !== null && !ALLOWED_AWS_MANAGED_POLICIES.includes(match[1]);
  });
}

export const iamManagedPolicyAllowList: ResourceValidationPolicy = resourcePolicy({
  name: "helium-iam-managed-policy-allowlist",
  description: "Only AWS-managed policies on the reviewed allow-list are attached.",
  enforcementLevel: "mandatory",
  resourceTypes: [IAM_ROLE_POLICY_ATTACHMENT, IAM_POLICY_ATTACHMENT, IAM_ROLE],
  validate: (args, report) => {
    const arns =
      args.type === IAM_ROLE ? readArray(args.props, "managedPolicyArns") : [readPath(args.props, "policyArn")];
    const bad = disallowedManagedPolicies(Array.isArray(arns) ? arns : []);
    if (bad.length > 0)
      report(
        `AWS-managed policy ${bad.join(", ")} is not on the allow-list (${ALLOWED_AWS_MANAGED_POLICIES.join(", ")}); write a scoped policy instead`,
      );
  },
});

function trustStatements(args: ResourceValidationArgs, report: (message: string) => void): Statement[] {
  const document: unknown = args.props["assumeRolePolicy"];
  try {
    return parseStatements(document).filter((s) => s.effect === "Allow");
  } catch (error) {
    if (error instanceof PolicyDocumentError) {
      report(`assumeRolePolicy: ${error.message}`);
      return [];
    }
    throw error;
  }
}

const isGithubOidc = (principal: string): boolean => principal.includes(GITHUB_OIDC_HOST);

export const iamTrustServicePrincipals: ResourceValidationPolicy = resourcePolicy({
  name: "helium-iam-trust-service-principals",
  description:
    "Role trust policies name only expected service principals (or the GitHub OIDC provider); no `*`, account or other federated principals.",
  enforcementLevel: "mandatory",
  resourceTypes: [IAM_ROLE],
  validate: (args, report) => {
    for (const statement of trustStatements(args, report)) {
      for (const [kind, values] of Object.entries(statement.principals)) {
        const unexpected =
          kind === "Service"
            ? values.filter((v) => !ALLOWED_SERVICE_PRINCIPALS.includes(v))
            : kind === "Federated"
              ? values.filter((v) => !isGithubOidc(v))
              : values;
        if (unexpected.length > 0)
          report(`trust policy names unexpected ${kind} principal(s) ${unexpected.join(", ")}`);
      }
    }
  },
});

/** `repo:<owner>/<name>:ref:refs/heads/<branch>` with no wildcard. */
/** One repository and one branch, or one repository's pull requests (read-only preview roles). */
export const PINNED_SUBJECT = /^repo:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:(?:ref:refs\/heads\/[^*?]+|pull_request)$/;

export const iamOidcTrustPinned: ResourceValidationPolicy = resourcePolicy({
  name: "helium-iam-oidc-trust-pinned",
  description: `GitHub OIDC trust pins aud = ${GITHUB_OIDC_AUDIENCE} and a sub for one repository and branch.`,
  enforcementLevel: "mandatory",
  resourceTypes: [IAM_ROLE],
  validate: (args, report) => {
    for (const statement of trustStatements(args, report)) {
      if (!(statement.principals["Federated"] ?? []).some(isGithubOidc)) continue;
      const audiences = conditionValues(statement, ["StringEquals"], `${GITHUB_OIDC_HOST}:aud`);
      if (audiences.length === 0 || audiences.some((a) => a !== GITHUB_OIDC_AUDIENCE)) {
        report(
          `OIDC trust must pin StringEquals ${GITHUB_OIDC_HOST}:aud to ${GITHUB_OIDC_AUDIENCE} (found ${audiences.join(", ") || "none"})`,
        );
      }
      const subjects = conditionValues(statement, ["StringEquals", "StringLike"], `${GITHUB_OIDC_HOST}:sub`);
      const loose = subjects.filter((s) => !PINNED_SUBJECT.test(s));
      if (subjects.length === 0)
        report(`OIDC trust has no ${GITHUB_OIDC_HOST}:sub condition: any repository could assume the role`);
      else if (loose.length > 0)
        report(
          `OIDC sub ${loose.join(", ")} is not pinned to one repository and branch (repo:<owner>/<name>:ref:refs/heads/<branch>, or repo:<owner>/<name>:pull_request)`,
        );
    }
  },
});

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[^*?]+$/;

export const iamPassRoleScoped: ResourceValidationPolicy = resourcePolicy({
  name: "helium-iam-passrole-scoped",
  description: "iam:PassRole is granted only on named role ARNs and with an iam:PassedToService condition.",
  enforcementLevel: "mandatory",
  resourceTypes: PERMISSION_TYPES,
  validate: (args, report) => {
    for (const { label, statement } of allowStatements(args, report)) {
      const passes = statement.actions.some((a) => actionPattern(a).test("iam:PassRole"));
      if (!passes) continue;
      const unnamed = statement.resources.filter((r) => !ROLE_ARN.test(r));
      if (unnamed.length > 0 || statement.resources.length === 0)
        report(`${label}: iam:PassRole on ${unnamed.join(", ") || "no Resource"}; name each role ARN`);
      if (conditionValues(statement, ["StringEquals", "StringLike"], "iam:PassedToService").length === 0) {
        report(`${label}: iam:PassRole without an iam:PassedToService condition`);
      }
    }
  },
});

export const ecsTaskRoleSeparate: StackValidationPolicy = stackPolicy({
  name: "helium-ecs-task-role-separate",
  description: "An ECS task definition's task role (the app's permissions) is not its execution role (the agent's).",
  enforcementLevel: "mandatory",
  validate: (args, report) => {
    const nodes = args.resources as unknown as ResourceNode[];
    for (const td of nodes.filter((n) => n.type === ECS_TASK_DEFINITION)) {
      const task = readPath(td.props, "taskRoleArn");
      const execution = readPath(td.props, "executionRoleArn");
      if (task === undefined || execution === undefined) continue;
      const sameArn = knownString(task) !== undefined && task === execution;
      const taskUrns = dependencyUrns(td, "taskRoleArn", [IAM_ROLE]);
      const executionUrns = dependencyUrns(td, "executionRoleArn", [IAM_ROLE]);
      const sameRole = taskUrns.length > 0 && taskUrns.some((u) => executionUrns.includes(u));
      if (sameArn || sameRole)
        report(td.urn, "taskRoleArn and executionRoleArn are the same role; give the application its own task role");
    }
  },
});

export const iamPolicies = [
  iamNoWildcardActions,
  iamNoWildcardResources,
  iamManagedPolicyAllowList,
  iamTrustServicePrincipals,
  iamOidcTrustPinned,
  iamPassRoleScoped,
  ecsTaskRoleSeparate,
] as const;
