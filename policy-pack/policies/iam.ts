/**
 * Least-privilege IAM: no wildcard actions, `*` resources only for resource-less actions, a short list of
 * AWS-managed policies, pinned trust (services and GitHub OIDC), scoped PassRole, and separate ECS roles.
 *
 * The statement rules are lib/iam-rules.ts, which the program also applies where it builds each document
 * (lib/iam.ts): at a first preview a document with an unknown ARN reaches this pack as one unknown string,
 * and only the program-side check can judge it then (policy-pack/README.md, "Previews with unknown values").
 */
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "../lib/define";
import { IAM_RULES, ruleFindings, type IamRuleName } from "../../lib/iam-rules";
import { PolicyDocumentError, parseStatements, type Statement } from "../lib/iam-document";
import { UNKNOWN, dependencyUrns, knownString, readArray, readPath, textOf, type ResourceNode } from "../lib/values";
import { ALLOWED_AWS_MANAGED_POLICIES, GITHUB_OIDC_AUDIENCE } from "../../lib/iam-allowlists";

export { PINNED_SUBJECT, isWildcardAction } from "../../lib/iam-rules";

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
function permissionStatements(
  args: ResourceValidationArgs,
  report: (message: string) => void,
): Array<{ label: string; statements: Statement[] }> {
  const result: Array<{ label: string; statements: Statement[] }> = [];
  for (const { label, document } of permissionDocuments(args)) {
    if (document === undefined || document === UNKNOWN) continue;
    try {
      result.push({ label, statements: parseStatements(document) });
    } catch (error) {
      if (error instanceof PolicyDocumentError) report(`${label}: ${error.message}`);
      else throw error;
    }
  }
  return result;
}

const PERMISSION_TYPES = [IAM_POLICY, IAM_ROLE_POLICY, IAM_ROLE];

/** A resource policy that reports one shared rule's findings on every permission document of the resource. */
function permissionRulePolicy(rule: IamRuleName, description: string): ResourceValidationPolicy {
  return resourcePolicy({
    name: rule,
    description,
    enforcementLevel: "mandatory",
    resourceTypes: PERMISSION_TYPES,
    validate: (args, report) => {
      for (const { label, statements } of permissionStatements(args, report))
        for (const finding of ruleFindings(rule, statements)) report(`${label}: ${finding.message}`);
    },
  });
}

export const iamNoWildcardActions: ResourceValidationPolicy = permissionRulePolicy(
  IAM_RULES.noWildcardActions,
  "IAM policies grant no `*` or `service:*` actions, and never use Allow with NotAction.",
);

export const iamNoWildcardResources: ResourceValidationPolicy = permissionRulePolicy(
  IAM_RULES.noWildcardResources,
  "IAM policies use `Resource: *` only for actions that have no resource-level permissions (reviewed list in lib/iam-allowlists.ts).",
);

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
    return parseStatements(document);
  } catch (error) {
    if (error instanceof PolicyDocumentError) {
      report(`assumeRolePolicy: ${error.message}`);
      return [];
    }
    throw error;
  }
}

/** A resource policy that reports one shared rule's findings on a role's trust document. */
function trustRulePolicy(rule: IamRuleName, description: string): ResourceValidationPolicy {
  return resourcePolicy({
    name: rule,
    description,
    enforcementLevel: "mandatory",
    resourceTypes: [IAM_ROLE],
    validate: (args, report) => {
      for (const finding of ruleFindings(rule, trustStatements(args, report))) report(finding.message);
    },
  });
}

export const iamTrustServicePrincipals: ResourceValidationPolicy = trustRulePolicy(
  IAM_RULES.trustServicePrincipals,
  "Role trust policies name only expected service principals (or the GitHub OIDC provider); no `*`, account or other federated principals.",
);

export const iamOidcTrustPinned: ResourceValidationPolicy = trustRulePolicy(
  IAM_RULES.oidcTrustPinned,
  `GitHub OIDC trust pins aud = ${GITHUB_OIDC_AUDIENCE} and a sub for one repository and branch.`,
);

export const iamPassRoleScoped: ResourceValidationPolicy = permissionRulePolicy(
  IAM_RULES.passRoleScoped,
  "iam:PassRole is granted only on named role ARNs and with an iam:PassedToService condition.",
);

export const ecsTaskRoleSeparate: StackValidationPolicy = stackPolicy({
  name: "helium-ecs-task-role-separate",
  description: "An ECS task definition's task role (the app's permissions) is not its execution role (the agent's).",
  enforcementLevel: "mandatory",
  validate: (args, report) => {
    const nodes = args.resources as unknown as ResourceNode[];
    for (const td of nodes.filter((n) => n.type === ECS_TASK_DEFINITION)) {
      // Two references are the same role when they were computed from the same Role: property dependencies,
      // which the engine records at registration, so this holds at a first preview with every ARN unknown.
      const taskUrns = dependencyUrns(td, "taskRoleArn", [IAM_ROLE]);
      const executionUrns = dependencyUrns(td, "executionRoleArn", [IAM_ROLE]);
      let same: boolean;
      if (taskUrns.length > 0 || executionUrns.length > 0) same = taskUrns.some((u) => executionUrns.includes(u));
      else {
        // Neither comes from a role of this stack: ARNs written as text, compared as text.
        const task = knownString(readPath(td.props, "taskRoleArn"));
        same = task !== undefined && task === knownString(readPath(td.props, "executionRoleArn"));
      }
      if (same)
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
