/**
 * npm's own messages stay visible: no project config silences them, a mistyped script says so, and the
 * documented JSON command (`npm run --silent plan -- <stack> --json`) still prints one JSON document.
 * Runs the real npm, as CI and operators do.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, documentedNpmJsonViolations, npmrcViolations } from "./repository-checks";

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs npm in the repository. Under `npm test` npm's own path is in npm_execpath; outside it, `npm` from
 * PATH. The parent's npm_config_loglevel is dropped so the result reflects the repository's config, not
 * how the test run itself was started (`npm --silent test` would pass loglevel=silent down).
 */
function npm(args: readonly string[]): Promise<Run> {
  const env = { ...process.env };
  delete env["npm_config_loglevel"];
  const execPath = process.env["npm_execpath"];
  const [file, argv] =
    execPath !== undefined && execPath.endsWith(".js") ? [process.execPath, [execPath, ...args]] : ["npm", [...args]];
  return new Promise((resolve) => {
    execFile(file, argv, { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

const DOCS = ["README.md", "docs/delivery.md"];

describe("npm output", function () {
  this.timeout(120_000);

  it("the repository has no .npmrc that silences npm", () => {
    const file = path.join(REPO_ROOT, ".npmrc");
    assert.deepEqual(fs.existsSync(file) ? npmrcViolations(fs.readFileSync(file, "utf8")) : [], []);
  });

  it("npmrcViolations rejects loglevel=silent and silent=true, and accepts other settings and comments", () => {
    assert.equal(npmrcViolations("# keep npm quiet\nloglevel=silent\n").length, 1);
    assert.match(npmrcViolations("fund=false\nsilent = true")[0], /^\.npmrc:2: silent = true hides npm's errors/);
    assert.deepEqual(npmrcViolations("# loglevel=silent was removed\nloglevel=warn\nfund=false\n"), []);
  });

  it("a mistyped script fails with npm's error message", async () => {
    const run = await npm(["run", "no-such-script-for-this-test"]);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /Missing script: "no-such-script-for-this-test"/);
  });

  it("npm run --silent plan -- local --json prints exactly one JSON document", async () => {
    const run = await npm(["run", "--silent", "plan", "--", "local", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const document = JSON.parse(run.stdout) as { stack?: unknown };
    assert.equal(document.stack, "local");
  });

  for (const doc of DOCS) {
    it(`${doc}: every documented npm run … --json passes --silent`, () => {
      assert.deepEqual(documentedNpmJsonViolations(fs.readFileSync(path.join(REPO_ROOT, doc), "utf8"), doc), []);
    });
  }

  it("documentedNpmJsonViolations rejects a JSON command without --silent, in a span or a code block", () => {
    const bad =
      "Run `npm run plan -- <stack> --json`.\n```sh\nnpm ci && npm run plan -- production --json | jq .\n```\n";
    assert.deepEqual(documentedNpmJsonViolations(bad, "bad.md"), [
      "bad.md:1: `npm run plan -- <stack> --json` prints npm's run banner before the JSON; use npm run --silent",
      "bad.md:3: `npm run plan -- production --json | jq .` prints npm's run banner before the JSON; use npm run --silent",
    ]);
    const good =
      "`npm run --silent plan -- <stack> --json`, `npm run -s plan -- local --json`, `npm run plan -- local`";
    assert.deepEqual(documentedNpmJsonViolations(good, "good.md"), []);
  });
});
