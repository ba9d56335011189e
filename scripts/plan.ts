/**
 * Offline plan: `npm run plan -- <stack> [--json] [--preview] [--diff <base>] [--policy-config <file>]`.
 *
 * Evaluates the stack program under Pulumi's mock runtime (no cloud account, no Pulumi CLI), with the
 * stack's own Pulumi.<stack>.yaml and StackReferences resolved from the referenced stacks' evaluations,
 * then runs the policy pack on every resource. `--preview` evaluates it as the first `pulumi preview` of a
 * new stack (computed outputs unknown) and reports the policy checks the runtime could not run. `--diff <base>`
 * prints what changes from `base` — a saved plan (`--json` output) or a git ref — with the changed inputs of
 * each resource and the replacements they force (offline/diff.ts); it needs no credentials.
 *
 * Exit codes: 0 clean (advisory findings allowed), 1 mandatory policy violations, 2 config or program error.
 * Policy config defaults to policy-config.json at the repository root when it exists (the same file CI
 * passes to `pulumi preview --policy-pack-config`).
 */
import * as fs from "fs";
import * as path from "path";
import { runPolicyPack, type HeliumPackConfig } from "../policy-pack/engine";
import { PROJECT_ROOT } from "../offline/pulumi-yaml";
import { evaluateStack } from "../offline/evaluate";
import { diffPlans, renderDiff } from "../offline/diff";
import { loadBase } from "../offline/diff-base";
import { planDocument, renderSummary } from "./plan-report";

interface PlanArgs {
  readonly stack: string;
  readonly json: boolean;
  readonly preview: boolean;
  readonly diffBase?: string;
  readonly policyConfigFile?: string;
}

const VALUE_FLAGS = ["--policy-config", "--diff"];

function parseArgs(argv: readonly string[]): PlanArgs {
  const positional = argv.filter((a, i) => !a.startsWith("--") && !VALUE_FLAGS.includes(argv[i - 1] ?? ""));
  const configIndex = argv.indexOf("--policy-config");
  const diffIndex = argv.indexOf("--diff");
  if (positional.length !== 1) {
    throw new Error(
      `usage: npm run plan -- <stack> [--json] [--preview] [--diff <plan.json | git ref>] [--policy-config <file>]; <stack> has a Pulumi.<stack>.yaml`,
    );
  }
  return {
    stack: positional[0],
    json: argv.includes("--json"),
    preview: argv.includes("--preview"),
    ...(configIndex >= 0 ? { policyConfigFile: argv[configIndex + 1] } : {}),
    ...(diffIndex >= 0 ? { diffBase: argv[diffIndex + 1] } : {}),
  };
}

function loadPolicyConfig(file: string | undefined): HeliumPackConfig {
  const chosen = file ?? path.join(PROJECT_ROOT, "policy-config.json");
  if (!fs.existsSync(chosen)) {
    if (file !== undefined) throw new Error(`policy config ${file} does not exist`);
    return {};
  }
  return JSON.parse(fs.readFileSync(chosen, "utf8")) as HeliumPackConfig;
}

async function main(): Promise<number> {
  let args: PlanArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const started = Date.now();
  try {
    const evaluation = await evaluateStack(args.stack, { mode: args.preview ? "preview" : "update" });
    const report = runPolicyPack(evaluation.resources, { config: loadPolicyConfig(args.policyConfigFile) });
    const plan = planDocument(evaluation, report);
    if (args.diffBase !== undefined) {
      const diff = diffPlans(loadBase(args.diffBase, args.stack, PROJECT_ROOT), plan);
      process.stdout.write(args.json ? `${JSON.stringify(diff, null, 2)}\n` : `${renderDiff(diff)}\n`);
      return report.mandatoryCount > 0 ? 1 : 0;
    }
    if (args.json) process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    else process.stdout.write(`${renderSummary(evaluation, plan, (Date.now() - started) / 1000)}\n`);
    return report.mandatoryCount > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
}

void main().then((code) => process.exit(code));
