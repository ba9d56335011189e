/**
 * offline/lazy-closure.cjs: importing the SDK no longer loads its function serializer, and the serializer
 * still works, through the SDK's own exports, when something calls it.
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const REGISTER = path.join(ROOT, "offline", "register.cjs");
const WATCHED = ["runtime/closure/serializeClosure.js", "runtime/closure/codePaths.js", "typescript/lib/typescript.js"];

/**
 * Which of the serializer's modules and the TypeScript compiler a fresh Node process has loaded after
 * `script`, with offline/register.cjs (and so the hook) or without it.
 */
function loadedAfter(script: string, hooked: boolean): Promise<string[]> {
  const probe = `${script};
process.stdout.write(JSON.stringify(${JSON.stringify(WATCHED)}.filter((n) => Object.keys(require.cache).some((k) => k.endsWith(n)))));`;
  return run(probe, hooked).then((stdout) => JSON.parse(stdout) as string[]);
}

/** Runs `script` in a fresh Node process (with offline/register.cjs when `hooked`); its stdout. */
function run(script: string, hooked: boolean): Promise<string> {
  const args = [...(hooked ? ["-r", REGISTER] : []), "-e", script];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { cwd: ROOT, encoding: "utf8" }, (error: Error | null, stdout) =>
      error !== null ? reject(error) : resolve(stdout),
    ),
  );
}

describe("the SDK's function serializer loads on first use (offline/lazy-closure.cjs)", () => {
  // Independent processes (the serializer is not loaded into this one): started together.
  let hooked: Promise<string[]>;
  let plain: Promise<string[]>;
  let direct: Promise<string[]>;
  let serialized: Promise<string>;
  before(() => {
    hooked = loadedAfter(`require("@pulumi/pulumi")`, true);
    plain = loadedAfter(`require("@pulumi/pulumi")`, false);
    direct = loadedAfter(`require("@pulumi/pulumi/runtime/closure/codePaths")`, true);
    serialized = run(
      `require("@pulumi/pulumi").runtime.serializeFunction(() => 41 + 1).then((f) => process.stdout.write(JSON.stringify(f)))`,
      true,
    );
    for (const started of [hooked, plain, direct, serialized]) started.catch(() => undefined);
  });

  it("require('@pulumi/pulumi') loads neither runtime/closure module nor the TypeScript compiler", async () => {
    assert.deepEqual(await hooked, []);
  });

  it("without the hook, the same import loads them (what the hook saves)", async () => {
    assert.ok((await plain).includes("runtime/closure/codePaths.js"));
  });

  it("pulumi.runtime.serializeFunction serializes a function, loading the real module then", async () => {
    const { text, exportName } = JSON.parse(await serialized) as { text: string; exportName: string };
    assert.match(text, /41 \+ 1/);
    assert.equal(exportName, "handler");
  });

  it("a require of the serializer's modules from anywhere but the SDK's runtime/index.js gets the real module", async () => {
    assert.deepEqual(await direct, ["runtime/closure/codePaths.js"]);
  });
});
