/**
 * npm's own messages stay visible: no project config silences them, a mistyped script says so, and the
 * documented JSON command (`npm run --silent plan -- <stack> --json`) still prints one JSON document.
 * Runs the real npm, as CI and operators do.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { localPlanJson, npm } from "../harness/cli";
import { REPO_ROOT, documentedNpmJsonViolations, npmrcViolations } from "./repository-checks";

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
    const run = await localPlanJson();
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
