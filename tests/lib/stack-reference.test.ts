import { recorder, settle, valueOf } from "../harness/component";
import * as assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import { RequiredStackReference } from "../../lib/stack-reference";
import { StackEvaluationError, evaluateStack } from "../../offline/evaluate";

const SHARED = "acme/helium/shared";

/**
 * An Output's settled value, or its error. `valueOf` (apply) never sees a failed Output: a throwing apply
 * rejects the Output's internal promise, which is what the engine awaits when it serializes inputs.
 */
function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

describe("RequiredStackReference", function () {
  this.timeout(120_000);

  before(() => {
    recorder.reset();
    recorder.setStackReferences({
      [SHARED]: { domain: "he2.site", replicas: 0, imageRegions: ["ap-south-1", "us-east-1"] },
    });
  });

  after(async () => {
    await settle();
    recorder.setStackReferences({});
  });

  it("registers one StackReference to the named stack", async () => {
    new RequiredStackReference("shared-for-registration", SHARED, "helium:sharedStack");
    await settle();
    const references = recorder.resources.filter(
      (r) => r.type === "pulumi:pulumi:StackReference" && r.name === "shared-for-registration",
    );
    assert.equal(references.length, 1);
    assert.equal(references[0].inputs.name, SHARED);
  });

  it("resolves an output the referenced stack exports, falsy values included", async () => {
    const shared = new RequiredStackReference("shared-present", SHARED, "helium:sharedStack");
    assert.equal(await valueOf(shared.require<string>("domain", "DNS names")), "he2.site");
    assert.deepEqual(await settled(shared.require<string[]>("imageRegions", "image replicas")), [
      "ap-south-1",
      "us-east-1",
    ]);
    assert.equal(await settled(shared.require<number>("replicas", "a count")), 0);
  });

  it("fails naming the stack, the output, the config key and the purpose when the output is absent", async () => {
    const shared = new RequiredStackReference("shared-absent", SHARED, "helium:sharedStack");
    await assert.rejects(settled(shared.require<string>("hostedZoneId", "the api record")), (error: Error) => {
      assert.match(
        error.message,
        /Stack "acme\/helium\/shared" \(helium:sharedStack\) exports no output "hostedZoneId", needed for the api record/,
      );
      assert.match(error.message, /point helium:sharedStack at the right stack/);
      return true;
    });
  });

  it("production promoting from a stack that exports no imageTag fails, naming imageTag and that stack", async () => {
    // The shared stack exports no imageTag; the harness evaluates it first and hands over its real outputs.
    const promotion = evaluateStack("production", { configOverrides: { "helium:promoteFrom": "shared" } });
    await assert.rejects(promotion, (error: Error) => {
      assert.ok(error instanceof StackEvaluationError);
      assert.equal(error.stack, "production");
      assert.match(error.message, /Stack "shared" \(helium:promoteFrom\) exports no output "imageTag"/);
      return true;
    });
  });
});
