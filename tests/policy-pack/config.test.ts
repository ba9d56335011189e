import assert from "node:assert/strict";
import { PolicyConfigError, runPolicyPack } from "../../policy-pack/engine";
import { findExemption } from "../../policy-pack/lib/define";
import { sqsEncryption } from "../../policy-pack/policies/encryption";
import { heliumPolicies } from "../../policy-pack/policies";
import { publicIngressEdgeOnly } from "../../policy-pack/policies/private-networking";
import { res, run, urnOf } from "./fixtures";

const QUEUE = "aws:sqs/queue:Queue";
const plainQueues = [res(QUEUE, "jobs", {}), res(QUEUE, "events", {})];

describe("policy config: level overrides and exemptions", () => {
  it("reports at the policy's own level by default", () => {
    const report = run(sqsEncryption, plainQueues);
    assert.deepEqual(
      report.violations.map((v) => v.enforcementLevel),
      ["mandatory", "mandatory"],
    );
    assert.equal(report.mandatoryCount, 2);
  });

  it("lets config lower a level to advisory, or disable the policy", () => {
    const advisory = run(sqsEncryption, plainQueues, { "helium-sqs-encryption": { enforcementLevel: "advisory" } });
    assert.deepEqual(
      advisory.violations.map((v) => v.enforcementLevel),
      ["advisory", "advisory"],
    );
    assert.equal(advisory.mandatoryCount, 0);
    assert.deepEqual(
      run(sqsEncryption, plainQueues, { "helium-sqs-encryption": { enforcementLevel: "disabled" } }).violations,
      [],
    );
  });

  it("lets config raise an advisory policy to mandatory", () => {
    const report = runPolicyPack([res("aws:secretsmanager/secret:Secret", "s", {})], {
      config: { "helium-secret-kms": { enforcementLevel: "mandatory" } },
    });
    assert.deepEqual(
      report.violations.filter((v) => v.policy === "helium-secret-kms").map((v) => v.enforcementLevel),
      ["mandatory"],
    );
  });

  it("reports an exempted finding (by logical name) as exempted with its reason, and keeps the others", () => {
    const reason = "Legacy queue, drained and deleted in HE-42";
    const report = run(sqsEncryption, plainQueues, {
      "helium-sqs-encryption": { exemptions: [{ resource: "jobs", reason }] },
    });
    assert.deepEqual(
      report.violations.map((v) => v.resourceName),
      ["events"],
    );
    assert.deepEqual(
      report.exempted.map(({ policy, resource, reason: r }) => ({ policy, resource, reason: r })),
      [{ policy: "helium-sqs-encryption", resource: urnOf(QUEUE, "jobs"), reason }],
    );
    assert.match(report.exempted[0]?.message ?? "", /^exempted \(Legacy queue.*\): neither sqsManagedSseEnabled/);
  });

  it("matches exemptions by full URN in stack policies too", () => {
    const rule = res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh", {
      ipProtocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrIpv4: "0.0.0.0/0",
    });
    const report = run(publicIngressEdgeOnly, [rule], {
      "helium-public-ingress-edge-only": {
        exemptions: [{ resource: rule.urn, reason: "Break-glass bastion for the migration window" }],
      },
    });
    assert.deepEqual(report.violations, []);
    assert.equal(report.exempted[0]?.resource, rule.urn);
  });

  it("an exemption for another resource name does not match by prefix or substring", () => {
    assert.equal(findExemption([{ resource: "job", reason: "x".repeat(12) }], urnOf(QUEUE, "jobs")), undefined);
  });

  it("an exemption may name logical names by a pattern with * (as the program's IAM check reads it)", () => {
    const exemptions = [{ resource: "deploy-*-compute", reason: "x".repeat(12) }];
    assert.ok(findExemption(exemptions, urnOf(QUEUE, "deploy-dev-compute")));
    assert.equal(findExemption(exemptions, urnOf(QUEUE, "deploy-dev-data")), undefined);
    assert.equal(findExemption(exemptions, urnOf(QUEUE, "deploy-dev-compute-2")), undefined);
  });

  it("rejects config for an unknown policy, a bad level, or an exemption without a written reason", () => {
    assert.throws(
      () => runPolicyPack([], { config: { "helium-nope": {} } }),
      (e: unknown) => e instanceof PolicyConfigError && /unknown policy "helium-nope"/.test(e.message),
    );
    assert.throws(
      () => runPolicyPack([], { config: { "helium-sqs-encryption": { enforcementLevel: "warn" as "advisory" } } }),
      /helium-sqs-encryption.enforcementLevel is "warn"; allowed: mandatory, advisory, disabled/,
    );
    assert.throws(
      () =>
        runPolicyPack([], { config: { "helium-sqs-encryption": { exemptions: [{ resource: "jobs", reason: "" }] } } }),
      /helium-sqs-encryption.exemptions\[0\] \(jobs\) needs a written reason/,
    );
  });

  it("every policy declares the exemptions config schema (so the Pulumi CLI accepts the same config)", () => {
    for (const policy of heliumPolicies) {
      assert.ok(policy.configSchema?.properties["exemptions"], `${policy.name} has no exemptions schema`);
      assert.equal(
        policy.configSchema?.properties["enforcementLevel"],
        undefined,
        `${policy.name} must not declare enforcementLevel (the runtime rejects it)`,
      );
    }
  });
});
