/**
 * `aws.iam` as the program imports it (lib/aws.ts): @pulumi/aws's IAM module, except that every resource
 * holding an identity document (a role's trust policy and inline policies, a role's, group's or user's
 * policy, a managed policy) takes that document only as a {@link CheckedDocument}: JSON that
 * `permissionPolicy`, `trustPolicy` or `serviceTrustPolicy` (lib/iam.ts) built and checked against the
 * policy pack's IAM rules. Passing any other string is a type error, reported by `npm run check`.
 *
 * Why a type: at a first preview a document holding the ARN of a resource not created yet reaches the
 * pack as one unknown string, so the program-side check is the only check it gets; the type makes
 * skipping it impossible to write, not just a finding of a review.
 *
 * Each is the provider's own class (same type token, inputs and URN), typed with a narrower constructor
 * argument; everything else is re-exported unchanged.
 */
import * as iam from "@pulumi/aws/iam";
import type * as pulumi from "@pulumi/pulumi";
import type { CheckedDocument } from "./iam";

export * from "@pulumi/aws/iam";

/** An identity document as a resource input: built by lib/iam.ts's checked builders. */
export type CheckedDocumentInput = pulumi.Input<CheckedDocument>;

/** `aws.iam.RoleArgs`, with the trust policy and inline policies checked. */
export interface RoleArgs extends Omit<iam.RoleArgs, "assumeRolePolicy" | "inlinePolicies"> {
  /** The trust policy: `trustPolicy` or `serviceTrustPolicy` (lib/iam.ts). Required. */
  readonly assumeRolePolicy: CheckedDocumentInput;
  /** Inline policies, each built by `permissionPolicy`. Defaults to none. */
  readonly inlinePolicies?: pulumi.Input<
    pulumi.Input<{ readonly name?: pulumi.Input<string>; readonly policy?: CheckedDocumentInput }>[]
  >;
}

/** `aws.iam.RolePolicyArgs`, with the policy checked (`permissionPolicy`). */
export interface RolePolicyArgs extends Omit<iam.RolePolicyArgs, "policy"> {
  readonly policy: CheckedDocumentInput;
}

/** `aws.iam.PolicyArgs`, with the policy checked (`permissionPolicy`). */
export interface PolicyArgs extends Omit<iam.PolicyArgs, "policy"> {
  readonly policy: CheckedDocumentInput;
}

/** `aws.iam.GroupPolicyArgs`, with the policy checked (`permissionPolicy`). */
export interface GroupPolicyArgs extends Omit<iam.GroupPolicyArgs, "policy"> {
  readonly policy: CheckedDocumentInput;
}

/** `aws.iam.UserPolicyArgs`, with the policy checked (`permissionPolicy`). */
export interface UserPolicyArgs extends Omit<iam.UserPolicyArgs, "policy"> {
  readonly policy: CheckedDocumentInput;
}

/**
 * The provider's class `C`, typed so that it accepts `Args` only; its static `get` and `isInstance` kept.
 * Only the type is narrower: at run time it is the provider's own class.
 */
type Checked<C extends { prototype: unknown; get: unknown; isInstance: unknown }, Args> = (new (
  name: string,
  args: Args,
  opts?: pulumi.CustomResourceOptions,
) => C["prototype"]) &
  Pick<C, "get" | "isInstance">;

/** An IAM role (`aws:iam/role:Role`) whose documents are checked. */
export type Role = iam.Role;
export const Role: Checked<typeof iam.Role, RoleArgs> = iam.Role;

/** A role's inline policy (`aws:iam/rolePolicy:RolePolicy`), checked. */
export type RolePolicy = iam.RolePolicy;
export const RolePolicy: Checked<typeof iam.RolePolicy, RolePolicyArgs> = iam.RolePolicy;

/** A customer managed policy (`aws:iam/policy:Policy`), checked. */
export type Policy = iam.Policy;
export const Policy: Checked<typeof iam.Policy, PolicyArgs> = iam.Policy;

/** A group's inline policy (`aws:iam/groupPolicy:GroupPolicy`), checked. */
export type GroupPolicy = iam.GroupPolicy;
export const GroupPolicy: Checked<typeof iam.GroupPolicy, GroupPolicyArgs> = iam.GroupPolicy;

/** A user's inline policy (`aws:iam/userPolicy:UserPolicy`), checked. */
export type UserPolicy = iam.UserPolicy;
export const UserPolicy: Checked<typeof iam.UserPolicy, UserPolicyArgs> = iam.UserPolicy;
