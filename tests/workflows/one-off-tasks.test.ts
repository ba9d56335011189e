/**
 * The deploy workflows run the one-off `migrate` task on the new image before `pulumi up` updates the
 * services, and still pass every repository check (policy pack on every up, smoke check after every up, no
 * ECS changes outside Pulumi, …). The targeted up's `--target` glob is matched, as the engine matches it,
 * against the URNs a real evaluation of each stack registers.
 */
import assert from "node:assert/strict";
import { oneOffTargetGlob } from "../../components/service/tasks";
import { evaluateStack } from "../../offline/evaluate";
import { ECS_CAPABILITIES } from "../fixtures/variants";
import { globMatches, oneOffTaskViolations, taskRunOf } from "./one-off-task-checks";
import { parseWorkflow } from "./workflow-checks";
import { UNIVERSAL_CHECKS, workflowText as text, workflowVariant as variant } from "./workflow-fixtures";
import { startEvaluations } from "../harness/prefetch";

const DEPLOYS = { "deploy-staging.yml": "staging", "deploy-production.yml": "production" } as const;

const CHECKS = { ...UNIVERSAL_CHECKS, oneOffTaskViolations };

describe("deploy workflows: one-off tasks before the services update", function () {
  this.timeout(180_000);
  startEvaluations(["staging", "production"].map((stack) => [stack, { configOverrides: ECS_CAPABILITIES }]));

  for (const [file, stack] of Object.entries(DEPLOYS)) {
    describe(file, () => {
      it("passes every repository check, and runs migrate (on the new image) between the targeted and the full up", () => {
        const wf = parseWorkflow(text(file), file);
        for (const [name, check] of Object.entries(CHECKS)) assert.deepEqual(check(wf), [], `${name}: ${file}`);
        const steps = wf.jobs.deploy.steps ?? [];
        const runs = steps.map((s) => taskRunOf(s)).filter((r) => r !== undefined);
        assert.deepEqual(
          runs.map((r) => r.stack + "/" + r.task),
          [`${stack}/migrate`, `${stack}/migrate`],
          "before the up, and after a first deploy",
        );
      });

      it("the check fails when the task runs after the up, without the image check, or without the targeted up", () => {
        const after = variant(
          file,
          /( {6}- name: Run the migrate task before the services update\n(?:.*\n){4})( {6}- name: pulumi up .*\n(?:.*\n){3})/,
          "$2$1",
        );
        assert.match(
          oneOffTaskViolations(after).join("\n"),
          /no step runs the migrate task of .* before this pulumi up/,
        );
        const unchecked = variant(
          file,
          /(run: npm run task -- --stack \w+ --task migrate) --expect-image-tag [^\n]*\n( {6}- name: pulumi up)/,
          "$1\n$2",
        );
        assert.match(oneOffTaskViolations(unchecked).join("\n"), /without --expect-image-tag/);
        const untargeted = variant(file, "**$aws:ecs/taskDefinition:TaskDefinition::*-one-off-*", "**::*");
        assert.match(oneOffTaskViolations(untargeted).join("\n"), /no targeted pulumi up --target/);
        const ignored = variant(
          file,
          "        if: steps.one-off.outputs.deployed == 'true'\n",
          "        if: steps.one-off.outputs.deployed == 'true'\n        continue-on-error: true\n",
        );
        assert.match(oneOffTaskViolations(ignored).join("\n"), /continue-on-error/);
      });

      it("its --target glob matches exactly the one-off task definitions the program registers", async () => {
        const wf = parseWorkflow(text(file), file);
        const glob = oneOffTargetGlob(stack);
        assert.ok(text(file).includes(`--target '${glob}'`));
        const evaluation = await evaluateStack(stack, {
          configOverrides: ECS_CAPABILITIES,
        });
        const matched = evaluation.resources.filter((r) => globMatches(glob, r.urn));
        const regions = Object.keys(evaluation.outputs.regions as object).length;
        assert.equal(matched.length, regions, "one per region");
        for (const r of matched) {
          assert.equal(r.type, "aws:ecs/taskDefinition:TaskDefinition");
          assert.match(r.name, /-backend-one-off-migrate$/);
        }
        assert.ok(wf.jobs.deploy);
      });
    });
  }
});
