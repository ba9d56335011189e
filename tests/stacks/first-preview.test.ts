/**
 * The first `pulumi preview` of a new stack must show every resource `pulumi up` will create. A resource
 * registered inside an apply of a computed output (an id, an ARN) exists only at up: the preview neither
 * diffs it nor runs the policy pack on it. Each stack is evaluated in update and in first-preview mode
 * (offline/evaluate.ts) and the two sets of registered resources must be identical.
 */
import * as assert from "node:assert/strict";
import { evaluateStack } from "../../offline/evaluate";
import { describeResources, previewGap } from "../../offline/first-preview";
import { containsUnknownValue } from "../../offline/unknowns";
import { runPolicyPack } from "../../policy-pack/engine";
import { DATABASE_ON, ECS_CAPABILITIES } from "../fixtures/variants";
import { PACK_CONFIG } from "../fixtures/pack-config";
import { startEvaluations } from "../harness/prefetch";

const STACKS = ["shared", "staging", "production", "local"] as const;

/** The optional capabilities, each on staging: what they register must show at a first preview too. */
const VARIANTS: ReadonlyArray<readonly [string, Readonly<Record<string, string>>]> = [
  ["entry apiGateway", { "helium:entry": "apiGateway" }],
  ["the database on", DATABASE_ON],
  ["every ECS capability on", ECS_CAPABILITIES],
];

describe("first preview registers what an update registers (update vs preview mode)", function () {
  this.timeout(180_000);
  startEvaluations(
    VARIANTS.flatMap(([, configOverrides]) => [
      ["staging", { configOverrides }],
      ["staging", { configOverrides, mode: "preview" }],
    ]),
  );

  for (const stack of STACKS) {
    it(`${stack}: the same resources (type and URN) in both modes`, async () => {
      const [update, preview] = await Promise.all([evaluateStack(stack), evaluateStack(stack, { mode: "preview" })]);
      const gap = previewGap(update, preview);
      assert.deepEqual(
        describeResources(gap.onlyAtUpdate),
        [],
        "registered at up only (created inside an apply): invisible to the preview and its policy checks",
      );
      assert.deepEqual(describeResources(gap.onlyAtPreview), [], "registered at preview only");
    });
  }

  for (const [variant, configOverrides] of VARIANTS) {
    it(`staging with ${variant}: the same resources in both modes, and no mandatory violation at preview`, async () => {
      const [update, preview] = await Promise.all([
        evaluateStack("staging", { configOverrides }),
        evaluateStack("staging", { configOverrides, mode: "preview" }),
      ]);
      const gap = previewGap(update, preview);
      assert.deepEqual(describeResources(gap.onlyAtUpdate), [], "registered at up only (created inside an apply)");
      assert.deepEqual(describeResources(gap.onlyAtPreview), [], "registered at preview only");
      const mandatory = runPolicyPack(preview.resources, { config: PACK_CONFIG }).violations.filter(
        (v) => v.enforcementLevel === "mandatory",
      );
      assert.deepEqual(
        mandatory.map((v) => `${v.policy}: ${v.resource}`),
        [],
      );
    });
  }

  it("the preview evaluations really are first previews: computed outputs unknown, inputs from them too", async () => {
    for (const stack of ["shared", "staging"] as const) {
      const preview = await evaluateStack(stack, { mode: "preview" });
      const custom = preview.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
      assert.ok(
        custom.every((r) => r.id === null),
        `${stack}: no resource has an id before it is created`,
      );
      assert.ok(
        custom.some((r) => containsUnknownValue(r.inputs)),
        `${stack}: some input depends on a computed output`,
      );
    }
  });
});
