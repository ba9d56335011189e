/**
 * `npm test`: the type check and the linter in one run (`oxlint --type-aware --type-check`, configured by
 * .oxlintrc.json), the formatter check (`oxfmt --check`, configured by .oxfmtrc.json) and the mocha suite
 * in two processes (scripts/test-groups.ts: the whole-stack files and the in-process files), all side by
 * side instead of one after another: on a 2-core machine nothing waits for a finished step, and while the
 * whole-stack tests wait for their evaluations the in-process tests run. Every step always runs, so one run
 * reports every failure.
 *
 * The whole-stack mocha streams as it runs; the other steps are printed whole when they finish, under a
 * header with their time. The last line adds up both mocha processes' counts. Exits 1 when any step failed.
 */
import { spawn } from "child_process";
import * as path from "path";
import { warmTranspileCache } from "../offline/register.cjs";
import { splitTestFiles, testFiles, typeScriptFiles } from "./test-groups";

const ROOT = path.resolve(__dirname, "..");
const MOCHA = require.resolve("mocha/bin/mocha.js", { paths: [ROOT] });

interface Step {
  readonly name: string;
  readonly args: readonly string[];
  /** Print as it runs rather than whole at the end. */
  readonly stream: boolean;
}

interface Outcome {
  readonly ok: boolean;
  readonly text: string;
}

const groups = splitTestFiles(ROOT, testFiles(ROOT));

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
  {
    name: `mocha, whole-stack files (${groups.wholeStack.length})`,
    args: [MOCHA, ...groups.wholeStack],
    stream: true,
  },
  {
    name: `mocha, in-process files (${groups.inProcess.length})`,
    args: [MOCHA, ...groups.inProcess],
    stream: false,
  },
];

function run(step: Step): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, step.args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const output: Buffer[] = [];
    const collect = (chunk: Buffer) => {
      output.push(chunk);
      if (step.stream) process.stdout.write(chunk);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("close", (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const verdict = code === 0 ? "ok" : `FAILED (exit code ${code})`;
      const text = Buffer.concat(output).toString().trimEnd();
      const shown = step.stream || text === "" ? "" : `\n${text}`;
      process.stdout.write(`\n── ${step.name}: ${verdict} in ${seconds} s${shown}\n`);
      resolve({ ok: code === 0, text });
    });
  });
}

/** Mocha's summary counts (`N passing`, `N failing`, `N pending`) in `text`, 0 when absent. */
export function summaryCounts(text: string): Record<"passing" | "failing" | "pending", number> {
  const count = (word: string) => Number(new RegExp(`^\\s*(\\d+) ${word}\\b`, "m").exec(text)?.[1] ?? 0);
  return { passing: count("passing"), failing: count("failing"), pending: count("pending") };
}

async function main(): Promise<void> {
  const [check, format, ...mochas] = STEPS;
  const checks = [run(check), run(format)];
  // Before the mocha processes start: on a fresh clone each of them (and each evaluation and plan process)
  // would transpile the same files at the same time (offline/register.cjs).
  await warmTranspileCache(typeScriptFiles(ROOT).map((f) => path.join(ROOT, f)));
  const outcomes = await Promise.all([...checks, ...mochas.map(run)]);
  const counts = outcomes.slice(2).map((o) => summaryCounts(o.text));
  const total = (key: "passing" | "failing" | "pending") => counts.reduce((n, c) => n + c[key], 0);
  process.stdout.write(
    `\n── mocha in all: ${total("passing")} passing, ${total("failing")} failing, ${total("pending")} pending\n`,
  );
  process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
}

if (require.main === module) {
  void main();
}
