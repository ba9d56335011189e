import assert from "node:assert/strict";
import { runPolicyPack, type PolicyReport } from "../../policy-pack/engine";
import { evaluateStack } from "../harness/stacks";

/**
 * The whole pack on every stack's resources as the mock harness records them. Each stack is evaluated
 * once per process (evaluateStack memoises), and each report is computed once and shared by the tests.
 */
const STACKS = ["shared", "staging", "production", "local"] as const;
const reports = new Map<string, Promise<PolicyReport>>();

function reportFor(stack: string): Promise<PolicyReport> {
  let report = reports.get(stack);
  if (report === undefined) {
    report = evaluateStack(stack).then((evaluation) => runPolicyPack(evaluation.resources));
    reports.set(stack, report);
  }
  return report;
}

describe("policy pack on whole stacks", function () {
  this.timeout(120_000);

  for (const stack of STACKS) {
    it(`${stack}: zero mandatory violations (advisory ones listed)`, async () => {
      const report = await reportFor(stack);
      for (const v of report.violations.filter((x) => x.enforcementLevel === "advisory")) {
        console.log(`      advisory ${v.policy} on ${v.resourceType} ${v.resourceName}: ${v.message}`);
      }
      for (const e of report.exempted) console.log(`      exempted ${e.policy} on ${e.resource}: ${e.reason}`);
      const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy} on ${v.resourceType} ${v.resourceName}: ${v.message}`);
      assert.deepEqual(mandatory, []);
      assert.equal(report.mandatoryCount, 0);
    });
  }
});
