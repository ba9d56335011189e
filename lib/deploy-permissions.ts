/**
 * What a `pulumi up` of an application environment needs, and no more: the deploy role that GitHub Actions
 * assumes gets exactly these statements.
 *
 * - Every action that AWS scopes to resources is granted on ARNs of the account, the environment's regions
 *   and its resources: by fixed name (lib/naming.ts) where the program fixes one, by the environment's tags
 *   where names are generated (lib/deploy-permissions-scope.ts explains both).
 * - `Resource: "*"` appears only for actions that AWS defines without a resource type; such a statement's
 *   Sid ends in `NoResourceScope`. tests/lib/deploy-permissions-iam-data.test.ts checks every action, ARN
 *   and condition key against AWS's IAM data.
 * - Grouped by concern into separate customer-managed policies, because one managed policy holds at most
 *   6,144 characters.
 */
import type * as pulumi from "@pulumi/pulumi";
import { capabilityStatements, containerStatements, loadBalancingStatements } from "./deploy-permissions-compute";
import { dataStoreStatements, keyStatements } from "./deploy-permissions-data";
import { databaseStatements } from "./deploy-permissions-database";
import { edgeStatements } from "./deploy-permissions-edge";
import { networkStatements, networkTaggingStatements } from "./deploy-permissions-network";
import { observabilityStatements } from "./deploy-permissions-observability";
import type { DeployScope } from "./deploy-permissions-scope";
import type { PolicyStatement } from "./iam";

export type { DeployScope } from "./deploy-permissions-scope";

/** One managed policy each, attached to the deploy role (IAM allows 10 per role by default: all are used). */
export const DEPLOY_POLICY_GROUPS = [
  "network",
  "network-tagging",
  "load-balancing",
  "compute",
  "ecs-capabilities",
  "data",
  "keys",
  "database",
  "edge",
  "observability",
] as const;
export type DeployPolicyGroup = (typeof DEPLOY_POLICY_GROUPS)[number];

const BUILDERS: Readonly<Record<DeployPolicyGroup, (scope: DeployScope) => PolicyStatement[]>> = {
  network: networkStatements,
  "network-tagging": networkTaggingStatements,
  "load-balancing": loadBalancingStatements,
  compute: containerStatements,
  "ecs-capabilities": capabilityStatements,
  data: dataStoreStatements,
  keys: keyStatements,
  database: databaseStatements,
  edge: edgeStatements,
  observability: observabilityStatements,
};

/** The deploy statements per policy group: a pure function of plain data. */
export function deployPolicyStatements(scope: DeployScope): Record<DeployPolicyGroup, PolicyStatement[]> {
  return Object.fromEntries(DEPLOY_POLICY_GROUPS.map((group) => [group, BUILDERS[group](scope)])) as Record<
    DeployPolicyGroup,
    PolicyStatement[]
  >;
}

/** ECR push rights for the pipeline that builds images: the home-region repositories only. */
export function imagePushStatements(repositoryArns: readonly pulumi.Input<string>[]): PolicyStatement[] {
  return [
    {
      Sid: "PushToHeliumRepositories",
      Effect: "Allow",
      Action: [
        "ecr:BatchCheckLayerAvailability",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
        "ecr:PutImage",
        "ecr:BatchGetImage",
        "ecr:DescribeImages",
      ],
      Resource: [...repositoryArns],
    },
    { Sid: "RegistryLoginHasNoResourceScope", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
  ];
}

/** Characters IAM counts against a managed policy's 6,144 limit (whitespace is not counted). */
export function policySize(document: string): number {
  return document.replace(/\s/g, "").length;
}
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;
