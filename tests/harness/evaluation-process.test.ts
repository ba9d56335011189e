/**
 * An evaluation process (offline/evaluate-child.ts) after a failed program: it serves on when the failure
 * created nothing and left nothing running, and exits otherwise, as the parent's pool expects.
 */
import * as assert from "node:assert/strict";
import { fork, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheKeyOf, evaluateStack } from "../../offline/evaluate";
import { readCachedOutputs } from "../../offline/evaluation-cache";
import type { EvaluationReply, EvaluationRequest } from "../../offline/types";
import { selectsByTitle } from "./prefetch";

const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAM = path.join(__dirname, "fixtures", "failing-program.ts");

const SHARED = "organization/helium/shared";

function request(fail: string): EvaluationRequest {
  return {
    program: PROGRAM,
    stack: "staging",
    mode: "update",
    config: { "helium:fail": fail },
    secretKeys: [],
    referenceNames: [SHARED],
  };
}

describe("an evaluation process after a failed program (offline/evaluate-child.ts)", () => {
  let child: ChildProcess | undefined;
  let exited: Promise<number | null>;
  let next = 0;

  /** The evaluation process; a new one when the last has exited (started only when a test needs one). */
  const live = (): ChildProcess => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) return child;
    const started = fork(path.join(ROOT, "offline", "evaluate-child.ts"), [], {
      execArgv: ["-r", path.join(ROOT, "offline", "register.cjs")],
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    exited = new Promise((resolve) => started.once("exit", resolve));
    return (child = started);
  };

  const evaluate = (fail: string) =>
    new Promise<EvaluationReply["response"]>((resolve) => {
      const child = live();
      const id = next++;
      const onMessage = (reply: EvaluationReply) => {
        if (reply.id !== id) return;
        child.off("message", onMessage);
        resolve(reply.response);
      };
      child.on("message", onMessage);
      child.send({
        id,
        request: request(fail),
        references: { [SHARED]: { outputs: { domain: "example.com" }, secretOutputs: [] } },
      });
    });

  after(() => {
    if (child?.exitCode === null) child.kill();
  });

  it("a failure before the first registration is reported clean, and the same process evaluates the next", async () => {
    const served = live();
    const failed = await evaluate("before");
    assert.equal(failed.ok, false);
    assert.equal(!failed.ok && failed.clean, true);
    assert.match(!failed.ok ? failed.error.message : "", /rejected before registering anything/);
    const ok = await evaluate("no");
    assert.ok(ok.ok);
    assert.equal(ok.evaluation.outputs["pid"], served.pid);
    assert.equal(served.exitCode, null);
  });

  it("a failure after reading a StackReference (a read, not a created resource) is clean too", async () => {
    const served = live();
    const failed = await evaluate("after-reference");
    assert.match(!failed.ok ? failed.error.message : "", /rejected after reading a StackReference/);
    assert.equal(!failed.ok && failed.clean, true);
    const ok = await evaluate("no");
    assert.equal(ok.ok && ok.evaluation.outputs["pid"], served.pid);
  });

  it("keeps no earlier evaluation's program module: each would hold every resource of its stack", async () => {
    const served = live();
    for (let run = 0; run < 3; run++) {
      const ok = await evaluate("no");
      assert.ok(ok.ok);
      assert.equal(ok.evaluation.outputs["pid"], served.pid);
      assert.equal(ok.evaluation.outputs["programModules"], 0, `evaluation ${run + 1}: modules`);
      assert.equal(ok.evaluation.outputs["programResults"], 0, `evaluation ${run + 1}: results`);
    }
  });

  it("a late rejection of a failed program, between evaluations, ends the process", async () => {
    const failed = await evaluate("late");
    assert.equal(!failed.ok && failed.clean, true);
    assert.equal(await exited, 1);
  });

  it("a late rejection of a failed program that fails the next evaluation is sent back for a retry", async () => {
    const failed = await evaluate("late");
    assert.equal(!failed.ok && failed.clean, true);
    const next = await evaluate("slow");
    assert.equal(next.ok, false);
    assert.equal(!next.ok && next.retry, true);
    assert.match(!next.ok ? next.error.message : "", /late rejection of a failed program/);
    assert.equal(await exited, 1);
  });

  it("a failure after a registration is not clean, and the process exits after reporting it", async () => {
    const failed = await evaluate("after");
    assert.equal(failed.ok, false);
    assert.equal(!failed.ok && failed.clean, false);
    assert.equal(await exited, 1);
  });

  it("a program that waits on what nothing settles fails, naming the step it was in, and the process exits", async () => {
    const failed = await evaluate("never");
    assert.equal(failed.ok, false);
    assert.equal(!failed.ok && failed.clean, false);
    assert.match(
      !failed.ok ? failed.error.message : "",
      /^The program of stack "staging" \(update\) never finished: nothing was left to run while it was still running its main function\.$/m,
    );
    assert.equal(await exited, 1);
  });

  it("so does a registration whose input never resolves, named as such and with the runtime's leak message", async () => {
    const failed = await evaluate("stuck");
    const message = !failed.ok ? failed.error.message : "";
    assert.match(message, /never finished: nothing was left to run while it was still registering resources\./);
    assert.match(message, /The Pulumi runtime detected that \d+ promises? (was|were) still active/);
    assert.equal(await exited, 1);
  });

  it("in the plan's own process (nothing else keeps it running), the evaluation fails instead of the process exiting 0 silently", () => {
    const script = [
      `const { configureEvaluation, evaluateStack } = require("./offline/evaluate");`,
      `configureEvaluation({ where: "this-process", cacheReferencedOutputs: false });`,
      `evaluateStack("staging", { program: ${JSON.stringify(PROGRAM)}, configOverrides: { "helium:fail": "never" } })`,
      `  .then(() => process.exit(4), (error) => { process.stdout.write(error.message); process.exit(3); });`,
    ].join("\n");
    const run = spawnSync(process.execPath, ["-r", "./offline/register.cjs", "-e", script], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.equal(run.status, 3, `exit code ${run.status}; stdout: ${run.stdout}; stderr: ${run.stderr}`);
    assert.match(run.stdout, /never finished: nothing was left to run while it was still running its main function/);
  });

  it("through the pool (offline/evaluate.ts), the evaluation after such a failure gets its own result", async () => {
    const options = (fail: string) => ({ program: PROGRAM, configOverrides: { "helium:fail": fail } });
    await assert.rejects(evaluateStack("staging", options("late")), /leaving a timer behind/);
    const next = await evaluateStack("staging", options("slow"));
    assert.equal(typeof next.outputs["pid"], "number");
  });
});

describe("the suite stores referenced stacks' outputs for the plan processes (tests/harness/prefetch.ts)", function () {
  this.timeout(120_000);
  it("after staging is evaluated, the plan's disk cache holds shared's outputs, written by this run", async () => {
    const [shared] = await Promise.all([evaluateStack("shared"), evaluateStack("staging")]);
    const key = cacheKeyOf("shared", {});
    assert.deepEqual(readCachedOutputs(key), { outputs: shared.outputs, secretOutputs: shared.secretOutputs });
    // Not an entry an earlier `npm run plan` left: written since this process started.
    const file = path.join(ROOT, "node_modules", ".cache", "helium-outputs", `${key}.json`);
    assert.ok(fs.statSync(file).mtimeMs >= performance.timeOrigin, `${file} was written before this run`);
  });
});

describe("the prefetch hook stands aside when tests are selected by title (tests/harness/prefetch.ts)", () => {
  it("reads --grep, --fgrep and their short forms, with or without =", () => {
    for (const argv of [["--grep", "x"], ["-g", "x"], ["--fgrep=x"], ["-f", "x"], ["--grep=x"]])
      assert.equal(selectsByTitle(["node", "mocha", ...argv]), true, argv.join(" "));
    assert.equal(selectsByTitle(["node", "mocha", "--forbid-only", "--growl", "tests/a.test.ts"]), false);
  });
});
