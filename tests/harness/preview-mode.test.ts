/**
 * First-preview mode of the offline runtime, on a small fixture program shaped like the real entry point
 * (async `export = main()` that awaits a StackReference output and an invoke before registering anything).
 * The same program is evaluated in update and preview mode, with staging's config (its sharedStack reference
 * resolves to the real shared stack's outputs).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { evaluateStack } from "../../offline/evaluate";
import { previewGap, describeResources } from "../../offline/first-preview";
import { MOCK_ACCOUNT_ID } from "../../offline/mock-context";
import type { RecordedResource, StackEvaluation } from "../../offline/types";
import { UNKNOWN } from "../../offline/unknowns";

const PROGRAM = path.join(__dirname, "fixtures", "preview-program.ts");

function one(evaluation: StackEvaluation, type: string): RecordedResource {
  const matches = evaluation.resources.filter((r) => r.type === type);
  assert.equal(matches.length, 1, `one ${type}`);
  return matches[0];
}

describe("first-preview mode (fixture program)", function () {
  this.timeout(180_000);
  let update: StackEvaluation;
  let preview: StackEvaluation;

  before(async () => {
    [update, preview] = await Promise.all([
      evaluateStack("staging", { program: PROGRAM }),
      evaluateStack("staging", { program: PROGRAM, mode: "preview" }),
    ]);
  });

  it("StackReferences and invokes resolve in both modes, before any resource is registered", () => {
    for (const evaluation of [update, preview]) {
      assert.equal(evaluation.outputs.domain, "he2.site", evaluation.mode);
      assert.equal(evaluation.outputs.account, MOCK_ACCOUNT_ID, evaluation.mode);
      assert.equal(one(evaluation, "aws:s3/bucket:Bucket").inputs.bucket, `files-${MOCK_ACCOUNT_ID}`);
    }
  });

  it("computed outputs are unknown at preview, inputs echo back, and unknown exports do not hang", () => {
    assert.equal(preview.mode, "preview");
    const bucket = one(preview, "aws:s3/bucket:Bucket");
    assert.equal(bucket.id, null, "ids are unknown");
    assert.equal(bucket.outputs.arn, UNKNOWN);
    assert.equal(bucket.outputs.bucket, `files-${MOCK_ACCOUNT_ID}`, "an input echoes back");
    assert.equal(preview.outputs.bucketArn, UNKNOWN);
    assert.equal(preview.outputs.bucketName, `files-${MOCK_ACCOUNT_ID}`);
    assert.deepEqual(preview.outputs.nested, { arn: UNKNOWN, fixed: "x", secret: "s" });
    assert.deepEqual(preview.secretOutputs, ["nested"]);
  });

  it("an input computed from an unknown output is recorded as the unknown sentinel, its dependency kept", () => {
    const queue = one(preview, "aws:sqs/queue:Queue");
    assert.deepEqual(queue.inputs.tags, { bucket: UNKNOWN });
    assert.deepEqual(queue.propertyDependencies.tags, [one(preview, "aws:s3/bucket:Bucket").urn]);
  });

  it("in update mode the same values are known", () => {
    const bucket = one(update, "aws:s3/bucket:Bucket");
    assert.equal(bucket.outputs.arn, `arn:aws:s3:::files-${MOCK_ACCOUNT_ID}`);
    assert.deepEqual(one(update, "aws:sqs/queue:Queue").inputs.tags, { bucket: bucket.outputs.arn });
    assert.equal(update.outputs.bucketArn, bucket.outputs.arn);
  });

  it("a resource created inside an apply of a computed output is missing at preview, and named", () => {
    const gap = previewGap(update, preview);
    assert.deepEqual(describeResources(gap.onlyAtUpdate), ["aws:s3/bucketPolicy:BucketPolicy files-policy"]);
    assert.deepEqual(gap.onlyAtPreview, []);
  });
});
