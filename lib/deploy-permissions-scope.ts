/**
 * The scope a CI deploy role is confined to, and the ARN, name and tag-condition helpers the deploy
 * statements are built from (lib/deploy-permissions.ts). Pure functions of plain data.
 *
 * Three ways to scope, used in this order of preference:
 * - **Fixed physical names** (lib/naming.ts), mirrored here for an environment given as any string.
 * - **Tags**, for resources with generated names or ids (VPCs, security groups, load balancers, keys, …):
 *   every resource the environment program creates carries the provider default tags `Project=helium` and
 *   `Environment=<env>`, checked with `aws:RequestTag` on create and `aws:ResourceTag` afterwards.
 * - **Account, region and resource type** only, where AWS offers neither (a comment says so at the use).
 *
 * Regional ARNs use `*` for the region and the statement carries `aws:RequestedRegion` with exactly the
 * environment's regions: the same scope as one ARN per region, at a third of the policy size.
 */
import type { PolicyStatement } from "./iam";
import { regionInfo } from "./regions";

export interface DeployScope {
  /** The environment the role deploys (any name: staging, production, qa, …). */
  readonly environment: string;
  readonly account: string;
  /** Regions the environment runs in. */
  readonly regions: readonly string[];
  /** Route 53 hosted zone the environment writes records in. */
  readonly hostedZoneId: string;
}

export type Condition = NonNullable<PolicyStatement["Condition"]>;

/** The provider default tags (stacks/environment.ts) that every resource of an environment carries. */
export const PROJECT_TAG = { key: "Project", value: "helium" } as const;
export const ENVIRONMENT_TAG_KEY = "Environment";

// ── Names (mirror lib/naming.ts for an environment given as a string; tests compare the two) ─────────────

/** `""` in production, `-<env>` elsewhere, as lib/naming.ts environmentInfix. */
export function nameInfix(environment: string): string {
  return environment === "production" ? "" : `-${environment}`;
}

/** `helium-<thing>[-<env>]-<region short>`, as lib/naming.ts regionalName. */
export function regionalName(environment: string, region: string, thing: string): string {
  return `helium-${thing}${nameInfix(environment)}-${regionInfo(region).short}`;
}

/** `helium-<region name>[-<env>]-cluster`, as lib/naming.ts clusterName. */
export function clusterName(environment: string, region: string): string {
  return `helium-${regionInfo(region).name}${nameInfix(environment)}-cluster`;
}

/** `/helium/<env>/`: the IAM path of the environment's roles and the prefix of its log groups. */
export function environmentPath(environment: string): string {
  return `/helium/${environment}/`;
}

// ── ARNs ────────────────────────────────────────────────────────────────────────────────────────────

/** A regional ARN in the account, any region: pair it with {@link inRegions}. */
export const regionalArn = (scope: DeployScope, service: string, resource: string): string =>
  `arn:aws:${service}:*:${scope.account}:${resource}`;

/** A global-service ARN in the account (IAM, CloudWatch dashboards, Global Accelerator). */
export const accountArn = (scope: DeployScope, service: string, resource: string): string =>
  `arn:aws:${service}::${scope.account}:${resource}`;

/** One regional ARN per region of the environment, for names that contain the region's short code. */
export const perRegion = (scope: DeployScope, service: string, resource: (region: string) => string): string[] =>
  scope.regions.map((region) => regionalArn(scope, service, resource(region)));

/** Roles the environment program creates: all under its path (lib/naming.ts iamRolePath). */
export const environmentRoles = (scope: DeployScope): string =>
  accountArn(scope, "iam", `role${environmentPath(scope.environment)}*`);

// ── Conditions ──────────────────────────────────────────────────────────────────────────────────────

const tagPair = (prefix: "aws:RequestTag" | "aws:ResourceTag", scope: DeployScope): Record<string, string> => ({
  [`${prefix}/${PROJECT_TAG.key}`]: PROJECT_TAG.value,
  [`${prefix}/${ENVIRONMENT_TAG_KEY}`]: scope.environment,
});

const requestedRegions = (scope: DeployScope): Record<string, readonly string[]> => ({
  "aws:RequestedRegion": [...scope.regions],
});

/** Only in the environment's regions. */
export const inRegions = (scope: DeployScope): Condition => ({ StringEquals: requestedRegions(scope) });

/** Creates a resource tagged for this environment, in its regions. */
export const createsTagged = (scope: DeployScope, regional = true): Condition => ({
  StringEquals: { ...tagPair("aws:RequestTag", scope), ...(regional ? requestedRegions(scope) : {}) },
});

/** Acts on a resource already tagged for this environment, in its regions. */
export const taggedFor = (scope: DeployScope, regional = true): Condition => ({
  StringEquals: { ...tagPair("aws:ResourceTag", scope), ...(regional ? requestedRegions(scope) : {}) },
});

/**
 * Tags an untagged resource for this environment: a resource created by AWS rather than by the program (the
 * VPC's default security group), or one being created by a call that tags through a separate permission
 * (KMS CreateKey → TagResource). A resource tagged for another environment never qualifies.
 */
export const claimsUntagged = (scope: DeployScope, regional = true): Condition => ({
  StringEquals: { ...tagPair("aws:RequestTag", scope), ...(regional ? requestedRegions(scope) : {}) },
  Null: { [`aws:ResourceTag/${ENVIRONMENT_TAG_KEY}`]: "true" },
});

/** `Effect: "Allow"` statement, so the builders read as data. */
export const allow = (
  Sid: string,
  Action: readonly string[],
  Resource: string | readonly string[],
  Condition?: Condition,
): PolicyStatement => ({
  Sid,
  Effect: "Allow",
  Action: [...Action],
  Resource: typeof Resource === "string" ? Resource : [...Resource],
  ...(Condition !== undefined ? { Condition } : {}),
});
