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
import * as fs from "fs";
import * as path from "path";
import { runPolicyPack, type HeliumPackConfig } from "../policy-pack/engine";
import { PROJECT_ROOT } from "../offline/pulumi-yaml";
import { PhaseClock } from "../offline/phase-clock";
import { configureEvaluation, evaluateStackTimed, type EvaluateOptions } from "../offline/evaluate";
import { diffPlans, renderDiff } from "../offline/diff";
import { describeBase, loadResolvedBase, resolveBase, type ResolvedBase } from "../offline/diff-base";
import { fingerprintKeyFromEnv, newFingerprintKey } from "../offline/secret-fingerprint";
import { parsePlanArgs, UsageError, USAGE, type PlanArgs } from "./plan-args";
import { planDocument, renderSummary } from "./plan-report";
import { minus, plus, registerStats, sinceProcessStart, type PlanTimings } from "./plan-timings";

function loadPolicyConfig(file: string | undefined): HeliumPackConfig {
  const chosen = file ?? path.join(PROJECT_ROOT, "policy-config.json");
  if (!fs.existsSync(chosen)) {
    if (file !== undefined) throw new Error(`policy config ${file} does not exist`);
    return {};
  }
  return JSON.parse(fs.readFileSync(chosen, "utf8")) as HeliumPackConfig;
}

async function main(): Promise<number> {
  const loaded = sinceProcessStart();
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
    // A --diff that is neither a plan file nor a git ref fails now, not after the evaluation.
    if (args.diffBase !== undefined) base = resolveBase(args.diffBase, PROJECT_ROOT);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (base?.kind === "ref" && base.fromOrigin)
    process.stderr.write(`--diff ${args.diffBase}: no ${args.diffBase} here; using ${describeBase(base)}\n`);
  const started = Date.now();
  // This process plans one stack and does nothing else with Pulumi's runtime: evaluate here.
  configureEvaluation({ where: "this-process", cacheReferencedOutputs: !args.freshReferences });
  const options: EvaluateOptions = {
    mode: args.preview ? "preview" : "update",
    configOverrides: args.overrides,
    referenceOverrides: args.referenceOverrides,
  };
  try {
    const { evaluation, timings, references } = await evaluateStackTimed(args.stack, options);
    const clock = new PhaseClock();
    const report = runPolicyPack(evaluation.resources, { config: loadPolicyConfig(args.policyConfigFile) });
    const policy = clock.mark();
    if (base !== undefined) {
      // Secret inputs are compared by keyed fingerprints that live in this process only (offline/secret-fingerprint.ts).
      const key = newFingerprintKey();
      const head = planDocument(evaluation, report, { secretFingerprintKey: key });
      const loaded = loadResolvedBase(base, args.stack, PROJECT_ROOT, key);
      const diff = diffPlans(loaded.plan, head);
      const text = renderDiff(diff, {
        base: loaded.description,
        secretsNotComparedBecause: loaded.secretsNotComparedBecause,
      });
      process.stdout.write(args.json ? `${JSON.stringify(diff, null, 2)}\n` : `${text}\n`);
      return report.mandatoryCount > 0 ? 1 : 0;
    }
    // Fingerprints only when the plan is the base of another run's diff (offline/diff-base.ts sets the key).
    const fingerprintKey = args.json ? fingerprintKeyFromEnv() : undefined;
    const plan = planDocument(evaluation, report, {
      ...(fingerprintKey !== undefined ? { secretFingerprintKey: fingerprintKey } : {}),
    });
    if (args.json) process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    else process.stdout.write(`${renderSummary(evaluation, plan, (Date.now() - started) / 1000)}\n`);
    const reported = clock.mark();
    if (args.timingsFile !== undefined) {
      const hook = registerStats();
      const startup = plus(hook.startup, hook.transpile);
      const record: PlanTimings = {
        phases: {
          "startup and transpile": startup,
          // Loading the plan's own modules and the program's (the SDK, @pulumi/aws, policies), transpiling aside.
          "module import": minus(plus(loaded, timings.import), startup),
          "referenced stacks": references,
          registration: timings.registration,
          "output resolution": timings.outputs,
          "policy run": policy,
          report: reported,
        },
        total: sinceProcessStart(),
        resources: evaluation.resources.length,
      };
      fs.writeFileSync(args.timingsFile, JSON.stringify({ ...record, recorded: evaluation.resources }));
    }
    return report.mandatoryCount > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
}

// Exit once stdout is flushed: a plan's JSON is larger than a pipe's buffer, and exit would cut it short.
void main().then((code) => process.stdout.write("", () => process.exit(code)));
