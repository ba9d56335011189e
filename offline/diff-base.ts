/**
 * The base of an offline diff: a saved plan (`npm run --silent plan -- <stack> --json > base.json`) or a git
 * ref, whose plan is computed from that commit's own program in a temporary copy of it.
 *
 * The argument is a plan file when a file of that name exists; else a git ref (`git rev-parse --verify`), and
 * when there is no such ref here, `origin/<ref>` (a fresh clone has `origin/main` but no `main`). Neither is one
 * readable error, before anything is evaluated.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { DiffablePlan } from "./diff";
import { FINGERPRINT_KEY_ENV } from "./secret-fingerprint";

function isPlan(value: unknown): value is DiffablePlan {
  const plan = value as Partial<DiffablePlan> | null;
  return typeof plan === "object" && plan !== null && typeof plan.stack === "string" && Array.isArray(plan.resources);
}

/** Reads a saved plan; fails naming the file when it is not one. */
export function readPlanFile(file: string): DiffablePlan {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file} is not a plan (npm run --silent plan -- <stack> --json): ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!isPlan(parsed)) throw new Error(`${file} is not a plan (npm run --silent plan -- <stack> --json)`);
  return parsed;
}

/** Where a `--diff` argument points. */
export type ResolvedBase =
  | { readonly kind: "file"; readonly file: string }
  | {
      readonly kind: "ref";
      /** The ref as resolved: the argument, or `origin/<argument>`. */
      readonly ref: string;
      readonly commit: string;
      /** The argument did not resolve here; `origin/<argument>` did. */
      readonly fromOrigin: boolean;
    };

/** The commit `ref` names in the repository at `root`, or undefined; git's other failures are returned as text. */
function commitOf(ref: string, root: string): { commit?: string; failure?: string } {
  try {
    const out = execFileSync("git", ["-C", root, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { commit: out.trim() };
  } catch (error) {
    const failed = error as { status?: number | null; stderr?: string };
    // --quiet: status 1 and no output when the ref does not exist; anything else is git failing.
    const text = (failed.stderr ?? "").trim().split("\n")[0];
    return failed.status === 1 && text === "" ? {} : { failure: text || String(error) };
  }
}

/** Resolves a `--diff` argument: an existing file, else a git ref, else `origin/<ref>`; else a readable error. */
export function resolveBase(base: string, root: string): ResolvedBase {
  const stat = fs.statSync(base, { throwIfNoEntry: false });
  if (stat?.isFile() === true) return { kind: "file", file: base };
  const tried: string[] = [];
  const failures: string[] = [];
  if (!base.startsWith("-")) {
    const candidates = base.startsWith("origin/") ? [base] : [base, `origin/${base}`];
    for (const ref of candidates) {
      tried.push(ref);
      const { commit, failure } = commitOf(ref, root);
      if (commit !== undefined) return { kind: "ref", ref, commit, fromOrigin: ref !== base };
      if (failure !== undefined && !failures.includes(failure)) failures.push(failure);
    }
  }
  const file = stat === undefined ? "no such file" : "a directory";
  const ref = tried.length > 0 ? `tried ${tried.join(", ")}` : "it starts with -";
  const git = failures.length > 0 ? `; git: ${failures.join("; ")}` : "";
  throw new Error(`--diff ${base}: neither a plan file (${file}) nor a git ref (${ref})${git}`);
}

/** How a resolved base is named in the diff's first line. */
export function describeBase(base: ResolvedBase): string {
  return base.kind === "file" ? base.file : `${base.ref} (${base.commit.slice(0, 7)})`;
}

/**
 * The plan of `stack` as the program at `commit` computes it: `git archive` of the commit into a temporary
 * directory that shares this checkout's node_modules, then that commit's own `scripts/plan.ts --json`.
 * Exit code 1 (mandatory violations) still prints the plan; anything else is an error. With `fingerprintKey`,
 * the base's plan fingerprints its secret inputs under that key (offline/secret-fingerprint.ts), if its program
 * knows how; the plan is read from the child's stdout and never written.
 */
export function planAtRef(ref: string, stack: string, root: string, fingerprintKey?: string): DiffablePlan {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helium-diff-base-"));
  const run = (file: string, args: readonly string[], what: string) => {
    try {
      execFileSync(file, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    } catch (error) {
      const stderr = ((error as { stderr?: string }).stderr ?? "").trim();
      throw new Error(`${what} failed: ${stderr || (error as Error).message}`, { cause: error });
    }
  };
  try {
    // No shell and no pipe: a failure is git's or tar's own message.
    const tarball = path.join(dir, ".base.tar");
    const tree = path.join(dir, "tree");
    fs.mkdirSync(tree);
    run("git", ["-C", root, "archive", "--format=tar", "-o", tarball, ref], `git archive of ${ref}`);
    run("tar", ["-x", "-f", tarball, "-C", tree], `unpacking ${ref}`);
    fs.symlinkSync(path.join(root, "node_modules"), path.join(tree, "node_modules"), "dir");
    // The commit's own loader when it has one (esbuild, and a transpile cache keyed by content that this
    // checkout's runs have mostly filled); older commits ran under ts-node.
    const register = path.join(tree, "offline", "register.cjs");
    const loader = fs.existsSync(register)
      ? ["-r", register]
      : [require.resolve("ts-node/dist/bin.js", { paths: [root] }), "--transpile-only"];
    const env = { ...process.env };
    delete env[FINGERPRINT_KEY_ENV];
    if (fingerprintKey !== undefined) env[FINGERPRINT_KEY_ENV] = fingerprintKey;
    let stdout: string;
    try {
      stdout = execFileSync(process.execPath, [...loader, "scripts/plan.ts", stack, "--json"], {
        cwd: tree,
        env,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      const failed = error as { status?: number; stdout?: string; stderr?: string };
      if (failed.status !== 1 || failed.stdout === undefined) {
        throw new Error(`the plan of ${stack} at ${ref} failed: ${failed.stderr ?? String(error)}`, { cause: error });
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

function withoutFingerprints<T>(value: T): T {
  if (typeof value === "string") return (value.startsWith("[secret] ") ? "[secret]" : value) as T;
  if (Array.isArray(value)) return value.map(withoutFingerprints) as T;
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutFingerprints(v)])) as T;
  return value;
}

/** The base's plan, with why its secret inputs cannot be compared when they cannot (offline/diff.ts). */
export interface LoadedBase {
  readonly plan: DiffablePlan;
  readonly description: string;
  readonly secretsNotComparedBecause: string;
}

export function loadResolvedBase(base: ResolvedBase, stack: string, root: string, fingerprintKey?: string): LoadedBase {
  if (base.kind === "file") {
    // A fingerprint in a file was made under another run's key: it compares with nothing here.
    const plan = readPlanFile(base.file);
    return {
      plan: { ...plan, resources: plan.resources.map((r) => ({ ...r, inputs: withoutFingerprints(r.inputs) })) },
      description: base.file,
      secretsNotComparedBecause:
        "a saved plan holds no secret values, only [secret] (diff against a git ref to compare them)",
    };
  }
  return {
    plan: planAtRef(base.commit, stack, root, fingerprintKey),
    description: describeBase(base),
    secretsNotComparedBecause: `the program at ${base.ref} does not fingerprint secret inputs (it predates offline/secret-fingerprint.ts)`,
  };
}

/** A base given as a plan file when one exists at that path, else as a git ref (scripts/cost-report.ts). */
export function loadBase(base: string, stack: string, root: string): DiffablePlan {
  return loadResolvedBase(resolveBase(base, root), stack, root).plan;
}
