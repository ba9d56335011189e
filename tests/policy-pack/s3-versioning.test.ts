/**
 * helium-s3-versioning (Checkov CKV_AWS_21): every bucket is versioned and a lifecycle rule expires its
 * noncurrent versions. Unit cases linked by name and, as at a first preview, by property dependencies only;
 * the committed stacks (files, ALB-log and flow-log buckets); and a regression that drops the ALB-log
 * bucket's versioning in a real staging evaluation.
 */
import assert from "node:assert/strict";
import { evaluateStack } from "../../offline/evaluate";
import type { RecordedResource } from "../../offline/types";
import { runPolicyPack } from "../../policy-pack/engine";
import { S3_LIFECYCLE, S3_VERSIONING, s3Versioning } from "../../policy-pack/policies/s3-versioning";
import { UNKNOWN_STRING, res, run } from "./fixtures";

const BUCKET = "aws:s3/bucket:Bucket";
const NONCURRENT = { id: "n", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } };

function bucketWith(known: boolean, status: string | undefined, rules: unknown[] | undefined): RecordedResource[] {
  const bucket = res(BUCKET, "logs", known ? { bucket: "logs-1" } : { bucketPrefix: "logs-" });
  const name = known ? "logs-1" : UNKNOWN_STRING;
  const linked = { deps: { bucket: [bucket] } };
  return [
    bucket,
    ...(status === undefined
      ? []
      : [res(S3_VERSIONING, "logs-versioning", { bucket: name, versioningConfiguration: { status } }, linked)]),
    ...(rules === undefined ? [] : [res(S3_LIFECYCLE, "logs-lifecycle", { bucket: name, rules }, linked)]),
  ];
}

const messages = (resources: readonly RecordedResource[]) => {
  const report = run(s3Versioning, resources);
  assert.deepEqual(report.skipped, []);
  return report.violations.map((v) => v.message);
};

describe("helium-s3-versioning", function () {
  this.timeout(180_000);

  for (const known of [true, false]) {
    describe(known ? "linked by name (update)" : "linked by property dependencies (first preview)", () => {
      it("passes a versioned bucket whose lifecycle expires noncurrent versions", () => {
        assert.deepEqual(messages(bucketWith(known, "Enabled", [NONCURRENT])), []);
      });

      it("flags a bucket without versioning, or with versioning suspended", () => {
        for (const status of [undefined, "Suspended"])
          assert.deepEqual(messages(bucketWith(known, status, [NONCURRENT])), [
            "the bucket has no BucketVersioning with status Enabled",
          ]);
      });

      it("flags a versioned bucket whose lifecycle keeps every version", () => {
        const current = { id: "c", status: "Enabled", filter: {}, expiration: { days: 90 } };
        const disabled = { ...NONCURRENT, status: "Disabled" };
        for (const rules of [undefined, [current], [disabled]])
          assert.deepEqual(messages(bucketWith(known, "Enabled", rules)), [
            "the bucket is versioned but no lifecycle rule expires noncurrent versions: every old version would be kept",
          ]);
      });
    });
  }

  for (const mode of ["update", "preview"] as const) {
    it(`passes every bucket of the committed stacks (${mode}), and flags the ALB-log bucket without versioning`, async () => {
      for (const stack of ["staging", "production"]) {
        const { resources } = await evaluateStack(stack, { mode });
        const buckets = resources.filter((r) => r.type === BUCKET);
        assert.ok(buckets.some((b) => /alb-logs/.test(b.name)) && buckets.some((b) => /flow-logs/.test(b.name)));
        const report = runPolicyPack(resources, { policies: [s3Versioning] });
        assert.deepEqual(report.violations, [], stack);
        assert.deepEqual(report.skipped, [], stack);
      }
      const { resources } = await evaluateStack("staging", { mode });
      const broken = resources.filter((r) => !(r.type === S3_VERSIONING && /alb-logs/.test(r.name)));
      assert.equal(broken.length, resources.length - 1);
      assert.deepEqual(
        runPolicyPack(broken, { policies: [s3Versioning] }).violations.map((v) => [v.resourceName, v.message]),
        [["staging-mumbai-alb-logs", "the bucket has no BucketVersioning with status Enabled"]],
      );
    });
  }
});
