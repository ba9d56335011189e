/**
 * The base of an offline diff: a saved plan (`npm run --silent plan -- <stack> --json > base.json`) or a git
 * ref, whose plan is computed from that commit's own program in a temporary copy of it.
 */
import { execFileSync, execSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { DiffablePlan } from "./diff";

function isPlan(value: unknown): value is DiffablePlan {
  const plan = value as Partial<DiffablePlan> | null;
  return typeof plan === "object" && plan !== null && typeof plan.stack === "string" && Array.isArray(plan.resources);
}

/** Reads a saved plan; fails naming the file when it is not one. */
export function readPlanFile(file: string): DiffablePlan {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!isPlan(parsed)) throw new Error(`${file} is not a plan (npm run --silent plan -- <stack> --json)`);
  return parsed;
}

/**
 * The plan of `stack` as the program at git `ref` computes it: `git archive` of the ref into a temporary
 * directory that shares this checkout's node_modules, then that commit's own `scripts/plan.ts --json`.
 * Exit code 1 (mandatory violations) still prints the plan; anything else is an error.
 */
export function planAtRef(ref: string, stack: string, root: string): DiffablePlan {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helium-diff-base-"));
  try {
    execSync(
      `git -C ${JSON.stringify(root)} archive --format=tar ${JSON.stringify(ref)} | tar -x -C ${JSON.stringify(dir)}`,
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    const tsNode = require.resolve("ts-node/dist/bin.js", { paths: [root] });
    let stdout: string;
    try {
      stdout = execFileSync(process.execPath, [tsNode, "--transpile-only", "scripts/plan.ts", stack, "--json"], {
        cwd: dir,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      const failed = error as { status?: number; stdout?: string; stderr?: string };
      if (failed.status !== 1 || failed.stdout === undefined) {
        throw new Error(`the plan of ${stack} at ${ref} failed: ${failed.stderr ?? String(error)}`);
      }
      stdout = failed.stdout;
    }
    const parsed: unknown = JSON.parse(stdout);
    if (!isPlan(parsed)) throw new Error(`the program at ${ref} printed no plan for ${stack}`);
    return parsed;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A base given as a plan file when one exists at that path, else as a git ref. */
export function loadBase(base: string, stack: string, root: string): DiffablePlan {
  return fs.existsSync(base) && fs.statSync(base).isFile() ? readPlanFile(base) : planAtRef(base, stack, root);
}
