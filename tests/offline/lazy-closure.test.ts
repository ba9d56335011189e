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

/** Which of the serializer's modules and the TypeScript compiler this process has loaded, as a JS expression. */
const LOADED = `${JSON.stringify(WATCHED)}.filter((n) => Object.keys(require.cache).some((k) => k.endsWith(n)))`;

/** Runs `script` in a fresh Node process (with offline/register.cjs when `hooked`); its stdout, parsed. */
function run<T>(script: string, hooked: boolean): Promise<T> {
  const args = [...(hooked ? ["-r", REGISTER] : []), "-e", script];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { cwd: ROOT, encoding: "utf8" }, (error: Error | null, stdout) =>
      error !== null ? reject(error) : resolve(JSON.parse(stdout) as T),
    ),
  );
}

interface Hooked {
  /** Loaded after `require("@pulumi/pulumi")`. */
  readonly afterImport: string[];
  /** Loaded after then requiring runtime/closure/codePaths directly. */
  readonly afterDirect: string[];
  /** `pulumi.runtime.serializeFunction(() => 41 + 1)`, called last. */
  readonly serialized: { readonly text: string; readonly exportName: string };
}

describe("the SDK's function serializer loads on first use (offline/lazy-closure.cjs)", () => {
  // Two processes (the serializer is not loaded into this one), started together: one with the hook, where
  // each step reads what the one before left loaded, and one without it.
  let hooked: Promise<Hooked>;
  let plain: Promise<string[]>;
  before(() => {
    hooked = run<Hooked>(
      `const pulumi = require("@pulumi/pulumi");
const afterImport = ${LOADED};
require("@pulumi/pulumi/runtime/closure/codePaths");
const afterDirect = ${LOADED};
pulumi.runtime.serializeFunction(() => 41 + 1).then((serialized) =>
  process.stdout.write(JSON.stringify({ afterImport, afterDirect, serialized })));`,
      true,
    );
    plain = run<string[]>(`require("@pulumi/pulumi"); process.stdout.write(JSON.stringify(${LOADED}));`, false);
    for (const started of [hooked, plain]) started.catch(() => undefined);
  });

  it("require('@pulumi/pulumi') loads neither runtime/closure module nor the TypeScript compiler", async () => {
    assert.deepEqual((await hooked).afterImport, []);
  });

  it("without the hook, the same import loads them (what the hook saves)", async () => {
    assert.ok((await plain).includes("runtime/closure/codePaths.js"));
  });

  it("pulumi.runtime.serializeFunction serializes a function, loading the real module then", async () => {
    const { text, exportName } = (await hooked).serialized;
    assert.match(text, /41 \+ 1/);
    assert.equal(exportName, "handler");
  });

  it("a require of the serializer's modules from anywhere but the SDK's runtime/index.js gets the real module", async () => {
    assert.deepEqual((await hooked).afterDirect, ["runtime/closure/codePaths.js"]);
  });
});
