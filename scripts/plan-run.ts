/**
 * The offline plan's work once its command line is read (scripts/plan.ts): evaluate the stack in this process,
 * run the policy pack, print the plan, the summary or the diff, write the timings. Loaded only then, so a
 * usage error prints without loading the SDK, the program and the policies.
 */
import * as fs from "fs";
import * as path from "path";
import { runPolicyPack, type HeliumPackConfig } from "../policy-pack/engine";
import { PROJECT_ROOT } from "../offline/pulumi-yaml";
import { PhaseClock } from "../offline/phase-clock";
import { configureEvaluation, evaluateStackTimed, type EvaluateOptions } from "../offline/evaluate";
import { diffPlans, renderDiff } from "../offline/diff";
import { loadResolvedBase, type ResolvedBase } from "../offline/diff-base";
import { fingerprintKeyFromEnv, newFingerprintKey } from "../offline/secret-fingerprint";
import type { PlanArgs } from "./plan-args";
import { planDocument, renderSummary } from "./plan-report";
import type { PhaseTime } from "../offline/types";
import { minus, plus, registerStats, sinceProcessStart, type PlanTimings } from "./plan-timings";

function loadPolicyConfig(file: string | undefined): HeliumPackConfig {
  const chosen = file ?? path.join(PROJECT_ROOT, "policy-config.json");
  if (!fs.existsSync(chosen)) {
    if (file !== undefined) throw new Error(`policy config ${file} does not exist`);
    return {};
  }
  return JSON.parse(fs.readFileSync(chosen, "utf8")) as HeliumPackConfig;
}

/** Plans `args.stack`; `loaded` is the time from the process's start to this module loaded (the timings' module import). */
export async function runPlan(args: PlanArgs, base: ResolvedBase | undefined, loaded: PhaseTime): Promise<number> {
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
