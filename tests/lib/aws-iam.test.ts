/**
 * lib/aws-iam.ts: the program's IAM resources take only documents built by lib/iam.ts's checked builders.
 *
 * The type half is checked by `npm run check`: each `@ts-expect-error` below must be an error, so if an
 * unchecked document became acceptable again the check would fail with "Unused '@ts-expect-error'". The
 * runtime half, here: the classes register what the provider's own do.
 */
import { recorder, settle, oneOf, valueOf } from "../harness/component";
import * as assert from "node:assert/strict";
import * as iam from "@pulumi/aws/iam";
import * as aws from "../../lib/aws";
import { permissionPolicy, serviceTrustPolicy } from "../../lib/iam";

/** Never called: it exists for the type check (see above). */
export function uncheckedDocumentsDoNotTypeCheck(): void {
  const text = '{"Version":"2012-10-17","Statement":[]}';
  // @ts-expect-error -- a trust policy as plain text, not built by trustPolicy/serviceTrustPolicy
  new aws.iam.Role("unchecked-trust", { assumeRolePolicy: text });
  new aws.iam.Role("unchecked-inline", {
    assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com"),
    // @ts-expect-error -- an inline policy as plain text
    inlinePolicies: [{ name: "inline", policy: text }],
  });
  // @ts-expect-error -- a role policy as plain text
  new aws.iam.RolePolicy("unchecked-role-policy", { role: "r", policy: text });
  // @ts-expect-error -- a managed policy as plain text
  new aws.iam.Policy("unchecked-policy", { policy: text });
  // @ts-expect-error -- a group policy as plain text
  new aws.iam.GroupPolicy("unchecked-group-policy", { group: "g", policy: text });
  // @ts-expect-error -- a user policy as plain text
  new aws.iam.UserPolicy("unchecked-user-policy", { user: "u", policy: text });
  // @ts-expect-error -- a role needs its trust policy
  new aws.iam.Role("no-trust", {});
}

describe("the program's IAM resources (lib/aws-iam.ts)", () => {
  beforeEach(() => recorder.reset());

  it("register what the provider's classes register: type token, inputs, instance checks", async () => {
    const role = new aws.iam.Role("checked-role", { assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com") });
    const policy = new aws.iam.RolePolicy("checked-policy", {
      role: role.name,
      policy: permissionPolicy("checked-policy", [
        { Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:ap-south-1:123456789012:jobs" },
      ]),
    });
    await settle();
    assert.ok(role instanceof iam.Role);
    assert.ok(iam.RolePolicy.isInstance(policy));
    const recordedRole = oneOf("aws:iam/role:Role", /^checked-role$/);
    assert.equal(
      JSON.parse(recordedRole.inputs.assumeRolePolicy as string).Statement[0].Principal.Service,
      "ecs-tasks.amazonaws.com",
    );
    const recordedPolicy = oneOf("aws:iam/rolePolicy:RolePolicy", /^checked-policy$/);
    assert.equal(recordedPolicy.inputs.role, await valueOf(role.name));
    assert.match(recordedPolicy.inputs.policy as string, /"sqs:SendMessage"/);
  });

  it("re-export everything else of the provider's IAM module unchanged", () => {
    assert.equal(aws.iam.RolePolicyAttachment, iam.RolePolicyAttachment);
    assert.equal(aws.iam.OpenIdConnectProvider, iam.OpenIdConnectProvider);
    // The checked names are the provider's classes themselves: only their constructor's type is narrower.
    for (const name of ["Role", "RolePolicy", "Policy", "GroupPolicy", "UserPolicy"] as const)
      assert.equal(aws.iam[name], iam[name], name);
  });
});
