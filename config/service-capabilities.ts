/**
 * Service-level config of the ECS capabilities (docs/ecs.md): the capacity provider strategy, one-off tasks,
 * ECS Exec, and the AWS rule for `consumes` entries that name another service (Service Connect). The keys are
 * part of the service declaration (config/services.ts `serviceSchema`).
 */
import { z } from "zod";
import { FARGATE_CAPACITY_PROVIDERS, capacityProviderStrategyProblems } from "../lib/aws-constraints";
import type { Problem } from "../lib/input-error";
import { strictObject } from "./primitives";

/** Adds a strategy's problems at their items (`[0].base` → path [0, "base"]; "" → the list itself). */
function addStrategyProblems(problems: readonly Problem[], ctx: z.RefinementCtx): void {
  for (const p of problems) {
    const item = /^\[(\d+)\]\.(\w+)$/.exec(p.key);
    const path = item === null ? [] : [Number(item[1]), item[2]];
    ctx.addIssue({ code: "custom", path, message: p.allowed, input: p.value });
  }
}

const capacityProviderStrategyItem = strictObject({
  capacityProvider: z
    .enum(FARGATE_CAPACITY_PROVIDERS)
    .describe(
      "FARGATE (on-demand) or FARGATE_SPOT (spare capacity at a discount; a task may be stopped with a two-minute warning). Required.",
    ),
  base: z
    .number()
    .int()
    .min(0)
    .max(100000)
    .default(0)
    .describe(
      "Tasks, at a minimum, on this provider; at most one item may set it above 0. Defaults to 0 (AWS's default).",
    ),
  weight: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(0)
    .describe(
      "Share of the tasks beyond the base; at least one item needs a weight above 0. Defaults to 0 (AWS's default).",
    ),
});

/** The strategy of a service that configures none: on-demand Fargate only, as before capacity providers. */
export const DEFAULT_CAPACITY_PROVIDER_STRATEGY = [{ capacityProvider: "FARGATE", base: 0, weight: 1 }] as const;

/** A one-off task name (a key of `tasks`): it becomes part of the task definition family. */
export const ONE_OFF_TASK_NAME_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

/** `services.<name>.capacityProviderStrategy`: ECS CapacityProviderStrategyItem rules (lib/aws-constraints/ecs.ts). */
export const capacityProviderStrategySchema = z
  .array(capacityProviderStrategyItem)
  .superRefine((items, ctx) => addStrategyProblems(capacityProviderStrategyProblems(items), ctx))
  .default([...DEFAULT_CAPACITY_PROVIDER_STRATEGY])
  .describe(
    "Where ECS places the tasks, e.g. [{capacityProvider: FARGATE, base: 1}, {capacityProvider: FARGATE_SPOT, weight: 1}]: the base on on-demand Fargate, the rest on Spot. Defaults to [{capacityProvider: FARGATE, weight: 1}] (Helium's worker: base 1 on FARGATE, the rest on FARGATE_SPOT). Changing it redeploys the service (docs/ecs.md).",
  );

/** `services.<name>.tasks`: task name → command (components/service/tasks.ts). */
export const oneOffTasksSchema = z
  .record(z.string(), z.array(z.string().min(1)).min(1))
  .superRefine((tasks, ctx) => {
    // Checked here rather than as the record's key schema, whose error would only say "Invalid key in record".
    for (const name of Object.keys(tasks).filter((n) => !ONE_OFF_TASK_NAME_PATTERN.test(n))) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message:
          "a task name of 1-20 lower-case letters, digits and hyphens, starting with a letter (it becomes part of the task definition family)",
        input: name,
      });
    }
  })
  .default({})
  .describe(
    "One-off commands run on the service's image, roles and network, each with its own task definition, e.g. {migrate: [alembic, upgrade, head]}. CI runs migrate before the services update (docs/ecs.md). ECS only. Defaults to none.",
  );

/** `services.<name>.exec`: ECS Exec, opt-in (components/service/iam.ts execStatements). */
export const execSchema = z
  .boolean()
  .default(false)
  .describe(
    "ECS Exec into the service's tasks (aws ecs execute-command): only this service's task role gets the SSM channels, and the region's cluster logs every session, KMS-encrypted, to CloudWatch. Defaults to false.",
  );

/** What a service may list in `consumes` besides another service: the stores the platform provides. */
export const CONSUMABLE_STORES = ["cache", "database"] as const;

/**
 * On AWS, each `consumes` entry of an enabled service that is not a store must be another enabled service
 * with a port: the entry opens a security-group path to that port and a Service Connect name for it, so a
 * wrong entry would silently open nothing. (Kubernetes checks its own rules: lib/kubernetes.ts.)
 */
export function serviceConsumesIssues(
  // The fields the rule reads, not config/services.ts's ServicesSpec: that module imports this one's schemas.
  services: Readonly<
    Record<string, { readonly enabled: boolean; readonly consumes: readonly string[]; readonly port?: number }>
  >,
): Array<{ path: (string | number)[]; message: string; input: unknown }> {
  const issues: Array<{ path: (string | number)[]; message: string; input: unknown }> = [];
  for (const [name, svc] of Object.entries(services)) {
    if (!svc.enabled) continue;
    svc.consumes.forEach((target, i) => {
      const path = ["services", name, "consumes", i];
      const peer = Object.hasOwn(services, target) ? services[target] : undefined;
      if ((CONSUMABLE_STORES as readonly string[]).includes(target)) return;
      if (target === name) issues.push({ path, message: "a service cannot consume itself", input: target });
      else if (peer === undefined)
        issues.push({
          path,
          message: `is neither a store (${CONSUMABLE_STORES.join(", ")}) nor a service (${Object.keys(services).join(", ")})`,
          input: target,
        });
      else if (!peer.enabled) issues.push({ path, message: `service ${target} is disabled`, input: target });
      else if (peer.port === undefined)
        issues.push({ path, message: `service ${target} has no port, so nothing can connect to it`, input: target });
    });
  }
  return issues;
}
