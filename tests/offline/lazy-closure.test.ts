/**
 * offline/lazy-closure.cjs: importing the SDK no longer loads its function serializer, and the serializer
 * still works, through the SDK's own exports, when something calls it.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

const ROOT = path.resolve(__dirname, "..", "..");
const REGISTER = path.join(ROOT, "offline", "register.cjs");

/** Which of the serializer's modules and the TypeScript compiler a fresh process has loaded after `script`. */
function loadedAfter(script: string): string[] {
  const probe = `${script};
const names = ["runtime/closure/serializeClosure.js", "runtime/closure/codePaths.js", "typescript/lib/typescript.js"];
process.stdout.write(JSON.stringify(names.filter((n) => Object.keys(require.cache).some((k) => k.endsWith(n)))));`;
  return JSON.parse(
    execFileSync(process.execPath, ["-r", REGISTER, "-e", probe], { cwd: ROOT, encoding: "utf8" }),
  ) as string[];
}

describe("the SDK's function serializer loads on first use (offline/lazy-closure.cjs)", () => {
  it("require('@pulumi/pulumi') loads neither runtime/closure module nor the TypeScript compiler", () => {
    assert.deepEqual(loadedAfter(`require("@pulumi/pulumi")`), []);
  });

  it("without the hook, the same import loads them (what the hook saves)", () => {
    const script = `require("@pulumi/pulumi")`;
    const plain = execFileSync(
      process.execPath,
      [
        "-e",
        `${script}; process.stdout.write(String(Object.keys(require.cache).some((k) => k.endsWith("runtime/closure/codePaths.js"))))`,
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    assert.equal(plain, "true");
  });

  it("pulumi.runtime.serializeFunction serializes a function, loading the real module then", async () => {
    const serialized = await pulumi.runtime.serializeFunction(() => 41 + 1);
    assert.match(serialized.text, /41 \+ 1/);
    assert.equal(serialized.exportName, "handler");
  });

  it("a require of the serializer's modules from anywhere but the SDK's runtime/index.js gets the real module", () => {
    assert.deepEqual(loadedAfter(`require("@pulumi/pulumi/runtime/closure/codePaths")`), [
      "runtime/closure/codePaths.js",
    ]);
  });
});
