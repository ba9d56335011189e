/**
 * Which image an environment runs (model/image.ts): promotion, helium:imageTag, or the rollback pin
 * helium:imageOverride { tag, reason }. Pure cases first, then config errors (named key and value, nothing
 * registered), then whole production programs under mocks with staging's real exported tag.
 *
 * Evaluations: shared, staging and production (memoised, shared with other test files), plus two with config
 * overrides (production pinned; production pinned while promoting from a stack that exports no image).
 */
import { recorder, settle } from "../harness/component";
import assert from "node:assert/strict";
import { parseStackConfig } from "../../config/stack";
import { InputError } from "../../lib/input-error";
import { imageOverrideNotice, selectImage } from "../../model/image";
import type { ImageSelection } from "../../model/types/image";
import { main } from "../../stacks/index";
import { readStackFile } from "../../offline/pulumi-yaml";
import { SHARED_OUTPUTS } from "../fixtures/models";
import { evaluateStack } from "../../offline/evaluate";
import type { RecordedResource, StackEvaluation } from "../../offline/types";
import { startEvaluations } from "../harness/prefetch";
import { STACK_REFERENCE_TYPE } from "../../offline/stack-references";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const PIN = { tag: "v0-known-good", reason: "INC-42: v2 corrupts uploads" };

/** Production's committed config with some keys replaced (`undefined` removes a key). */
function productionConfig(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const config: Record<string, string> = { ...readStackFile("production").config };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete config[key];
    else config[key] = value;
  }
  return config;
}

function problemsOf(error: unknown): readonly { key: string; value: unknown; allowed: string }[] {
  assert.ok(InputError.isInputError(error), `an InputError, got ${String(error)}`);
  return error.problems;
}

/** The application container's image of a task definition (the ECR one, not the X-Ray sidecar). */
function appImageOf(taskDefinition: RecordedResource): string {
  const raw = taskDefinition.inputs.containerDefinitions;
  const text = typeof raw === "object" && raw !== null && "value" in raw ? String(raw.value) : String(raw);
  const images = (JSON.parse(text) as { image: string }[]).map((c) => c.image).filter((i) => i.includes(".dkr.ecr."));
  assert.equal(images.length, 1, `${taskDefinition.name} runs one ECR image`);
  return images[0];
}

const taskDefinitions = (evaluation: StackEvaluation) =>
  evaluation.resources.filter((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition");

describe("image selection (model/image.ts)", () => {
  it("promotion: exactly the promoted stack's tag", () => {
    assert.deepEqual(selectImage({ promoteFrom: "staging" }, "v7"), {
      selection: { source: "promotion", tag: "v7", promoteFrom: "staging" },
      problems: [],
    });
  });

  it("the override wins over promotion and over imageTag, and says what removing it returns to", () => {
    assert.deepEqual(selectImage({ promoteFrom: "staging", imageOverride: PIN }, "v7").selection, {
      source: "override",
      tag: PIN.tag,
      promoteFrom: "staging",
      withoutOverride: "v7",
      reason: PIN.reason,
    } satisfies ImageSelection);
    assert.deepEqual(
      selectImage({ imageTag: "v9", imageOverride: { tag: DIGEST, reason: "r" } }, undefined).selection,
      {
        source: "override",
        tag: DIGEST,
        withoutOverride: "v9",
        reason: "r",
      },
    );
  });

  it("a rollback does not depend on the promoted stack: a missing or bad promoted tag is no problem with an override", () => {
    for (const exported of [undefined, "not a tag!", 42]) {
      const result = selectImage({ promoteFrom: "staging", imageOverride: PIN }, exported);
      assert.deepEqual(result.problems, []);
      assert.equal(result.selection?.tag, PIN.tag);
      assert.equal(result.selection?.withoutOverride, null);
    }
  });

  it("without the override a missing promoted tag is a problem naming the reference, and the way out", () => {
    const { selection, problems } = selectImage({ promoteFrom: "acme/helium/staging" }, undefined);
    assert.equal(selection, undefined);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].key, "StackReference acme/helium/staging (helium:promoteFrom).imageTag");
    assert.match(problems[0].allowed, /deploy it first, .*or pin an image with helium:imageOverride$/);
  });

  it("the notice printed with every preview and up names the pin, the reason and the way back", () => {
    const selection = selectImage({ promoteFrom: "staging", imageOverride: PIN }, "v7").selection as ImageSelection;
    assert.equal(
      imageOverrideNotice("production", selection),
      `helium:imageOverride pins stack production to image ${PIN.tag} (promotion from staging would deploy v7); reason: ${PIN.reason}. Run 'pulumi config rm helium:imageOverride' to return.`,
    );
    assert.equal(imageOverrideNotice("production", { source: "promotion", tag: "v7" }), undefined);
  });
});

describe("helium:imageOverride in config", () => {
  const parseProduction = (overrides: Record<string, string | undefined>) =>
    parseStackConfig({ stack: "production", config: productionConfig(overrides) });

  it("is allowed together with promoteFrom; a numeric tag stays text", () => {
    const parsed = parseProduction({ "helium:imageOverride": JSON.stringify({ tag: 123, reason: " INC-1 " }) });
    assert.equal(parsed.role, "environment");
    assert.deepEqual(parsed.config.imageOverride, { tag: "123", reason: "INC-1" });
    assert.equal(parsed.config.promoteFrom, "staging");
  });

  for (const [label, value, key, shown] of [
    [
      "a tag that is neither a tag nor a digest",
      { tag: "v1 beta", reason: "r" },
      "helium:imageOverride.tag",
      '"v1 beta"',
    ],
    ["a digest of the wrong length", { tag: "sha256:abc", reason: "r" }, "helium:imageOverride.tag", '"sha256:abc"'],
    ["no reason", { tag: "v1" }, "helium:imageOverride.reason", "(missing)"],
    ["a blank reason", { tag: "v1", reason: "   " }, "helium:imageOverride.reason", '""'],
    ["an unknown key", { tag: "v1", reason: "r", until: "friday" }, "helium:imageOverride.until", '"friday"'],
  ] as const) {
    it(`rejects ${label}, naming the key and the value`, () => {
      let caught: unknown;
      try {
        parseProduction({ "helium:imageOverride": JSON.stringify(value) });
      } catch (error) {
        caught = error;
      }
      const problems = problemsOf(caught);
      assert.deepEqual(
        problems.map((p) => p.key),
        [key],
      );
      assert.ok((caught as Error).message.includes(`${key}: ${shown}`), (caught as Error).message);
    });
  }

  it("a bad override stops the program before any resource is registered (only the StackReference reads)", async () => {
    recorder.reset();
    recorder.setStackReferences({ shared: SHARED_OUTPUTS, staging: { imageTag: "v1" } });
    try {
      await assert.rejects(
        main({
          stack: "production",
          config: productionConfig({ "helium:imageOverride": JSON.stringify({ tag: "v1 beta", reason: "r" }) }),
        }),
        (error: Error) => {
          assert.deepEqual(
            problemsOf(error).map((p) => [p.key, p.value]),
            [["helium:imageOverride.tag", "v1 beta"]],
          );
          return true;
        },
      );
      await settle();
      assert.deepEqual(
        recorder.resources.filter((r) => r.type !== STACK_REFERENCE_TYPE).map((r) => r.type),
        [],
        "nothing registered but the reads of shared and staging",
      );
    } finally {
      recorder.setStackReferences({});
    }
  });
});

describe("rollback pin on the production program (whole stacks under mocks)", function () {
  this.timeout(240_000);
  startEvaluations([
    ["production", { configOverrides: { "helium:imageOverride": JSON.stringify(PIN) } }],
    [
      "production",
      { configOverrides: { "helium:imageOverride": JSON.stringify(PIN), "helium:promoteFrom": "shared" } },
    ],
  ]);
  let staging: StackEvaluation;
  let production: StackEvaluation;
  let pinned: Promise<StackEvaluation>;
  let pinnedWithoutPromotedTag: Promise<StackEvaluation>;
  const override = JSON.stringify(PIN);

  before(async () => {
    pinned = evaluateStack("production", { configOverrides: { "helium:imageOverride": override } });
    // shared exports no imageTag: promotion from it alone fails (tests/stacks/environments.test.ts).
    pinnedWithoutPromotedTag = evaluateStack("production", {
      configOverrides: { "helium:imageOverride": override, "helium:promoteFrom": "shared" },
    });
    pinned.catch(() => undefined);
    pinnedWithoutPromotedTag.catch(() => undefined);
    [staging, production] = await Promise.all([evaluateStack("staging"), evaluateStack("production")]);
  });

  it("without the override production runs staging's exported tag, and its outputs say it was promoted", () => {
    const stagingTag = staging.outputs.imageTag as string;
    assert.notEqual(stagingTag, PIN.tag);
    assert.deepEqual(production.outputs.imageSelection, {
      source: "promotion",
      tag: stagingTag,
      promoteFrom: "staging",
    });
    assert.equal(production.outputs.imageTag, stagingTag);
    assert.ok(taskDefinitions(production).length > 0);
    for (const td of taskDefinitions(production)) assert.ok(appImageOf(td).endsWith(`:${stagingTag}`), td.name);
  });

  it("with the override every task definition in every region runs the pinned image, and the outputs say why", async () => {
    const evaluation = await pinned;
    const stagingTag = staging.outputs.imageTag as string;
    const definitions = taskDefinitions(evaluation);
    assert.equal(definitions.length, taskDefinitions(production).length, "the same task definitions");
    assert.deepEqual(
      [...new Set(definitions.map((td) => td.region))].sort(),
      Object.keys(evaluation.outputs.regions as object).sort(),
    );
    for (const td of definitions)
      assert.ok(appImageOf(td).endsWith(`:${PIN.tag}`), `${td.name} runs ${appImageOf(td)}`);
    assert.equal(evaluation.outputs.imageTag, PIN.tag);
    assert.deepEqual(evaluation.outputs.imageSelection, {
      source: "override",
      tag: PIN.tag,
      promoteFrom: "staging",
      withoutOverride: stagingTag,
      reason: PIN.reason,
    });
    assert.ok(
      evaluation.resources.some((r) => r.type === "pulumi:pulumi:StackReference" && r.name === "promote-from"),
      "promotion stays configured: removing the override returns to it",
    );
  });

  it("the override works even when the promoted stack exports no image (a rollback must not need staging)", async () => {
    const evaluation = await pinnedWithoutPromotedTag;
    assert.deepEqual(evaluation.outputs.imageSelection, {
      source: "override",
      tag: PIN.tag,
      promoteFrom: "shared",
      withoutOverride: null,
      reason: PIN.reason,
    });
    for (const td of taskDefinitions(evaluation)) assert.ok(appImageOf(td).endsWith(`:${PIN.tag}`), td.name);
  });
});
