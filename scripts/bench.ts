/**
 * `npm run bench [-- --runs <n>]`: the offline plan's time next to its floor, measured in the same run,
 * phase by phase, and the plan of production in 6 regions against 3. Prints figures; asserts nothing.
 *
 * - Plan: `npm run plan -- production` as package.json runs it (without npm's own start), `--timings`.
 *   "warm": the referenced stacks' outputs come from the cache (nothing that decides them changed since the
 *   first run); "cold": `--fresh-references`, shared and staging are evaluated first.
 * - Floor: scripts/bench-floor.ts, a process that imports @pulumi/aws and replays the plan's recorded
 *   registrations into a bare mock runtime. "stock": the SDK as shipped; "same settings": with the runtime's
 *   per-promise stack traces emptied as the plan's evaluation does (offline/runtime-adapter.ts
 *   `quietPromiseTracking`), so the ratio shows our own overhead alone.
 * - 6 regions: production with three more catalog regions (`helium:regions`), and shared replicating images
 *   to them (`shared/helium:replicationRegions`), warm, against the same plan in its 3 regions. Shared then
 *   registers production alone: with staging registered too, shared rejects 6 replication regions (staging's
 *   deploy-role data policy grows past IAM's 6,144 characters), so both sides promote no staging tag
 *   (`helium:imageTag` instead of `helium:promoteFrom`).
 *
 * Runs alternate (plan, floor, floor, …) so that load from other processes falls on both alike. Figures are
 * medians; CPU is user + system time of the measured process (the plan runs in one process), which load
 * from other processes disturbs far less than elapsed time. The machine's load average is printed.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../offline/pulumi-yaml";
import type { PhaseTime } from "../offline/types";
import { PHASES, type PlanTimings } from "./plan-timings";

const REGISTER = path.join(PROJECT_ROOT, "offline", "register.cjs");
const EXTRA_REGIONS = ["us-west-2", "eu-west-1", "eu-central-1"];

function run(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["-r", REGISTER, path.join(PROJECT_ROOT, "scripts", script), ...args],
      { cwd: PROJECT_ROOT, env, maxBuffer: 256 * 1024 * 1024 },
      (error, _stdout, stderr) => (error ? reject(new Error(`${script} ${args.join(" ")}: ${stderr}`)) : resolve()),
    );
  });
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "helium-bench-"));
let counter = 0;

async function timed(script: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<PlanTimings> {
  const file = path.join(scratch, `${counter++}.json`);
  await run(script, [...args, file], env);
  return JSON.parse(fs.readFileSync(file, "utf8")) as PlanTimings;
}

const plan = (args: readonly string[]) => timed("plan.ts", ["production", ...args, "--timings"]);
const floor = (recorded: string, sameSettings: boolean) =>
  timed("bench-floor.ts", [recorded, ...(sameSettings ? ["--quiet-promise-tracking"] : [])]);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function medianTime(times: readonly PhaseTime[]): PhaseTime {
  return { wallMs: median(times.map((t) => t.wallMs)), cpuMs: median(times.map((t) => t.cpuMs)) };
}

interface Summary {
  readonly phases: Record<string, PhaseTime>;
  readonly total: PhaseTime;
}

function summarize(runs: readonly PlanTimings[]): Summary {
  return {
    phases: Object.fromEntries(PHASES.map((p) => [p, medianTime(runs.map((r) => r.phases[p]))])),
    total: medianTime(runs.map((r) => r.total)),
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(2).padStart(7);
const ratio = (a: number, b: number) => (b > 0.5 ? `${(a / b).toFixed(2)}×` : "-").padStart(7);

function table(title: string, planned: Summary, floors: ReadonlyArray<readonly [string, Summary]>): string {
  const header = `${"phase".padEnd(24)} ${"plan s".padStart(7)} ${"cpu s".padStart(7)}${floors
    .map(
      ([name]) =>
        ` | floor ${name}: ${"s".padStart(5)} ${"cpu s".padStart(7)} ${"×".padStart(7)} ${"cpu ×".padStart(7)}`,
    )
    .join("")}`;
  const row = (name: string, p: PhaseTime, fs: readonly PhaseTime[]) =>
    `${name.padEnd(24)} ${seconds(p.wallMs)} ${seconds(p.cpuMs)}${fs
      .map(
        (f, i) =>
          ` | ${" ".repeat(`floor ${floors[i][0]}:`.length)} ${seconds(f.wallMs).slice(2)} ${seconds(f.cpuMs)} ${ratio(p.wallMs, f.wallMs)} ${ratio(p.cpuMs, f.cpuMs)}`,
      )
      .join("")}`;
  return [
    title,
    header,
    ...PHASES.map((p) =>
      row(
        p,
        planned.phases[p],
        floors.map(([, f]) => f.phases[p]),
      ),
    ),
    row(
      "total (whole process)",
      planned.total,
      floors.map(([, f]) => f.total),
    ),
  ].join("\n");
}

async function main(): Promise<void> {
  const runsIndex = process.argv.indexOf("--runs");
  const runs = runsIndex >= 0 ? Number(process.argv[runsIndex + 1]) : 5;
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
  process.stdout.write(`${os.cpus().length} CPUs, load average ${load()}; ${runs} runs of each, medians\n\n`);

  // First run: fills the transpile and referenced-outputs caches, and records the registrations to replay.
  const recordedFile = path.join(scratch, "recorded.json");
  await run("plan.ts", ["production", "--timings", recordedFile]);
  const productionOnly = [
    "--config",
    `shared/helium:environments=${JSON.stringify({ production: { branch: "migrated-demo2", addressLane: 0 } })}`,
    "--remove-config",
    "helium:promoteFrom",
    "--config",
    "helium:imageTag=v1",
  ];
  const six = [
    ...productionOnly,
    "--config",
    `helium:regions=${JSON.stringify(["ap-south-1", "ap-southeast-1", "us-east-1", ...EXTRA_REGIONS].map((region) => ({ region })))}`,
    "--config",
    `shared/helium:replicationRegions=${JSON.stringify(["ap-southeast-1", "us-east-1", ...EXTRA_REGIONS])}`,
  ];
  await run("plan.ts", ["production", ...six]);
  await run("plan.ts", ["production", ...productionOnly]);

  const warm: PlanTimings[] = [];
  const cold: PlanTimings[] = [];
  const sixRegions: PlanTimings[] = [];
  const threeRegions: PlanTimings[] = [];
  const stock: PlanTimings[] = [];
  const same: PlanTimings[] = [];
  for (let i = 0; i < runs; i++) {
    warm.push(await plan([]));
    stock.push(await floor(recordedFile, false));
    same.push(await floor(recordedFile, true));
    cold.push(await plan(["--fresh-references"]));
    sixRegions.push(await plan(six));
    threeRegions.push(await plan(productionOnly));
  }
  const floors = [
    ["stock", summarize(stock)],
    ["same settings", summarize(same)],
  ] as const;
  const resources = warm[0].resources;
  const out = [
    table(
      `Production plan (${resources} resources), referenced stacks' outputs cached (warm)`,
      summarize(warm),
      floors,
    ),
    "",
    table("Production plan, referenced stacks evaluated (cold, --fresh-references)", summarize(cold), floors),
    "",
  ];
  const three = summarize(threeRegions);
  const sixSummary = summarize(sixRegions);
  out.push(
    `6 regions (${sixRegions[0].resources} resources) against 3 (${threeRegions[0].resources}), shared registering production alone, warm:`,
    `  whole plan   ${seconds(sixSummary.total.wallMs)} s / ${seconds(three.total.wallMs)} s = ${ratio(sixSummary.total.wallMs, three.total.wallMs)}; CPU ${seconds(sixSummary.total.cpuMs)} s / ${seconds(three.total.cpuMs)} s = ${ratio(sixSummary.total.cpuMs, three.total.cpuMs)}`,
    `  registration ${seconds(sixSummary.phases.registration.wallMs)} s / ${seconds(three.phases.registration.wallMs)} s = ${ratio(sixSummary.phases.registration.wallMs, three.phases.registration.wallMs)}; CPU ${seconds(sixSummary.phases.registration.cpuMs)} s / ${seconds(three.phases.registration.cpuMs)} s = ${ratio(sixSummary.phases.registration.cpuMs, three.phases.registration.cpuMs)}`,
    "",
    `load average at the end: ${load()}`,
  );
  process.stdout.write(`${out.join("\n")}\n`);
  fs.rmSync(scratch, { recursive: true, force: true });
}

void main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
