/**
 * Offline plan: `npm run plan -- <stack> [--json] [--preview] [--diff <base>] [--policy-config <file>]
 * [--config [<stack>/]<key>=<value>]… [--remove-config [<stack>/]<key>]… [--fresh-references] [--timings <file>]`.
 *
 * Evaluates the stack program under Pulumi's mock runtime (no cloud account, no Pulumi CLI), with the
 * stack's own Pulumi.<stack>.yaml and StackReferences resolved from the referenced stacks' evaluations,
 * then runs the policy pack on every resource. `--preview` evaluates it as the first `pulumi preview` of a
 * new stack (computed outputs unknown) and reports the policy checks the runtime could not run. `--diff <base>`
 * prints what changes from `base` — a saved plan (`--json` output) or a git ref, else `origin/<ref>`
 * (offline/diff-base.ts) — with the changed inputs of each resource and the replacements they force
 * (offline/diff.ts); it needs no credentials. Secret inputs are compared against a git ref only, by fingerprints
 * under a key that lives in this run (offline/secret-fingerprint.ts).
 *
 * The stack is evaluated in this process. The referenced stacks' outputs are read from the disk cache when
 * nothing that decides them changed (offline/evaluation-cache.ts), else evaluated here first and stored;
 * `--fresh-references` always evaluates them.
 *
 * `--config <key>=<value>` overrides a config key of the planned stack for this run (the value as Pulumi
 * hands it to the program: JSON text for lists and objects); `--config <stack>/<key>=<value>` one of a
 * referenced stack, e.g. `--config 'shared/helium:replicationRegions=["us-east-1"]'`; `--remove-config` removes
 * a key for this run; a key without a namespace is the project's (`imageTag` is `helium:imageTag`), as the Pulumi
 * CLI reads it. An unknown option or an option without its value exits 2 (scripts/plan-args.ts). `--timings <file>`
 * writes where the time went, phase by phase, as JSON (scripts/plan-timings.ts; `npm run bench` reads it).
 *
 * Exit codes: 0 clean (advisory findings allowed), 1 mandatory policy violations, 2 config or program error.
 * Policy config defaults to policy-config.json at the repository root when it exists (the same file CI
 * passes to `pulumi preview --policy-pack-config`).
 */
import { PROJECT_ROOT, readStackFile } from "../offline/pulumi-yaml";
import { describeBase, resolveBase, type ResolvedBase } from "../offline/diff-base";
import { parsePlanArgs, UsageError, USAGE, type PlanArgs } from "./plan-args";
import { sinceProcessStart } from "./plan-timings";

async function main(): Promise<number> {
  let args: PlanArgs;
  try {
    args = parsePlanArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${USAGE}\n${error.message}\n`);
    return 2;
  }
  let base: ResolvedBase | undefined;
  try {
    // An unknown stack, or a --diff that is neither a plan file nor a git ref, fails now, before anything loads.
    readStackFile(args.stack);
    if (args.diffBase !== undefined) base = resolveBase(args.diffBase, PROJECT_ROOT);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (base?.kind === "ref" && base.fromOrigin)
    process.stderr.write(`--diff ${args.diffBase}: no ${args.diffBase} here; using ${describeBase(base)}\n`);
  // The SDK, the program and the policies load only now: a usage error above prints at once.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded here only (require: see stacks/index.ts)
  const { runPlan } = require("./plan-run") as typeof import("./plan-run");
  return runPlan(args, base, sinceProcessStart());
}

// Exit once stdout is flushed: a plan's JSON is larger than a pipe's buffer, and exit would cut it short.
void main().then((code) => process.stdout.write("", () => process.exit(code)));
