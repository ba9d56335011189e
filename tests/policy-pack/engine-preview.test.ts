/**
 * The offline policy engine at a first preview, as the policy runtime runs a pack: props behind
 * `unknownCheckingProxy`, a read of an unknown value loses the check (reported by the runtime as advisory
 * "can't run policy … during preview"), per resource for resource policies and as a whole for stack policies.
 */
import * as assert from "node:assert/strict";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { runPolicyPack } from "../../policy-pack/engine";
import { UNKNOWN_STRING, res } from "./fixtures";

const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const BUCKET = "aws:s3/bucket:Bucket";
const PREVIEW_REASON = "string value at .policy can't be known during preview";

/** A resource policy that reads `policy` of every role policy and flags a wildcard action. */
const noStar: ResourceValidationPolicy = {
  name: "test-no-star",
  description: "no * in role policies",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (args.type !== ROLE_POLICY) return;
    if (String(args.props.policy).includes('"*"')) report("wildcard action");
  },
};

/** A stack policy that reads every bucket's `arn` output. */
const bucketArns: StackValidationPolicy = {
  name: "test-bucket-arns",
  description: "every bucket has an ARN",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    for (const r of args.resources.filter((x) => x.type === BUCKET)) {
      if (typeof r.props.arn !== "string") report(`${r.name} has no arn`);
    }
  },
};

describe("policy engine at preview (unknown values)", () => {
  it("a resource policy that reads an unknown loses that resource's check only, recorded as skipped", () => {
    const pending = res(ROLE_POLICY, "pending", { role: "r", policy: UNKNOWN_STRING });
    const star = res(ROLE_POLICY, "star", { role: "r", policy: '{"Action":"*"}' });
    const report = runPolicyPack([pending, star], { policies: [noStar] });
    assert.deepEqual(
      report.violations.map((v) => [v.policy, v.resourceName]),
      [["test-no-star", "star"]],
      "the other resource is still checked",
    );
    assert.deepEqual(report.skipped, [
      {
        policy: "test-no-star",
        enforcementLevel: "mandatory",
        resource: pending.urn,
        reason: PREVIEW_REASON,
        message: `can't run policy 'test-no-star' from policy pack 'helium-guard' during preview: ${PREVIEW_REASON}`,
      },
    ]);
    assert.equal(report.mandatoryCount, 1, "a lost check is no violation");
  });

  it("a configured level is what the skipped entry carries; a disabled policy is not run at all", () => {
    const pending = res(ROLE_POLICY, "pending", { policy: UNKNOWN_STRING });
    const advisory = runPolicyPack([pending], {
      policies: [noStar],
      config: { "test-no-star": { enforcementLevel: "advisory" } },
    });
    assert.deepEqual(
      advisory.skipped.map((k) => k.enforcementLevel),
      ["advisory"],
    );
    const disabled = runPolicyPack([pending], {
      policies: [noStar],
      config: { "test-no-star": { enforcementLevel: "disabled" } },
    });
    assert.deepEqual(disabled.skipped, []);
  });

  it("an IAM document object with one unknown leaf is unknown as a whole, as the provider's Check makes it", () => {
    const document = { Statement: [{ Effect: "Allow", Action: "*", Resource: [UNKNOWN_STRING] }] };
    const report = runPolicyPack([res(ROLE_POLICY, "object-doc", { policy: document })], { policies: [noStar] });
    assert.deepEqual(report.violations, [], "the wildcard cannot be seen at preview");
    assert.equal(report.skipped.length, 1);
    const known = runPolicyPack([res(ROLE_POLICY, "known-doc", { policy: { Statement: [{ Action: "*" }] } })], {
      policies: [noStar],
    });
    assert.deepEqual(
      known.violations.map((v) => v.message),
      ["wildcard action"],
      "a known object arrives as JSON text",
    );
  });

  it("a stack policy sees outputs; one unknown read loses the whole policy, naming the resource read last", () => {
    const created = res(BUCKET, "files", { bucket: "files" });
    const known = { ...created, outputs: { bucket: "files", arn: "arn:aws:s3:::files" } };
    const unknown = { ...res(BUCKET, "logs", { bucket: "logs" }), outputs: { bucket: "logs", arn: UNKNOWN_STRING } };
    assert.deepEqual(runPolicyPack([known], { policies: [bucketArns] }).violations, [], "the computed arn is seen");

    const report = runPolicyPack([known, unknown], { policies: [bucketArns] });
    assert.deepEqual(report.violations, []);
    assert.deepEqual(
      report.skipped.map((k) => [k.policy, k.resource, k.reason]),
      [["test-bucket-arns", unknown.urn, "string value at .arn can't be known during preview"]],
    );
  });

  it("dependencies and property dependencies are readable at preview, even when the values are not", () => {
    const bucket = res(BUCKET, "files", { bucket: "files" });
    const policy = res(ROLE_POLICY, "read-files", { policy: UNKNOWN_STRING }, { deps: { policy: [bucket] } });
    const dependsOnBucket: StackValidationPolicy = {
      name: "test-deps",
      description: "role policies name their bucket",
      enforcementLevel: "advisory",
      validateStack: (args, report) => {
        for (const r of args.resources.filter((x) => x.type === ROLE_POLICY)) {
          const names = (r.propertyDependencies.policy ?? []).map((d) => d.name);
          report(`${r.name} → ${names.join(",")}; ${r.dependencies.length} dependencies`);
        }
      },
    };
    const report = runPolicyPack([bucket, policy], { policies: [dependsOnBucket] });
    assert.deepEqual(
      report.violations.map((v) => v.message),
      ["read-files → files; 1 dependencies"],
    );
    assert.deepEqual(report.skipped, []);
  });

  it("in update mode (nothing unknown) nothing is skipped", () => {
    const report = runPolicyPack([res(ROLE_POLICY, "known", { policy: "{}" })], { policies: [noStar, bucketArns] });
    assert.deepEqual(report.skipped, []);
  });
});
