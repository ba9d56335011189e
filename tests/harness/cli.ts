/**
 * Child-process runs of the repository's commands, as CI and operators start them. A run that several
 * test files read (`npm run --silent plan -- local --json`) is started once per mocha process: each plan
 * process loads the SDK and the program and evaluates its stacks, seconds of CPU that a second start
 * would only repeat.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(file: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, argv, { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/** `scripts/plan.ts` with `args`, as `npm run plan -- …` runs it (without npm around it). */
export function plan(args: readonly string[]): Promise<Run> {
  return run(process.execPath, ["-r", "./offline/register.cjs", "scripts/plan.ts", ...args]);
}

/**
 * Runs npm in the repository. Under `npm test` npm's own path is in npm_execpath; outside it, `npm` from
 * PATH. The parent's npm_config_loglevel is dropped so the result reflects the repository's config, not
 * how the test run itself was started (`npm --silent test` would pass loglevel=silent down).
 */
export function npm(args: readonly string[]): Promise<Run> {
  const env = { ...process.env };
  delete env["npm_config_loglevel"];
  const execPath = process.env["npm_execpath"];
  return execPath !== undefined && execPath.endsWith(".js")
    ? run(process.execPath, [execPath, ...args], env)
    : run("npm", args, env);
}

/** Runs a command once, however many tests (in any file) read its result. */
export function once(start: () => Promise<Run>): () => Promise<Run> {
  let result: Promise<Run> | undefined;
  return () => (result ??= start());
}

/** `npm run --silent plan -- local --json`: the documented JSON command, read by the npm and plan CLI tests. */
export const localPlanJson = once(() => npm(["run", "--silent", "plan", "--", "local", "--json"]));
