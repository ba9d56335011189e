/**
 * Bad input registers nothing. Every bad config of the suite (bad-configs.ts) runs through the program's own
 * entry, `main({ stack, config })` from stacks/index.ts, in-process under the recording mocks, with the
 * referenced stacks' outputs given (tests/fixtures/models.ts, checked against the real shared stack in
 * tests/stacks/shared.test.ts). Each run must reject with an InputError naming the bad keys, register no
 * resource but the StackReference reads that come before the resolve step, and print readably (render-as-cli.ts).
 */
import { recorder, settle } from "../harness/component";
import * as assert from "node:assert/strict";
import { SecureBucket } from "../../components/SecureBucket";
import { InputError, renderValue } from "../../lib/input-error";
import { main } from "../../stacks";
import { SHARED_OUTPUTS } from "../fixtures/models";
import { configOf } from "../fixtures/stack-config";
import { STACK_REFERENCE_TYPE } from "../../offline/stack-references";
import type { RecordedResource } from "../../offline/types";
import { BAD_CONFIGS, type BadConfig } from "./bad-configs";
import { assertReadableAsCli } from "./render-as-cli";

/** Runs `program`; returns what it rejected with and every resource it registered. */
async function run(program: () => Promise<unknown>) {
  recorder.reset();
  let rejection: unknown;
  try {
    await program();
  } catch (error) {
    rejection = error;
  }
  await settle();
  return { rejection, resources: [...recorder.resources] };
}

/** The program on `config` as `stack`. */
const runMain = (stack: string, config: Record<string, string>) => run(() => main({ stack, config }));

/** Registered resources other than StackReference reads, as `type name`. */
const registeredBesidesReads = (resources: readonly RecordedResource[]) =>
  resources.filter((r) => r.type !== STACK_REFERENCE_TYPE).map((r) => `${r.type} ${r.name}`);

describe("bad input registers nothing (main() in-process under mocks)", function () {
  // Each run stops before the build; the whole table takes well under a second per case.
  this.timeout(10_000);
  before(() => recorder.setStackReferences({ shared: SHARED_OUTPUTS, staging: { imageTag: "v1" } }));
  after(() => recorder.setStackReferences({}));

  it("the good committed configs build under the same harness (so a rejection below is the config's doing)", async function () {
    this.timeout(60_000);
    for (const stack of ["staging", "production", "shared", "local"]) {
      const { rejection, resources } = await runMain(stack, configOf(stack));
      assert.equal(rejection, undefined, `${stack}: ${String(rejection)}`);
      assert.ok(
        resources.filter((r) => r.type !== STACK_REFERENCE_TYPE).length > 10,
        `${stack} registers its resources`,
      );
    }
  });

  it("the check sees what a program registered before it threw (a late error cannot pass)", async () => {
    const { rejection, resources } = await run(() => {
      new SecureBucket("late", { region: "ap-south-1", bucketName: "helium-late-test" });
      throw new InputError("a late check", [{ key: "k", value: 1, allowed: "2" }]);
    });
    assert.ok(rejection instanceof InputError);
    assert.deepEqual(registeredBesidesReads(resources).slice(0, 2), [
      "helium:index:SecureBucket late",
      "aws:s3/bucket:Bucket late",
    ]);
  });

  for (const entry of BAD_CONFIGS) {
    const stack = entry.stack ?? entry.file;
    const title = `${entry.from}: ${entry.title} (${stack}) → InputError naming ${entry.keys.join(", ")}, zero resources`;
    // Skipped while the program accepts the config: `notRejectedYet` says why and what would reject it.
    const test = entry.notRejectedYet === undefined ? it : it.skip;
    test(title, async () => {
      await assertRejectedBeforeAnyResource(entry, stack);
    });
  }

  it("the table holds every source the issue names", () => {
    const sources = new Set(BAD_CONFIGS.map((entry) => entry.from));
    assert.deepEqual([...sources].sort(), [
      "AWS limit",
      "README",
      "config.test",
      "errors review",
      "kubernetes.test",
      "observability.test",
    ]);
    assert.equal(
      BAD_CONFIGS.filter((entry) => entry.from === "AWS limit").length,
      4,
      "the four known AWS-limit defects",
    );
  });
});

async function assertRejectedBeforeAnyResource(entry: BadConfig, stack: string): Promise<void> {
  const started = Date.now();
  const { rejection, resources } = await runMain(stack, configOf(entry.file, entry.overrides));
  assert.ok(rejection instanceof InputError, `rejects with an InputError, got ${String(rejection)}`);
  const named = rejection.problems.map((p) => p.key);
  if (entry.exactly !== undefined) {
    assert.deepEqual(
      rejection.problems.map((p) => [p.key, renderValue(p.value)]),
      entry.exactly.map(([key, value]) => [key, value]),
      rejection.message,
    );
    entry.exactly.forEach(([key, , allowed], i) =>
      assert.match(rejection.problems[i].allowed, allowed, `what is allowed at ${key}`),
    );
  }
  for (const key of entry.keys) assert.ok(named.includes(key), `names ${key}; named: ${named.join(", ")}`);
  assert.deepEqual(registeredBesidesReads(resources), [], "registers no resource but StackReference reads");
  // And the operator reads it: the CLI's rendering names each key with its value, without dumps or a stack trace.
  assertReadableAsCli(
    rejection,
    `Invalid input for stack "${stack}"`,
    rejection.problems.filter((p) => entry.keys.includes(p.key)).map((p) => [p.key, renderValue(p.value)] as const),
  );
  assert.ok(Date.now() - started < 2_000, `in-process and fast: ${Date.now() - started} ms`);
}
