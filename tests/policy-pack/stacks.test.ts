import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { runPolicyPack, type PolicyReport } from "../../policy-pack/engine";
import { heliumPolicies } from "../../policy-pack/policies";
import { PROJECT_ROOT } from "../../offline/pulumi-yaml";
import { evaluateStack } from "../../offline/evaluate";
import type { EvaluationMode, RecordedResource } from "../../offline/types";
import { containsUnknownValue } from "../../offline/unknowns";
import { skippedByPolicy } from "../../scripts/plan-report";
import { exemptionNames } from "../../lib/iam-rules";
import { PACK_CONFIG } from "../fixtures/pack-config";

/**
 * The whole pack on every stack's resources as the mock harness records them, with the committed pack
 * config (policy-config.json: the same file the offline plan and CI previews use), after an update and at
 * the first preview of a new stack. Each stack is evaluated once per mode and process (evaluateStack
 * memoises), and each report is computed once and shared by the tests.
 */
const STACKS = ["shared", "staging", "production", "local"] as const;
const reports = new Map<string, Promise<PolicyReport>>();

/** One row of policy-pack/README.md's list of checks lost at a first preview. */
interface DocumentedSkip {
  readonly stack: string;
  readonly count: number;
  readonly type: string;
  /** Logical-name patterns (`*` any characters). */
  readonly names: string[];
  readonly policies: string[];
  readonly programCheck: string;
}

/** The list between the PREVIEW-SKIPS markers of policy-pack/README.md. */
function documentedSkips(): DocumentedSkip[] {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, "policy-pack", "README.md"), "utf8");
  const section = /<!-- PREVIEW-SKIPS:START -->([\s\S]*?)<!-- PREVIEW-SKIPS:END -->/.exec(text);
  assert.ok(section, "policy-pack/README.md has the PREVIEW-SKIPS list");
  const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  return section[1]
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| stack ") && !line.startsWith("|---"))
    .map((line) => {
      const [stack, count, type, names, policies, , programCheck] = line
        .split(" | ")
        .map((c) => c.replace(/^\| |\s*\|$/g, ""));
      return {
        stack,
        count: Number(count),
        type: ticked(type)[0],
        names: ticked(names),
        policies: policies.split(", "),
        programCheck,
      };
    });
}

function reportFor(stack: string, mode: EvaluationMode = "update"): Promise<PolicyReport> {
  let report = reports.get(`${stack} ${mode}`);
  if (report === undefined) {
    report = evaluateStack(stack, { mode }).then((evaluation) =>
      runPolicyPack(evaluation.resources, { config: PACK_CONFIG }),
    );
    reports.set(`${stack} ${mode}`, report);
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
      assert.deepEqual(report.skipped, [], "after an update every value is known: no check is lost");
    });

    it(`${stack} at first preview: zero mandatory violations; the checks lost to unknown values listed`, async () => {
      const [report, preview] = await Promise.all([
        reportFor(stack, "preview"),
        evaluateStack(stack, { mode: "preview" }),
      ]);
      for (const group of skippedByPolicy(report.skipped)) {
        const reasons = group.reasons.map(([reason, n]) => `${n} × ${reason}`).join("; ");
        console.log(`      skipped ${group.count} [${group.enforcementLevel}] ${group.policy}: ${reasons}`);
      }
      // Exactly the documented list: per policy and resource type, the count, and each resource's name.
      const rows = documentedSkips().filter((row) => row.stack === stack);
      const byUrnForNames = new Map(preview.resources.map((r) => [r.urn, r]));
      const lost = new Map<string, string[]>();
      for (const k of report.skipped) {
        const resource = byUrnForNames.get(k.resource);
        const key = `${k.policy} on ${resource?.type ?? "(stack)"}`;
        lost.set(key, [...(lost.get(key) ?? []), resource?.name ?? ""]);
      }
      const documented = rows.flatMap((row) => row.policies.map((p) => `${p} on ${row.type}: ${row.count}`));
      assert.deepEqual(
        [...lost.entries()].map(([key, names]) => `${key}: ${names.length}`).sort(),
        documented.sort(),
        "the checks lost at a first preview are exactly policy-pack/README.md's list",
      );
      for (const row of rows) {
        assert.ok(row.programCheck.length > 0, "each lost check names the program-side check that covers it");
        for (const policy of row.policies)
          for (const name of lost.get(`${policy} on ${row.type}`) ?? [])
            assert.ok(
              row.names.some((pattern) => exemptionNames(pattern, name)),
              `${name} matches ${row.names.join(", ")}`,
            );
      }
      assert.deepEqual(
        report.violations
          .filter((v) => v.enforcementLevel === "mandatory")
          .map((v) => `${v.policy} on ${v.resourceName}`),
        [],
      );
      // A check can only be lost on a resource that holds an unknown value, and only by a policy of the pack.
      const byUrn = new Map(preview.resources.map((r) => [r.urn, r]));
      const names = new Set(heliumPolicies.map((p) => p.name));
      for (const k of report.skipped) {
        assert.ok(names.has(k.policy), k.policy);
        const resource = byUrn.get(k.resource);
        assert.ok(resource !== undefined, `${k.policy}: skipped on ${k.resource || "(no resource)"}`);
        assert.ok(
          containsUnknownValue(resource.inputs) || containsUnknownValue(resource.outputs),
          `${k.policy} on ${resource.name}: ${k.reason}, yet it has no unknown value`,
        );
      }
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
