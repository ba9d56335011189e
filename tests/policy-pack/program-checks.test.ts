/**
 * Why the program checks IAM documents itself: at a first preview the pack cannot see a document that holds
 * an unknown ARN (it arrives as one unknown string, and the runtime reports the check as "can't run during
 * preview", advisory), so a wildcard grant would pass the preview and fail only at `pulumi up`. Built with
 * lib/iam.ts `permissionPolicy`, the same document fails the preview, naming the statement.
 */
import { recorder, settle } from "../harness/component";
import assert from "node:assert/strict";
import * as path from "path";
import { HeliumService } from "../../components/service/HeliumService";
import { InputError } from "../../lib/input-error";
import { StackEvaluationError, evaluateStack } from "../../offline/evaluate";
import type { EvaluationMode } from "../../offline/types";
import { runPolicyPack } from "../../policy-pack/engine";
import { heliumPolicies } from "../../policy-pack/policies";
import { ACCOUNT, referenceRegions } from "../components/region/fixtures";
import { PACK_CONFIG } from "../fixtures/pack-config";

const PROGRAM = path.join(__dirname, "fixtures", "role-policy-program.ts");
const IAM_PERMISSION_POLICIES = [
  "helium-iam-no-wildcard-actions",
  "helium-iam-no-wildcard-resources",
  "helium-iam-passrole-scoped",
];

/** The pack's IAM policies (the fixture's bucket has none of the S3 baseline, which is not the point here). */
const IAM_ONLY = { config: PACK_CONFIG, policies: heliumPolicies.filter((p) => p.name.startsWith("helium-iam-")) };

const evaluate = (builder: "checked" | "unchecked", mode: EvaluationMode) =>
  evaluateStack("shared", { program: PROGRAM, mode, configOverrides: { "fixture:builder": builder } });

describe("IAM documents with unknown ARNs: the pack at preview, and the program-side check", function () {
  this.timeout(180_000);

  it("unchecked: the pack loses the document's checks at a first preview and blocks it only at update", async () => {
    const [preview, update] = await Promise.all([evaluate("unchecked", "preview"), evaluate("unchecked", "update")]);
    const atPreview = runPolicyPack(preview.resources, IAM_ONLY);
    assert.deepEqual(atPreview.violations, []);
    assert.deepEqual(
      atPreview.skipped.filter((k) => k.resource.endsWith("::app-files")).map((k) => [k.policy, k.reason]),
      IAM_PERMISSION_POLICIES.map((p) => [p, "string value at .policy can't be known during preview"]),
    );
    const atUpdate = runPolicyPack(update.resources, IAM_ONLY);
    assert.deepEqual(
      atUpdate.violations.map((v) => [v.policy, v.enforcementLevel, v.resourceName]),
      [["helium-iam-no-wildcard-actions", "mandatory", "app-files"]],
    );
  });

  for (const mode of ["preview", "update"] as const) {
    it(`checked: the ${mode} fails, naming the statement and the rule`, async () => {
      await assert.rejects(evaluate("checked", mode), (error: unknown) => {
        assert.ok(error instanceof StackEvaluationError);
        assert.match(error.message, /^Invalid input for IAM policy app-files \(1 problem\); nothing was created:/);
        assert.match(
          error.message,
          /app-files\.Statement\[0\] \(Sid EverythingOnFiles\): .* — allowed: helium-iam-no-wildcard-actions: Allow grants wildcard action\(s\) s3:\*/,
        );
        return true;
      });
    });
  }

  it("a service whose repository ARN is * registers nothing: the execution role's statement is named", async () => {
    const { prod } = await referenceRegions();
    const backend = prod.model.services.find((s) => s.name === "backend");
    assert.ok(backend);
    recorder.reset();
    let caught: unknown;
    try {
      new HeliumService(
        "wild-backend",
        { model: { ...backend, repositoryArn: "*" }, foundation: prod.component, account: ACCOUNT },
        { parent: prod.component },
      );
    } catch (error) {
      caught = error;
    }
    await settle();
    assert.ok(caught instanceof InputError, String(caught));
    assert.deepEqual(
      caught.problems.map((p) => [p.key, p.allowed.split(":")[0]]),
      [["wild-backend-exec-policy.Statement[0] (Sid PullServiceImages)", "helium-iam-no-wildcard-resources"]],
    );
    assert.equal(recorder.resources.length, 0, "nothing registered, not even the component");
  });
});
