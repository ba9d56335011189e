/**
 * What a `--diff` argument names (offline/diff-base.ts): a plan file, a git ref, or `origin/<ref>` on a fresh
 * clone; neither is one readable line. Checked on a small repository made here; nothing is evaluated.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeBase, loadResolvedBase, resolveBase } from "../../offline/diff-base";

describe("offline diff base", () => {
  let repo: string;
  let commit: string;
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", repo, ...args], {
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.com",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.com",
      },
    }).trim();

  before(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "helium-diff-base-test-"));
    git("init", "--quiet", "--initial-branch=work");
    fs.writeFileSync(path.join(repo, "a.txt"), "a\n");
    git("add", "a.txt");
    git("commit", "--quiet", "-m", "one");
    commit = git("rev-parse", "HEAD");
    // A fresh clone: the remote's branch, no local branch of that name.
    git("update-ref", "refs/remotes/origin/main", commit);
  });
  after(() => fs.rmSync(repo, { recursive: true, force: true }));

  it("an existing file is a saved plan, whatever git holds", () => {
    const file = path.join(repo, "base.json");
    fs.writeFileSync(file, JSON.stringify({ stack: "s", resources: [] }));
    assert.deepEqual(resolveBase(file, repo), { kind: "file", file });
  });

  it("a ref that resolves here is used as it is", () => {
    const base = resolveBase("work", repo);
    assert.deepEqual(base, { kind: "ref", ref: "work", commit, fromOrigin: false });
    assert.equal(describeBase(base), `work (${commit.slice(0, 7)})`);
  });

  // Fault: on a fresh clone `--diff main` failed with `git archive … | tar -x …`, "not a valid object name: main".
  it("a ref that does not resolve here falls back to origin/<ref>, and says so", () => {
    const base = resolveBase("main", repo);
    assert.deepEqual(base, { kind: "ref", ref: "origin/main", commit, fromOrigin: true });
    assert.equal(describeBase(base), `origin/main (${commit.slice(0, 7)})`);
  });

  // Fault: a mistyped plan file gave the pipeline's noise (Command failed: git … | tar …; tar: This does not look…).
  it("neither a file nor a ref is one line naming what was tried", () => {
    assert.throws(
      () => resolveBase("nosuch", repo),
      new Error("--diff nosuch: neither a plan file (no such file) nor a git ref (tried nosuch, origin/nosuch)"),
    );
    assert.throws(
      () => resolveBase("nosuch.json", repo),
      new Error(
        "--diff nosuch.json: neither a plan file (no such file) nor a git ref (tried nosuch.json, origin/nosuch.json)",
      ),
    );
    assert.throws(
      () => resolveBase(repo, repo),
      (error: Error) => error.message.startsWith(`--diff ${repo}: neither a plan file (a directory) nor a git ref`),
    );
  });

  it("a saved plan's secrets are never compared: a fingerprint in a file was made under another run's key", () => {
    const file = path.join(repo, "fingerprinted.json");
    const inputs = { secretString: "[secret] hmac-sha256:00", tags: { a: "[secret] hmac-sha256:11" } };
    fs.writeFileSync(file, JSON.stringify({ stack: "s", resources: [{ type: "t", name: "n", inputs }] }));
    const loaded = loadResolvedBase({ kind: "file", file }, "s", repo);
    assert.deepEqual(loaded.plan.resources[0].inputs, { secretString: "[secret]", tags: { a: "[secret]" } });
    assert.match(loaded.secretsNotComparedBecause, /a saved plan holds no secret values/);
  });
});
