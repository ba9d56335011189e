/**
 * `npm test`: the type check and the linter in one run (`oxlint --type-aware --type-check`, configured by
 * .oxlintrc.json), the formatter check (`oxfmt --check`, configured by .oxfmtrc.json) and the mocha suite
 * in two processes (scripts/test-groups.ts: the whole-stack files and the in-process files), all side by
 * side instead of one after another: on a 2-core machine nothing waits for a finished step, and while the
 * whole-stack tests wait for their evaluations the in-process tests run. Every step always runs, so one run
 * reports every failure.
 *
 * The whole-stack mocha streams as it runs; then every step's verdict and time is printed, each with its
 * whole output (the streamed one excepted), and last each mocha process's counts and their sum, or that a
 * process printed none. Exits 1 when any step failed, 2 when this script itself fails.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { warmTranspileCache } from "../offline/register.cjs";
import { splitTestFiles, testFiles, typeScriptFiles } from "./test-groups";

const ROOT = path.resolve(__dirname, "..");
// mocha's bin/mocha.js applies .mocharc.json's node-option by starting a second Node process; bin/_mocha
// (mocha's CLI without that step) is started with those options directly: one process instead of two.
const MOCHA = require.resolve("mocha/bin/_mocha", { paths: [ROOT] });
const MOCHA_NODE_OPTIONS = (
  (JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8")) as { "node-option"?: string[] })[
    "node-option"
  ] ?? []
).map((option) => `--${option}`);
// Mocha writes to a pipe here; on a terminal it keeps its colours.
const COLOR = process.stdout.isTTY ? ["--color"] : [];

interface Step {
  readonly name: string;
  readonly args: readonly string[];
  /** Print as it runs rather than whole at the end. */
  readonly stream: boolean;
}

interface Outcome {
  readonly step: Step;
  readonly code: number | null;
  readonly seconds: number;
  readonly text: string;
}

/** One mocha process over `files`, with .mocharc.json's node options. */
const mochaStep = (group: string, files: readonly string[], stream: boolean): Step => ({
  name: `mocha, ${group} files (${files.length})`,
  args: [...MOCHA_NODE_OPTIONS, MOCHA, ...COLOR, ...files],
  stream,
});

/** What `npm test` runs; the mocha steps last. */
function steps(): Step[] {
  const groups = splitTestFiles(ROOT, testFiles(ROOT));
  return [
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
    mochaStep("whole-stack", groups.wholeStack, true),
    mochaStep("in-process", groups.inProcess, false),
  ];
}

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
      const seconds = (performance.now() - started) / 1000;
      resolve({ step, code, seconds, text: Buffer.concat(output).toString().trimEnd() });
    });
  });
}

/** `── <step>: ok in 12.3 s`, with the step's whole output under it unless it was streamed. */
function block(outcome: Outcome): string {
  const verdict = outcome.code === 0 ? "ok" : `FAILED (exit code ${outcome.code})`;
  const shown = outcome.step.stream || outcome.text === "" ? "" : `\n${outcome.text}`;
  return `\n── ${outcome.step.name}: ${verdict} in ${outcome.seconds.toFixed(1)} s${shown}\n`;
}

type Counts = Record<"passing" | "failing" | "pending", number>;

/** Mocha's summary counts (`N passing`, `N failing`, `N pending`) in `text`; undefined when it printed none. */
export function summaryCounts(text: string): Counts | undefined {
  const count = (word: string) => new RegExp(`^\\s*(\\d+) ${word}\\b`, "m").exec(text)?.[1];
  const passing = count("passing");
  if (passing === undefined) return undefined;
  return { passing: Number(passing), failing: Number(count("failing") ?? 0), pending: Number(count("pending") ?? 0) };
}

/** The closing lines: each mocha process's counts (or that it printed none) and their sum. */
export function mochaSummary(outcomes: readonly Outcome[]): string {
  const lines: string[] = [];
  const total: Counts = { passing: 0, failing: 0, pending: 0 };
  let complete = true;
  for (const outcome of outcomes) {
    const counts = summaryCounts(outcome.text);
    if (counts === undefined) {
      complete = false;
      lines.push(`   ${outcome.step.name}: no summary (exit code ${outcome.code}); see its output above`);
      continue;
    }
    for (const key of ["passing", "failing", "pending"] as const) total[key] += counts[key];
    lines.push(
      `   ${outcome.step.name}: ${counts.passing} passing, ${counts.failing} failing, ${counts.pending} pending`,
    );
  }
  const sum = `${total.passing} passing, ${total.failing} failing, ${total.pending} pending`;
  const head = complete
    ? `── mocha in all: ${sum}`
    : `── mocha in all: INCOMPLETE (${sum} in the processes that finished)`;
  return `\n${head}\n${lines.join("\n")}\n`;
}

async function main(): Promise<number> {
  const all = steps();
  const [check, format, ...mochas] = all;
  const checks = [run(check), run(format)];
  // Before the mocha processes start: on a fresh clone each of them (and each evaluation and plan process)
  // would transpile the same files at the same time (offline/register.cjs).
  await warmTranspileCache(typeScriptFiles(ROOT).map((f) => path.join(ROOT, f)));
  const running = [...checks, ...mochas.map(run)];
  // The other steps' output is printed after the streamed one, in one piece each, never inside it.
  await Promise.all(running.filter((_, i) => all[i].stream));
  const outcomes = await Promise.all(running);
  for (const outcome of outcomes) process.stdout.write(block(outcome));
  process.stdout.write(mochaSummary(outcomes.filter((o) => o.step.args.includes(MOCHA))));
  return outcomes.every((o) => o.code === 0) ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`npm test: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(2);
    },
  );
}
