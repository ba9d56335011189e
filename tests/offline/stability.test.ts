/**
 * Changes between two states, as the offline diff shows them: what an ordinary change to staging's config
 * adds, changes and replaces. The program runs through its own entry (`main`) in-process under the recording
 * mocks, once per config; the plans are compared with offline/diff.ts, which follows replacements through
 * property dependencies as the engine would.
 */
import { recorder, settle } from "../harness/component";
import * as assert from "node:assert/strict";
import { diffPlans, type PlanDiff } from "../../offline/diff";
import type { StackEvaluation } from "../../offline/types";
import { planDocument, type PlanDocument } from "../../scripts/plan-report";
import { main } from "../../stacks";
import { SHARED_OUTPUTS } from "../fixtures/models";
import { configOf } from "../fixtures/stack-config";

const EMPTY_REPORT = { violations: [], exempted: [], skipped: [], mandatoryCount: 0 };

/** Inputs that name a resource physically: such a resource is replaced delete-first (pulumi-aws#4220). */
const PHYSICAL_NAME_INPUTS = ["name", "bucket", "replicationGroupId", "identifier", "family"];
/** `family` is not unique (each registration is a new revision), so a task definition is always create-first. */
const CREATE_FIRST_DESPITE_NAME = new Set(["aws:ecs/taskDefinition:TaskDefinition"]);

const plans = new Map<string, Promise<PlanDocument>>();

/**
 * The plan of staging with `overrides` (`helium:<key>` → value), built in-process once per overrides (two
 * tests read the same host-routed service). The tests await each plan before asking for the next, as the
 * builds share the one recorder.
 */
function plan(overrides: Record<string, unknown> = {}): Promise<PlanDocument> {
  const key = JSON.stringify(overrides);
  const planned = plans.get(key) ?? build(overrides);
  plans.set(key, planned);
  return planned;
}

async function build(overrides: Record<string, unknown>): Promise<PlanDocument> {
  recorder.reset();
  await main({ stack: "staging", config: configOf("staging", overrides) });
  await settle();
  const evaluation: StackEvaluation = {
    stack: "staging",
    mode: "update",
    resources: [...recorder.resources],
    outputs: {},
    secretOutputs: [],
  };
  return planDocument(evaluation, EMPTY_REPORT);
}

const key = (r: { type: string; name: string }) => `${r.type} ${r.name}`;
const replaced = (diff: PlanDiff) => diff.changed.filter((c) => c.replacedBy.length > 0);

/** Every replaced resource can be created before the old one is deleted: it has no fixed physical name. */
function assertCreateBeforeDelete(diff: PlanDiff, head: PlanDocument): void {
  for (const change of replaced(diff)) {
    if (CREATE_FIRST_DESPITE_NAME.has(change.type)) continue;
    const resource = head.resources.find((r) => r.type === change.type && r.name === change.name);
    // A certificate's DNS validation record is written with allowOverwrite and ACM keeps its name for a domain:
    // delete-then-create leaves the same CNAME, and no one depends on the record but the validation itself.
    if (resource?.inputs.allowOverwrite === true) continue;
    const named = PHYSICAL_NAME_INPUTS.filter((input) => resource?.inputs[input] !== undefined);
    assert.deepEqual(named, [], `${key(change)} is replaced but has a fixed name: deleted before it is re-created`);
  }
}

/** Listener-rule priorities by rule. */
function priorities(p: PlanDocument): Map<string, unknown> {
  return new Map(
    p.resources.filter((r) => r.type === "aws:lb/listenerRule:ListenerRule").map((r) => [r.name, r.inputs.priority]),
  );
}

const ADMIN = {
  repository: "helium-backend",
  port: 8000,
  routes: [{ pathPatterns: ["/admin/*"] }],
  healthCheck: { path: "/admin/health" },
};
/** The admin service routed by host instead of path. */
const HOST_ROUTED_ADMIN = { ...ADMIN, routes: [{ hostHeaders: ["admin-staging.he2.site"] }] };
/** In-place updates a new service makes to what already exists: the dashboards list every service. */
const DASHBOARDS = new Set(["aws:cloudwatch/dashboard:Dashboard", "grafana:oss/dashboard:Dashboard"]);

describe("changes between two configs (offline diff of staging)", function () {
  this.timeout(120_000);
  let base: PlanDocument;
  before(async () => {
    recorder.setStackReferences({ shared: SHARED_OUTPUTS });
    base = await plan();
  });
  after(() => recorder.setStackReferences({}));

  it("adding a service adds its resources and changes nothing that exists but the dashboards", async () => {
    const head = await plan({ "helium:services": { admin: ADMIN } });
    const diff = diffPlans(base, head);
    assert.ok(
      diff.added.some((r) => r.name === "staging-mumbai-admin-service"),
      "the admin service is added",
    );
    assert.deepEqual(diff.removed, []);
    assert.deepEqual(diff.changed.filter((c) => !DASHBOARDS.has(c.type)).map(key), [], "an existing resource changes");
    assert.deepEqual(replaced(diff).map(key), []);
  });

  it("adding and removing a routed service never moves another rule's priority", async () => {
    const withAdmin = await plan({ "helium:services": { admin: HOST_ROUTED_ADMIN } });
    const before = priorities(base);
    const during = priorities(withAdmin);
    for (const [rule, priority] of before)
      assert.equal(during.get(rule), priority, `${rule} moved when admin was added`);
    const removed = diffPlans(withAdmin, base);
    assert.deepEqual(
      removed.changed.filter((c) => c.type === "aws:lb/listenerRule:ListenerRule").map(key),
      [],
      "removing admin changes another rule",
    );
  });

  it("a host-routed service gets its DNS record and certificate name", async () => {
    const head = await plan({ "helium:services": { admin: HOST_ROUTED_ADMIN } });
    const record = head.resources.find(
      (r) => r.type === "aws:route53/record:Record" && r.inputs.name === "admin-staging.he2.site",
    );
    assert.ok(record, "an alias record for the host");
    const certificate = head.resources.find((r) => r.type === "aws:acm/certificate:Certificate");
    assert.deepEqual(certificate?.inputs.subjectAlternativeNames, ["admin-staging.he2.site"]);
    assertCreateBeforeDelete(diffPlans(base, head), head);
  });

  it("changing a service's port replaces only what may be created before it is deleted", async () => {
    const head = await plan({ "helium:services": { backend: { port: 8080 } } });
    const diff = diffPlans(base, head);
    const replacedTypes = new Set(replaced(diff).map((c) => c.type));
    assert.ok(replacedTypes.has("aws:lb/targetGroup:TargetGroup"), "the target group is replaced (port forces it)");
    assertCreateBeforeDelete(diff, head);
    assert.deepEqual(
      diff.changed
        .filter((c) => c.type === "aws:lb/listenerRule:ListenerRule" && c.changedPaths.includes("priority"))
        .map(key),
      [],
    );
  });

  it("adding a region changes nothing in the existing one", async () => {
    const head = await plan({
      "helium:regions": [{ region: "ap-south-1" }, { region: "ap-southeast-1" }],
      "helium:grafana": { region: "ap-southeast-1" },
    });
    const diff = diffPlans(base, head);
    const mumbai = diff.changed.filter((c) => c.name.startsWith("staging-mumbai"));
    assert.deepEqual(mumbai.map(key), [], "a Mumbai resource changes");
    assert.ok(
      diff.added.some((r) => r.name.startsWith("staging-singapore")),
      "Singapore is added",
    );
    assert.deepEqual(diff.removed, []);
  });

  it("changing the image tag changes only task definitions and the services that run them", async () => {
    const diff = diffPlans(base, await plan({ "helium:imageTag": "v2" }));
    const types = new Set(diff.changed.map((c) => c.type));
    assert.deepEqual([...types].sort(), ["aws:ecs/service:Service", "aws:ecs/taskDefinition:TaskDefinition"]);
    assert.deepEqual(diff.added, []);
    assert.deepEqual(diff.removed, []);
    for (const change of diff.changed.filter((c) => c.type === "aws:ecs/service:Service")) {
      assert.deepEqual(change.replacedBy, [], `${change.name} is updated in place, not replaced`);
    }
  });
});
