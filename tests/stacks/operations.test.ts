/**
 * The wiring docs/runbook.md relies on, checked on whole programs under mocks by diffing two evaluations with the
 * offline diff (offline/diff.ts), so "nothing else changes" is measured, not assumed:
 * - draining a region: helium:regions[i].trafficDialPercent 0 reaches that region's endpoint group and nothing else;
 * - rotating a secret: a new value of helium/backend/<env> is a new secret version, and exactly the task
 *   definitions of the services that read the secret change (their valueFrom pins the version), so exactly those
 *   services roll.
 *
 * Evaluations: production (memoised) and production drained; staging twice with two values of one app secret.
 */
import assert from "node:assert/strict";
import { type DiffablePlan, type PlanDiff, diffPlans } from "../../offline/diff";
import { readStackFile } from "../../offline/pulumi-yaml";
import { evaluateStack } from "../../offline/evaluate";
import type { RecordedResource, StackEvaluation } from "../../offline/types";
import { startEvaluations } from "../harness/prefetch";
import { isPlanned } from "../../scripts/plan-report";

const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const ENDPOINT_GROUP = "aws:globalaccelerator/endpointGroup:EndpointGroup";

/**
 * The evaluation as the offline diff reads a plan: provider-managed resources, no providers or references. Inputs
 * are not redacted (a plan hides secret values), so the secret's new value shows as a change.
 */
function planOf(evaluation: StackEvaluation): DiffablePlan {
  return {
    stack: evaluation.stack,
    resources: evaluation.resources
      .filter((r) => r.custom && isPlanned(r))
      .map(({ type, name, inputs }) => ({ type, name, inputs })),
  };
}

function unwrap(value: unknown): unknown {
  return typeof value === "object" && value !== null && "value" in value ? value.value : value;
}

interface Container {
  readonly name: string;
  readonly secrets?: readonly { readonly name: string; readonly valueFrom: string }[];
}

const containersOf = (td: RecordedResource): Container[] =>
  JSON.parse(String(unwrap(td.inputs.containerDefinitions))) as Container[];
const serviceOf = (r: { readonly inputs: Readonly<Record<string, unknown>> }): string =>
  (r.inputs.tags as Record<string, string>)["helium:service"];

/** `helium:regions` of a committed stack, as the program reads it. */
function regionsOf(stack: string): Array<Record<string, unknown>> {
  return JSON.parse(readStackFile(stack).config["helium:regions"]) as Array<Record<string, unknown>>;
}

/** The index in production's helium:regions of the region the drain test drains. */
const DRAINED = 1;
/** Production's helium:regions with that region drained (trafficDialPercent 0), as a config override. */
function drainedRegions(): Record<string, string> {
  const regions = regionsOf("production");
  regions[DRAINED] = { ...regions[DRAINED], trafficDialPercent: 0 };
  return { "helium:regions": JSON.stringify(regions) };
}

/** Staging with one app secret at `value`. */
const secret = (value: string) => ({
  configOverrides: { "helium:appSecrets": JSON.stringify({ PAYMENT_API_KEY: value }) },
});

describe("operations wiring (docs/runbook.md), by offline diff of whole programs", function () {
  this.timeout(240_000);
  startEvaluations([
    ["production", { configOverrides: drainedRegions() }],
    ["staging", secret("old-value")],
    ["staging", secret("new-value")],
  ]);

  describe("drain a region: traffic dial 0", () => {
    let production: StackEvaluation;
    let drained: StackEvaluation;
    let diff: PlanDiff;

    before(async () => {
      [production, drained] = await Promise.all([
        evaluateStack("production"),
        evaluateStack("production", { configOverrides: drainedRegions() }),
      ]);
      diff = diffPlans(planOf(production), planOf(drained));
    });

    it("the region's endpoint group gets trafficDialPercentage 0, updated in place", () => {
      const region = regionsOf("production")[DRAINED].region as string;
      const group = drained.resources.find((r) => r.type === ENDPOINT_GROUP && r.inputs.endpointGroupRegion === region);
      assert.ok(group, `an endpoint group for ${region}`);
      assert.equal(group.inputs.trafficDialPercentage, 0);
      assert.deepEqual(diff.changed, [
        { type: ENDPOINT_GROUP, name: group.name, changedPaths: ["trafficDialPercentage"], replacedBy: [] },
      ]);
    });

    it("nothing else changes: no resource added, removed or changed, the same outputs", () => {
      assert.deepEqual(diff.added, []);
      assert.deepEqual(diff.removed, []);
      assert.equal(diff.changed.length, 1);
      assert.deepEqual(drained.outputs, production.outputs);
      const dials = drained.resources
        .filter((r) => r.type === ENDPOINT_GROUP)
        .map((r) => r.inputs.trafficDialPercentage)
        .sort();
      assert.deepEqual(dials, [0, 100, 100], "the other regions stay at 100");
    });
  });

  describe("rotate a secret: a new value in helium/backend/<env>", () => {
    let before_: StackEvaluation;
    let after: StackEvaluation;
    let diff: PlanDiff;

    before(async () => {
      [before_, after] = await Promise.all([
        evaluateStack("staging", secret("old-value")),
        evaluateStack("staging", secret("new-value")),
      ]);
      diff = diffPlans(planOf(before_), planOf(after));
    });

    it("the new value is a new secret version with a new version id", () => {
      const versions = (e: StackEvaluation) => e.resources.filter((r) => r.type === SECRET_VERSION);
      assert.equal(versions(after).length, 1);
      assert.notEqual(versions(after)[0].outputs.versionId, versions(before_)[0].outputs.versionId);
      assert.deepEqual(
        diff.changed.filter((c) => c.type === SECRET_VERSION).map((c) => c.changedPaths),
        [["secretString.value.PAYMENT_API_KEY"]],
        "only the rotated key's value differs",
      );
    });

    it("exactly the task definitions of the services that read the secret change, each at its valueFrom only", () => {
      const readers = after.resources
        .filter((r) => r.type === TASK_DEFINITION && containersOf(r).some((c) => (c.secrets ?? []).length > 0))
        .map(serviceOf)
        .sort();
      assert.deepEqual(readers, ["backend", "worker"], "backend and worker read the secret, the frontend does not");
      const changedDefinitions = diff.changed.filter((c) => c.type === TASK_DEFINITION);
      assert.deepEqual(
        changedDefinitions
          .map((c) => after.resources.find((r) => r.type === c.type && r.name === c.name))
          .map((r) => serviceOf(r as RecordedResource))
          .sort(),
        readers,
      );
      for (const c of changedDefinitions) {
        assert.ok(c.changedPaths.length > 0);
        for (const path of c.changedPaths)
          assert.match(path, /^containerDefinitions\[0\]\.secrets\[\d+\]\.valueFrom$/, `${c.name}: ${path}`);
        assert.deepEqual(c.replacedBy, ["containerDefinitions"], "a new task definition revision: the service rolls");
      }
    });

    it("each reader's valueFrom names the new version; nothing else in the stack changes", () => {
      const versionId = String(after.resources.find((r) => r.type === SECRET_VERSION)?.outputs.versionId);
      for (const td of after.resources.filter((r) => r.type === TASK_DEFINITION)) {
        for (const s of containersOf(td).flatMap((c) => c.secrets ?? []))
          assert.ok(s.valueFrom.endsWith(`::${versionId}`), `${td.name} ${s.name} pins ${versionId}`);
      }
      assert.deepEqual(diff.added, []);
      assert.deepEqual(diff.removed, []);
      assert.deepEqual(
        diff.changed.map((c) => c.type).sort(),
        [TASK_DEFINITION, TASK_DEFINITION, SECRET_VERSION],
        "the secret's version and the readers' task definitions, nothing else",
      );
    });
  });
});
