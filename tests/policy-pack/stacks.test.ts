import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { runPolicyPack, type HeliumPackConfig, type PolicyReport } from "../../policy-pack/engine";
import { PROJECT_ROOT } from "../../offline/pulumi-yaml";
import { evaluateStack } from "../../offline/evaluate";
import type { RecordedResource } from "../../offline/types";

/**
 * The whole pack on every stack's resources as the mock harness records them, with the committed pack
 * config (policy-config.json: the same file the offline plan and CI previews use). Each stack is evaluated
 * once per process (evaluateStack memoises), and each report is computed once and shared by the tests.
 */
const STACKS = ["shared", "staging", "production", "local"] as const;
const PACK_CONFIG = JSON.parse(
  fs.readFileSync(path.join(PROJECT_ROOT, "policy-config.json"), "utf8"),
) as HeliumPackConfig;
const reports = new Map<string, Promise<PolicyReport>>();

function reportFor(stack: string): Promise<PolicyReport> {
  let report = reports.get(stack);
  if (report === undefined) {
    report = evaluateStack(stack).then((evaluation) => runPolicyPack(evaluation.resources, { config: PACK_CONFIG }));
    reports.set(stack, report);
  }
  return report;
}

/** A copy of the stack's resources with one resource's inputs changed: "break one setting". */
function withBrokenInput(
  resources: readonly RecordedResource[],
  type: string,
  change: (inputs: Record<string, unknown>) => Record<string, unknown>,
): { resources: RecordedResource[]; broken: RecordedResource } {
  const target = resources.find((r) => r.type === type);
  assert.ok(target, `the stack has a ${type}`);
  const broken = { ...target, inputs: change({ ...target.inputs }) };
  return { resources: resources.map((r) => (r === target ? broken : r)), broken };
}

describe("policy pack on whole stacks", function () {
  this.timeout(180_000);

  for (const stack of STACKS) {
    it(`${stack}: zero mandatory violations (advisory ones listed)`, async () => {
      const report = await reportFor(stack);
      for (const v of report.violations.filter((x) => x.enforcementLevel === "advisory")) {
        console.log(`      advisory ${v.policy} on ${v.resourceType} ${v.resourceName}: ${v.message}`);
      }
      for (const e of report.exempted) console.log(`      exempted ${e.policy} on ${e.resource}: ${e.reason}`);
      const mandatory = report.violations
        .filter((v) => v.enforcementLevel === "mandatory")
        .map((v) => `${v.policy} on ${v.resourceType} ${v.resourceName}: ${v.message}`);
      assert.deepEqual(mandatory, []);
      assert.equal(report.mandatoryCount, 0);
    });
  }

  it("breaking Redis transit encryption in staging is a mandatory violation naming the resource", async () => {
    const { resources } = await evaluateStack("staging");
    const { resources: changed, broken } = withBrokenInput(
      resources,
      "aws:elasticache/replicationGroup:ReplicationGroup",
      (i) => ({ ...i, transitEncryptionEnabled: false }),
    );
    const report = runPolicyPack(changed, { config: PACK_CONFIG });
    const hits = report.violations.filter((v) => v.resource === broken.urn && v.enforcementLevel === "mandatory");
    assert.ok(hits.length > 0, "a mandatory violation on the replication group");
    assert.ok(
      hits.some((v) => /transit/i.test(v.message)),
      JSON.stringify(hits),
    );
  });

  it('adding "Action": "*" to a task role policy in staging is a mandatory violation', async () => {
    const { resources } = await evaluateStack("staging");
    const { resources: changed, broken } = withBrokenInput(resources, "aws:iam/rolePolicy:RolePolicy", (i) => ({
      ...i,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
    }));
    const report = runPolicyPack(changed, { config: PACK_CONFIG });
    const hits = report.violations.filter((v) => v.resource === broken.urn && v.enforcementLevel === "mandatory");
    assert.ok(
      hits.some((v) => v.policy === "helium-iam-no-wildcard-actions"),
      JSON.stringify(report.violations.map((v) => v.policy)),
    );
  });
});
