/**
 * The deploy workflows run the one-off `migrate` task on the new image before `pulumi up` updates the
 * services (docs/ecs.md, "One-off tasks"). A pure check over a parsed workflow, like workflow-checks.ts.
 */
import { oneOffTargetGlob } from "../../components/service/tasks";
import {
  type PulumiCall,
  type Step,
  type Workflow,
  pulumiCalls,
  shellCommands,
  shellWords,
  shortStack,
} from "./workflow-checks";

/** Pulumi's `--target` glob as the engine matches it (pkg/resource/deploy UrnTargets: `**` any, `*` within a part). */
export function globMatches(glob: string, urn: string): boolean {
  const pattern = glob
    .split("**")
    .map((segment) =>
      segment
        .split("*")
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^:]*"),
    )
    .join(".*");
  return new RegExp(`^${pattern}$`).test(urn);
}

/** The task CI runs before the services update. */
export const PRE_DEPLOY_TASK = "migrate";

/** `npm run task -- … --stack <s> --task <t>` in a step's script: the stack and task it runs, or undefined. */
export function taskRunOf(step: Step): { stack: string; task: string; expectImage: boolean } | undefined {
  for (const line of shellCommands(step.run ?? "")) {
    const at = /(?:^|\s)npm\s+(?:run|run-script)\s+(?:-s\s+|--silent\s+)?task(?=\s|$)/.exec(line);
    if (!at) continue;
    const words = shellWords(line.slice(at.index + at[0].length));
    const value = (flag: string) => words[words.indexOf(flag) + 1];
    if (!words.includes("--stack") || !words.includes("--task")) continue;
    return { stack: value("--stack"), task: value("--task"), expectImage: words.includes("--expect-image-tag") };
  }
  return undefined;
}

const isUp = (c: PulumiCall) => c.command[0] === "up" || c.command[0] === "update";
const targetsOf = (c: PulumiCall) =>
  c.args.flatMap((a, i) =>
    a === "--target" || a === "-t" ? [c.args[i + 1] ?? ""] : a.startsWith("--target=") ? [a.slice(9)] : [],
  );

/**
 * For each full `pulumi up` of a stack (one without `--target`), in the same job:
 * - an earlier step runs `npm run task -- --stack <s> --task migrate --expect-image-tag …`, with no
 *   `continue-on-error`, so a failed migration stops the job before the services change;
 * - before that, a targeted `pulumi up` registers exactly the one-off task definitions
 *   (`--target` {@link oneOffTargetGlob}), so the migration runs on the new image;
 * - a later step runs the task on the first deploy (when the targeted up was skipped).
 */
export function oneOffTaskViolations(wf: Workflow): string[] {
  const violations: string[] = [];
  const calls = pulumiCalls(wf);
  for (const up of calls.filter((c) => isUp(c) && targetsOf(c).length === 0)) {
    const steps = wf.jobs[up.jobId]?.steps ?? [];
    for (const stack of up.stacks.map(shortStack)) {
      const runs = steps
        .map((step, index) => ({ step, index, run: taskRunOf(step) }))
        .filter((r) => r.run?.stack === stack && r.run.task === PRE_DEPLOY_TASK);
      const before = runs.filter((r) => r.index < up.stepIndex);
      if (before.length === 0) {
        violations.push(`${up.where}: no step runs the ${PRE_DEPLOY_TASK} task of ${stack} before this pulumi up`);
        continue;
      }
      for (const r of before) {
        if (!r.run?.expectImage)
          violations.push(
            `${up.where}: the ${PRE_DEPLOY_TASK} task runs without --expect-image-tag (it could run the old image)`,
          );
        if (r.step["continue-on-error"] !== undefined && String(r.step["continue-on-error"]) !== "false")
          violations.push(
            `${up.where}: the ${PRE_DEPLOY_TASK} task has continue-on-error, so a failed migration would not stop the deploy`,
          );
      }
      const glob = oneOffTargetGlob(stack);
      const registers = calls.filter(
        (c) => c.jobId === up.jobId && isUp(c) && c.stepIndex < before[0].index && targetsOf(c).includes(glob),
      );
      if (registers.length === 0)
        violations.push(
          `${up.where}: no targeted pulumi up --target '${glob}' registers the one-off task definitions before the ${PRE_DEPLOY_TASK} task`,
        );
      if (!runs.some((r) => r.index > up.stepIndex))
        violations.push(
          `${up.where}: nothing runs the ${PRE_DEPLOY_TASK} task after a first deploy (when there was no cluster to run it in before)`,
        );
    }
  }
  return violations;
}
