import { oneOf, policyDocument, recorder, resourcesOfType, settle, valueOf } from "../../harness/component";
import * as assert from "node:assert/strict";
import { Observability } from "../../../components/observability/Observability";
import { MOCK_ACCOUNT_ID } from "../../harness/mock-outputs";
import { environmentArgs } from "./fixtures";

const MUMBAI = "ap-south-1";
const SINGAPORE = "ap-southeast-1";

describe("Observability Grafana", () => {
  describe("production, Mumbai + Singapore, defaults", () => {
    let observability: Observability;

    before(async () => {
      recorder.reset();
      observability = new Observability(
        "production-observability-grafana",
        environmentArgs("production", [MUMBAI, SINGAPORE]),
      );
      await settle();
    });

    it("creates a Managed Grafana workspace in the first region that offers it: AWS SSO, customer-managed role, CloudWatch + X-Ray", async () => {
      const workspace = oneOf("aws:grafana/workspace:Workspace");
      assert.equal(workspace.region, SINGAPORE, "Mumbai (home) does not offer Managed Grafana");
      assert.equal(workspace.inputs.accountAccessType, "CURRENT_ACCOUNT");
      assert.deepEqual(workspace.inputs.authenticationProviders, ["AWS_SSO"]);
      // CreateWorkspace through the API takes CUSTOMER_MANAGED only; the component brings its own role.
      assert.equal(workspace.inputs.permissionType, "CUSTOMER_MANAGED");
      assert.deepEqual(workspace.inputs.dataSources, ["CLOUDWATCH", "XRAY"]);
      const role = oneOf("aws:iam/role:Role", /grafana/);
      assert.equal(workspace.inputs.roleArn, role.outputs.arn);
      assert.equal(await valueOf(observability.grafanaRoleArn!), role.outputs.arn);
      assert.equal(observability.grafanaRegion, SINGAPORE);
    });

    it("gives Grafana its own role, trusted by grafana.amazonaws.com in this account, with read-only permissions", () => {
      const role = oneOf("aws:iam/role:Role", /grafana/);
      assert.equal(role.inputs.name, "helium-grafana-production");
      assert.equal(role.inputs.path, "/helium/production/");
      assert.deepEqual(policyDocument(role.inputs.assumeRolePolicy).Statement, [
        {
          Effect: "Allow",
          Principal: { Service: "grafana.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
        },
      ]);
      const policies = resourcesOfType("aws:iam/rolePolicy:RolePolicy").filter(
        (p) => p.inputs.role === role.outputs.name,
      );
      assert.equal(policies.length, 1);
      assert.equal(
        resourcesOfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").length,
        0,
        "no managed policies",
      );
      const statements = policyDocument(policies[0].inputs.policy).Statement;
      const readOnly =
        /^(cloudwatch|logs|xray|ec2|tag):(Get|List|Describe|BatchGet|StartQuery|StopQuery|FilterLogEvents)/;
      for (const s of statements) {
        assert.equal(s.Effect, "Allow");
        for (const action of s.Action as string[]) {
          assert.ok(!action.includes("*"), `${action} is explicit`);
          assert.match(action, readOnly);
        }
      }
      assert.deepEqual(
        statements.filter((s) => s.Resource === "*").map((s) => s.Sid),
        ["MetricsReadNoResourceLevelPermissions"],
      );
      for (const scoped of statements.filter((s) => s.Resource !== "*")) {
        for (const arn of [scoped.Resource].flat() as string[])
          assert.ok(arn.includes(`:${MOCK_ACCOUNT_ID}:`), `${arn} is pinned to the account`);
      }
    });
  });
});
