/**
 * `npm run plan` as CI runs it: a child process from the repository root. Ten runs, each shared by the tests
 * that read it: five bad command lines, which exit before the program loads, and five plans (local and
 * shared are the fastest stacks to evaluate; production is the one the plan's speed is measured on; two
 * diffs of staging, one of which plans its git base in a process of its own).
 *
 * The CLI evaluates its stack in its own process and reads referenced stacks' outputs from a cache
 * (offline/evaluation-cache.ts); the tests' evaluations run in evaluation processes. The plan must be the
 * same document either way, so the fast path can never list other resources or other violations.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { evaluateStack } from "../../offline/evaluate";
import type { EvaluationMode } from "../../offline/types";
import { runPolicyPack } from "../../policy-pack/engine";
import { planDocument } from "../../scripts/plan-report";
import { PACK_CONFIG } from "../fixtures/pack-config";
import { committedStacks } from "../fixtures/stack-config";
import { localPlanJson, once, plan, type Run } from "../harness/cli";
import { USAGE } from "../../scripts/plan-args";

describe("plan CLI (child process)", function () {
  this.timeout(120_000);
  // Through npm, as the README documents it; shared with tests/workflows/npm.test.ts.
  const localJson = localPlanJson;
  const unknownStack = once(() => plan(["no-such-stack"]));
  const noStack = once(() => plan([]));
  const typo = once(() => plan(["local", "--jsno"]));
  const diffWithoutValue = once(() => plan(["local", "--diff"]));
  const diffNoBase = once(() => plan(["local", "--diff", "nosuch"]));
  // Rotating an app secret (docs/runbook.md): against a saved plan, and against a git ref evaluated in this run.
  const ROTATED = ["--config", `helium:appSecrets=${JSON.stringify({ PAYMENT_API_KEY: "rotated-value-abc" })}`];
  // The saved plan is staging's plan document, built from this run's evaluation rather than a plan process:
  // the three runs below show the CLI prints the evaluated document for local, shared and production, and the
  // git-ref diff's base process reads `plan staging --json` output itself (offline/diff-base.ts).
  const stagingSaved = once(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helium-plan-cli-"));
    const file = path.join(dir, "base.json");
    fs.writeFileSync(file, `${JSON.stringify(await planOf("staging", "update"), null, 2)}\n`);
    try {
      return await plan(["staging", "--diff", file, ...ROTATED]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  // HEAD's program fingerprints secret inputs (offline/secret-fingerprint.ts) as this checkout's does.
  const stagingAgainstHead = once(() => plan(["staging", "--diff", "HEAD", ...ROTATED]));
  const sharedPreview = once(() => plan(["shared", "--preview", "--json"]));
  const productionJson = once(() => plan(["production", "--json"]));

  // The runs are independent: start them together so the file costs one evaluation's time, not three.
  before(() => {
    void localJson();
    void unknownStack();
    void noStack();
    void typo();
    void diffWithoutValue();
    void diffNoBase();
    void stagingSaved();
    void stagingAgainstHead();
    void sharedPreview();
    void productionJson();
  });

  /** The plan document built from this process's evaluation (evaluation processes), with the CLI's pack config. */
  async function planOf(stack: string, mode: EvaluationMode): Promise<unknown> {
    const evaluation = await evaluateStack(stack, { mode });
    // Through JSON, as the CLI prints it: undefined-valued keys drop out alike.
    return JSON.parse(
      JSON.stringify(planDocument(evaluation, runPolicyPack(evaluation.resources, { config: PACK_CONFIG }))),
    );
  }

  const sameAsEvaluated: ReadonlyArray<readonly [string, () => Promise<Run>, string, EvaluationMode]> = [
    ["npm run --silent plan -- local --json", localJson, "local", "update"],
    ["shared --preview --json", sharedPreview, "shared", "preview"],
    ["production --json", productionJson, "production", "update"],
  ];
  for (const [title, run, stack, mode] of sameAsEvaluated) {
    it(`${title} is the plan of the stack evaluated in evaluation processes: same resources, outputs, violations`, async () => {
      const [cli, evaluated] = await Promise.all([run(), planOf(stack, mode)]);
      assert.equal(cli.code, 0, cli.stderr);
      assert.deepEqual(JSON.parse(cli.stdout), evaluated);
    });
  }

  it("npm run --silent plan -- local --json prints one JSON document with the documented keys and exits 0", async () => {
    const run = await localJson();
    assert.equal(run.code, 0, run.stderr);
    const document = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(document).sort(), [
      "exempted",
      "outputs",
      "resources",
      "skipped",
      "stack",
      "violations",
    ]);
    assert.equal(document.stack, "local");
    const resources = document.resources as Array<Record<string, unknown>>;
    assert.ok(resources.length > 0, "the local stack plans resources");
    for (const r of resources) {
      assert.deepEqual(Object.keys(r).sort(), ["dependencies", "inputs", "name", "parent", "region", "type"]);
      assert.equal(typeof r.type, "string");
      assert.ok(r.parent === null || typeof r.parent === "string");
      assert.ok(r.region === null || typeof r.region === "string");
    }
    assert.ok(
      !resources.some((r) => String(r.type).startsWith("pulumi:providers:")),
      "providers are not planned resources",
    );
    assert.equal(typeof document.outputs, "object");
    for (const v of document.violations as Array<Record<string, unknown>>) {
      assert.deepEqual(Object.keys(v).sort(), ["enforcementLevel", "message", "policy", "resource"]);
      assert.notEqual(v.enforcementLevel, "mandatory", "exit 0 means no mandatory violation");
    }
  });

  it("shared --preview --json plans a first preview: unknowns shown as [unknown], lost policy checks listed", async () => {
    const run = await sharedPreview();
    assert.equal(run.code, 0, run.stderr);
    const document = JSON.parse(run.stdout) as { skipped: Array<Record<string, unknown>> };
    assert.ok(run.stdout.includes('"[unknown]"'), "inputs computed from unknown outputs are shown");
    assert.ok(!run.stdout.includes("04da6b54-80e4-46f7-96ec-b56ff0331ba9"), "the runtime's sentinel is not printed");
    assert.ok(document.skipped.length > 0, "IAM documents holding unknown ARNs cannot be checked at preview");
    for (const k of document.skipped) {
      assert.deepEqual(Object.keys(k).sort(), ["enforcementLevel", "policy", "reason", "resource"]);
      assert.match(String(k.reason), /can't be known during preview/);
    }
  });

  it("an unknown stack exits 2 and names the stack", async () => {
    const run = await unknownStack();
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /no-such-stack/);
  });

  // Stacks are data (a Pulumi.<stack>.yaml each), so the message lists the stacks that have a config file.
  it("an unknown stack's message lists the known stacks", async () => {
    const run = await unknownStack();
    assert.equal(run.code, 2);
    for (const stack of committedStacks()) assert.ok(run.stderr.includes(stack), `names ${stack}: ${run.stderr}`);
  });

  it("no stack argument exits 2 with the usage", async () => {
    const run = await noStack();
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^usage: npm run plan -- <stack> \[--json\]/);
  });

  // Fault: the usage said "<stack> has a Pulumi.<stack>.yaml" instead of naming the stacks (input: no argument).
  it("no stack argument names the stacks that have a Pulumi.<stack>.yaml", async () => {
    const run = await noStack();
    assert.equal(run.code, 2);
    for (const stack of committedStacks()) assert.ok(run.stderr.includes(stack), `names ${stack}: ${run.stderr}`);
  });

  // Fault: `--jsno` ran a plain plan and exited 0; `--diff` without a value ran a plain plan (scripts/plan-args.ts).
  it("an unknown option or an option without its value exits 2 with the usage and the argument, and plans nothing", async () => {
    for (const [run, line] of [
      [await typo(), "unknown option --jsno (did you mean --json?)"],
      [await diffWithoutValue(), "--diff needs a value"],
    ] as const) {
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, "");
      assert.equal(run.stderr, `${USAGE}\n${line}\n`);
    }
  });

  // Fault: "Command failed: git -C … archive … | tar -x …", "fatal: not a valid object name", "tar: This does not look…".
  it("a --diff that is neither a plan file nor a git ref exits 2 with one line, before evaluating anything", async () => {
    const run = await diffNoBase();
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.equal(
      run.stderr,
      "--diff nosuch: neither a plan file (no such file) nor a git ref (tried nosuch, origin/nosuch)\n",
    );
  });

  const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion staging-mumbai-backend-secret-value";

  // Fault: the diff listed the readers' task definitions but not the secret version: "[secret]" on both sides.
  it("against a git ref, a rotated secret shows as a changed secret version, and its value is not printed", async () => {
    const run = await stagingAgainstHead();
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^Offline diff against HEAD \([0-9a-f]{7}\): 0 to add, 3 to update, 2 to replace, 0 to delete\n/,
    );
    assert.ok(run.stdout.includes(`  ~ ${SECRET_VERSION}\n      secretString ([secret] changed)\n`), run.stdout);
    assert.ok(!run.stdout.includes("not compared"), run.stdout);
    for (const leak of ["rotated-value-abc", "hmac"]) assert.ok(!run.stdout.includes(leak), `prints ${leak}`);
  });

  it("against a saved plan, the diff says plainly that secret inputs were not compared", async () => {
    const run = await stagingSaved();
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /\n {2}! 2 secret input\(s\) of 2 resource\(s\) not compared: a saved plan holds no secret values, only \[secret\] \(diff against a git ref to compare them\)\. A change to a secret value does not show here\.\n/,
    );
    assert.ok(run.stdout.includes(`      ${SECRET_VERSION} secretString\n`), run.stdout);
    assert.ok(!run.stdout.includes("[secret] changed"), run.stdout);
    assert.ok(!run.stdout.includes("rotated-value-abc"));
  });
});
