/**
 * stacks/references.ts: what an environment reads before its resolve step (the shared stack's outputs, the
 * promoted stack's imageTag, the account), under the in-process recording mocks. The only resources it may
 * register are StackReference reads.
 */
import { recorder, settle } from "../harness/component";
import * as assert from "node:assert/strict";
import type { EnvironmentConfig } from "../../config/environment";
import { InputError } from "../../lib/input-error";
import { readEnvironmentReferences } from "../../stacks/references";
import { SHARED_OUTPUTS } from "../fixtures/models";
import { assertProblem, parsedStack } from "../fixtures/stack-config";
import { MOCK_ACCOUNT_ID } from "../../offline/mock-context";

const SHARED = "acme/helium/shared";
const STAGING = "acme/helium/staging";

function environmentConfig(overrides: Record<string, unknown>): EnvironmentConfig {
  const parsed = parsedStack("staging", overrides);
  if (parsed.role !== "environment") throw new Error("staging is an environment");
  return parsed.config;
}

/** The StackReferences registered since the last reset, as [logical name, referenced stack]. */
const references = () => recorder.resources.map((r) => [r.type, r.name, r.inputs.name]);

async function rejection(run: Promise<unknown>): Promise<InputError> {
  let caught: unknown;
  try {
    await run;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof InputError, `expected an InputError, got ${String(caught)}`);
  return caught;
}

/** The problems of a reading as the InputError the program throws with them. */
async function asError(stack: string, reading: ReturnType<typeof readEnvironmentReferences>): Promise<never> {
  const { problems } = await reading;
  throw new InputError(`stack "${stack}"`, problems);
}

describe("readEnvironmentReferences (stacks/references.ts, in-process mocks)", () => {
  beforeEach(() => recorder.reset());
  after(async () => {
    await settle();
    recorder.setStackReferences({});
  });

  it("reads the shared stack named by helium:sharedStack, the configured image tag and the account", async () => {
    recorder.setStackReferences({ [SHARED]: { ...SHARED_OUTPUTS, nameServers: [] } });
    const read = await readEnvironmentReferences(environmentConfig({ "helium:sharedStack": SHARED }));
    await settle();
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.references, {
      account: MOCK_ACCOUNT_ID,
      shared: SHARED_OUTPUTS,
      imageTag: "v1",
      imageSelection: { source: "config", tag: "v1" },
    });
    assert.deepEqual(references(), [["pulumi:pulumi:StackReference", "shared", SHARED]]);
  });

  it("with helium:promoteFrom, deploys exactly the imageTag the promoted stack exports", async () => {
    recorder.setStackReferences({ [SHARED]: SHARED_OUTPUTS, [STAGING]: { imageTag: "sha256:" + "a".repeat(64) } });
    const read = await readEnvironmentReferences(
      environmentConfig({ "helium:sharedStack": SHARED, "helium:imageTag": undefined, "helium:promoteFrom": STAGING }),
    );
    await settle();
    assert.equal(read.references?.imageTag, "sha256:" + "a".repeat(64));
    assert.deepEqual(references(), [
      ["pulumi:pulumi:StackReference", "shared", SHARED],
      ["pulumi:pulumi:StackReference", "promote-from", STAGING],
    ]);
  });

  it("an absent shared output fails naming the reference, its config key and the output", async () => {
    const { hostedZoneId: _absent, ...rest } = SHARED_OUTPUTS;
    recorder.setStackReferences({ [SHARED]: rest });
    const error = await rejection(
      asError("staging", readEnvironmentReferences(environmentConfig({ "helium:sharedStack": SHARED }))),
    );
    assert.equal(error.source, 'stack "staging"');
    assertProblem(
      error,
      "StackReference acme/helium/shared (helium:sharedStack).hostedZoneId",
      /\(missing\) — allowed: .*point helium:sharedStack at the right stack/,
    );
    assert.equal(error.problems.length, 1);
  });

  it("promotion from a stack without an imageTag, and a malformed shared output, fail together", async () => {
    recorder.setStackReferences({ [SHARED]: { ...SHARED_OUTPUTS, registryId: "mock" }, [STAGING]: { apiUrl: "x" } });
    const error = await rejection(
      asError(
        "production",
        readEnvironmentReferences(
          environmentConfig({
            "helium:sharedStack": SHARED,
            "helium:imageTag": undefined,
            "helium:promoteFrom": STAGING,
          }),
        ),
      ),
    );
    assertProblem(error, "StackReference acme/helium/shared (helium:sharedStack).registryId", /"mock"/);
    assertProblem(
      error,
      "StackReference acme/helium/staging (helium:promoteFrom).imageTag",
      /\(missing\) — allowed: an image tag or digest that acme\/helium\/staging exports once its services ran it healthy; deploy it first, or set helium:imageTag instead of helium:promoteFrom/,
    );
    assert.equal(error.problems.length, 2);
  });

  it("a promoted imageTag that is not a tag or digest is named with its value", async () => {
    recorder.setStackReferences({ [SHARED]: SHARED_OUTPUTS, [STAGING]: { imageTag: "v1 beta" } });
    const error = await rejection(
      asError(
        "production",
        readEnvironmentReferences(
          environmentConfig({
            "helium:sharedStack": SHARED,
            "helium:imageTag": undefined,
            "helium:promoteFrom": STAGING,
          }),
        ),
      ),
    );
    assertProblem(error, "StackReference acme/helium/staging (helium:promoteFrom).imageTag", /"v1 beta"/);
  });
});
