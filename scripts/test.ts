/**
 * `npm test`: the type check and the linter in one run (`oxlint --type-aware --type-check`, configured by
 * .oxlintrc.json), the formatter check (`oxfmt --check`, configured by .oxfmtrc.json) and the mocha suite, side by side instead of
 * one after another: on a 2-core machine the check and the formatter take one core while mocha and its
 * evaluation processes use the other, and nothing waits for a finished step. Every step always runs, so one
 * run reports every failure.
 *
 * Mocha's output streams as it runs (its summary, "N passing", comes last); the check's and the formatter's
 * are printed whole when they finish, under a header with their time. Exits 1 when any step failed.
 */
import { spawn } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

interface Step {
  readonly name: string;
  readonly args: readonly string[];
  /** Print as it runs (mocha) rather than whole at the end. */
  readonly stream: boolean;
}

const STEPS: readonly Step[] = [
  {
    name: "type check and lint (oxlint --type-aware --type-check)",
    args: [path.join(ROOT, "node_modules", "oxlint", "bin", "oxlint"), "--type-aware", "--type-check"],
    stream: false,
  },
  {
    name: "format check (oxfmt --check)",
    args: [path.join(ROOT, "node_modules", "oxfmt", "bin", "oxfmt"), "--check"],
    stream: false,
  },
  { name: "mocha", args: [require.resolve("mocha/bin/mocha.js", { paths: [ROOT] })], stream: true },
];

function run(step: Step): Promise<boolean> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, step.args, {
      cwd: ROOT,
      stdio: ["ignore", step.stream ? "inherit" : "pipe", step.stream ? "inherit" : "pipe"],
    });
    const output: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
    child.on("close", (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const verdict = code === 0 ? "ok" : `FAILED (exit code ${code})`;
      const text = Buffer.concat(output).toString().trimEnd();
      process.stdout.write(`\n── ${step.name}: ${verdict} in ${seconds} s${text !== "" ? `\n${text}` : ""}\n`);
      resolve(code === 0);
    });
  });
}

void Promise.all(STEPS.map(run)).then((results) => process.exit(results.every(Boolean) ? 0 : 1));
