import { oneOf, policyDocument, recorder, resourcesOfType, settle, valueOf } from "../../harness/component";
import * as assert from "node:assert/strict";
import { Observability } from "../../../components/observability/Observability";
import { GRAFANA_TOKEN_SECONDS_TO_LIVE } from "../../../lib/grafana";
import { MOCK_ACCOUNT_ID } from "../../../offline/mock-context";
import type { RecordedResource } from "../../../offline/types";
import { environmentArgs } from "./fixtures";

const MUMBAI = "ap-south-1";
const SINGAPORE = "ap-southeast-1";
const WORKSPACE = "aws:grafana/workspace:Workspace";
const SERVICE_ACCOUNT = "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount";
const TOKEN = "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken";
const ROLE_ASSOCIATION = "aws:grafana/roleAssociation:RoleAssociation";
const GRAFANA_PROVIDER = "pulumi:providers:grafana";
const DATA_SOURCE = "grafana:oss/dataSource:DataSource";
const DASHBOARD = "grafana:oss/dashboard:Dashboard";
/** A fixed moment, so the token's name is known: its 14-day window starts 2026-09-24. */
const NOW = new Date("2026-10-01T12:00:00Z");
const USER = "906757f4d0-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";
const GROUP = "a1b2c3d4-1111-2222-3333-444455556666";

/** Whether an input was passed as a secret (the engine's secret envelope). */
function isSecret(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270"
  );
}

/** `urn::id`, as a resource names its explicit provider. */
const providerReference = (p: RecordedResource) => `${p.urn}::${String(p.id)}`;

describe("Observability Grafana", () => {
  describe("production, Mumbai + Singapore, defaults", () => {
    let observability: Observability;

    before(async () => {
      recorder.reset();
      observability = new Observability("production-observability-grafana", {
        ...environmentArgs("production", [MUMBAI, SINGAPORE]),
        now: NOW,
      });
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

    it("by default, creates a provisioning service account with the Admin role in the workspace", () => {
      const workspace = oneOf(WORKSPACE);
      const account = oneOf(SERVICE_ACCOUNT);
      assert.equal(account.region, SINGAPORE);
      assert.equal(account.inputs.workspaceId, workspace.id);
      assert.equal(account.inputs.grafanaRole, "ADMIN", "creating data sources needs the Admin role");
      assert.equal(account.inputs.name, "pulumi-provisioner");
    });

    it("gives it a 30-day token named after its 14-day rotation window", () => {
      const token = oneOf(TOKEN);
      assert.equal(token.region, SINGAPORE);
      assert.equal(token.inputs.workspaceId, oneOf(WORKSPACE).id);
      assert.equal(token.inputs.serviceAccountId, oneOf(SERVICE_ACCOUNT).outputs.serviceAccountId);
      assert.deepEqual(token.propertyDependencies.serviceAccountId, [oneOf(SERVICE_ACCOUNT).urn]);
      assert.equal(token.inputs.secondsToLive, GRAFANA_TOKEN_SECONDS_TO_LIVE);
      assert.equal(token.inputs.secondsToLive, 2_592_000);
      assert.equal(token.inputs.name, "pulumi-2026-09-24");
    });

    it("configures the Grafana provider with https://<workspace endpoint> and the token as a secret", () => {
      const provider = oneOf(GRAFANA_PROVIDER);
      const workspace = oneOf(WORKSPACE);
      assert.equal(provider.inputs.url, `https://${String(workspace.outputs.endpoint)}`);
      assert.ok(isSecret(provider.inputs.auth), "auth is secret");
      assert.equal((provider.inputs.auth as { value: unknown }).value, oneOf(TOKEN).outputs.key);
      assert.deepEqual(provider.propertyDependencies.auth, [oneOf(TOKEN).urn]);
    });

    it("provisions a CloudWatch and an X-Ray data source per region, on the workspace's IAM role, through that provider", () => {
      const provider = oneOf(GRAFANA_PROVIDER);
      const sources = resourcesOfType(DATA_SOURCE);
      assert.deepEqual(sources.map((d) => [d.inputs.type, d.inputs.name, d.inputs.uid]).sort(), [
        ["cloudwatch", "CloudWatch Mumbai (ap-south-1)", "helium-cloudwatch-mum"],
        ["cloudwatch", "CloudWatch Singapore (ap-southeast-1)", "helium-cloudwatch-sg"],
        ["grafana-x-ray-datasource", "X-Ray Mumbai (ap-south-1)", "helium-xray-mum"],
        ["grafana-x-ray-datasource", "X-Ray Singapore (ap-southeast-1)", "helium-xray-sg"],
      ]);
      for (const d of sources) {
        assert.equal(d.provider, providerReference(provider), `${d.name} uses the workspace's provider`);
        const region = String(d.inputs.uid).endsWith("-mum") ? MUMBAI : SINGAPORE;
        assert.deepEqual(JSON.parse(String(d.inputs.jsonDataEncoded)), {
          authType: "ec2_iam_role",
          defaultRegion: region,
        });
      }
      assert.deepEqual(
        sources.filter((d) => d.inputs.isDefault === true).map((d) => d.inputs.uid),
        ["helium-cloudwatch-mum"],
        "the home region's CloudWatch is the default",
      );
    });

    it("provisions the Helium dashboard after the data sources it refers to, overwriting edits made in the UI", () => {
      const dashboard = oneOf(DASHBOARD);
      assert.equal(dashboard.provider, providerReference(oneOf(GRAFANA_PROVIDER)));
      assert.equal(dashboard.inputs.overwrite, true);
      const sources = resourcesOfType(DATA_SOURCE);
      for (const d of sources) assert.ok(dashboard.dependencies.includes(d.urn), `depends on ${d.name}`);
      const model = JSON.parse(String(dashboard.inputs.configJson)) as {
        uid: string;
        title: string;
        panels: Array<{ type: string; datasource?: { uid: string }; targets?: Array<{ datasource: { uid: string } }> }>;
      };
      assert.equal(model.uid, "helium-production");
      assert.equal(model.title, "Helium production");
      const uids = new Set(sources.map((d) => d.inputs.uid));
      const used = model.panels.flatMap((p) => [p.datasource?.uid, ...(p.targets ?? []).map((t) => t.datasource.uid)]);
      assert.ok(used.filter((u) => u !== undefined).length > 10);
      for (const uid of used.filter((u) => u !== undefined)) assert.ok(uids.has(uid), `${uid} is provisioned`);
      assert.deepEqual(
        [...new Set(used.filter((u) => u !== undefined))].sort(),
        [...uids].sort(),
        "every data source is used",
      );
    });

    it("assigns no Grafana admins when none are configured", () => {
      assert.equal(resourcesOfType(ROLE_ASSOCIATION).length, 0);
    });

    it("exposes the sign-in URL", async () => {
      assert.equal(await valueOf(observability.grafanaUrl!), `https://${String(oneOf(WORKSPACE).outputs.endpoint)}`);
    });
  });
});

describe("Observability Grafana settings", () => {
  beforeEach(() => recorder.reset());

  it("makes the configured IAM Identity Center users and groups Grafana admins of the workspace", async () => {
    new Observability("production-observability-admins", {
      ...environmentArgs("production", [MUMBAI, SINGAPORE], {
        grafana: { adminUserIds: [USER], adminGroupIds: [GROUP] },
      }),
      now: NOW,
    });
    await settle();
    const association = oneOf(ROLE_ASSOCIATION);
    assert.equal(association.region, SINGAPORE);
    assert.equal(association.inputs.role, "ADMIN");
    assert.deepEqual(association.inputs.userIds, [USER]);
    assert.deepEqual(association.inputs.groupIds, [GROUP]);
    assert.equal(association.inputs.workspaceId, oneOf(WORKSPACE).id);
  });

  it("assigns groups alone when only groups are configured", async () => {
    new Observability("production-observability-admin-groups", {
      ...environmentArgs("production", [SINGAPORE], { grafana: { adminGroupIds: [GROUP] } }),
      now: NOW,
    });
    await settle();
    const association = oneOf(ROLE_ASSOCIATION);
    assert.deepEqual(association.inputs.groupIds, [GROUP]);
    assert.equal(association.inputs.userIds, undefined);
  });

  it("provisions nothing inside the workspace with grafana.provision false, and still creates the workspace and admins", async () => {
    new Observability("production-observability-unprovisioned", {
      ...environmentArgs("production", [MUMBAI, SINGAPORE], { grafana: { provision: false, adminUserIds: [USER] } }),
      now: NOW,
    });
    await settle();
    assert.equal(resourcesOfType(WORKSPACE).length, 1);
    assert.equal(resourcesOfType(ROLE_ASSOCIATION).length, 1);
    for (const type of [SERVICE_ACCOUNT, TOKEN, GRAFANA_PROVIDER, DATA_SOURCE, DASHBOARD]) {
      assert.equal(resourcesOfType(type).length, 0, type);
    }
  });

  it("creates nothing of Grafana when it is disabled", async () => {
    new Observability("production-observability-no-grafana", {
      ...environmentArgs("production", [MUMBAI], { grafana: { enabled: false, adminUserIds: [USER] } }),
      now: NOW,
    });
    await settle();
    assert.deepEqual(
      recorder.resources.filter((r) => /grafana/i.test(r.type)).map((r) => r.type),
      [],
    );
  });

  it("replaces the token in a new 14-day window and keeps it within one", async () => {
    const names: string[] = [];
    for (const [i, now] of [
      new Date("2026-09-24T00:00:00Z"),
      new Date("2026-10-07T23:59:59Z"),
      new Date("2026-10-08T00:00:00Z"),
    ].entries()) {
      recorder.reset();
      new Observability(`production-observability-rotation-${i}`, {
        ...environmentArgs("production", [SINGAPORE]),
        now,
      });
      await settle();
      names.push(String(oneOf(TOKEN).inputs.name));
    }
    assert.deepEqual(names, ["pulumi-2026-09-24", "pulumi-2026-09-24", "pulumi-2026-10-08"]);
  });

  it("rejects an id that is not an IAM Identity Center id, naming the key", () => {
    const args = environmentArgs("production", [SINGAPORE]);
    assert.throws(
      () =>
        new Observability("production-observability-bad-admin", {
          ...args,
          grafana: { ...args.grafana, adminUserIds: ["alice@he2.site"] },
        }),
      /grafana\.adminUserIds\[0\]: "alice@he2\.site" — allowed: must be an IAM Identity Center user or group id/,
    );
  });
});
