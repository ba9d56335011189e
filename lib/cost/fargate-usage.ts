/**
 * Fargate usage: vCPU- and GB-hours of each ECS service from its task definition's size × its desired count,
 * split between on-demand and Spot by the service's capacity provider strategy, or the cluster's default strategy
 * when the service names neither a strategy nor a launch type (ECS's rule).
 */
import { HOURS_PER_MONTH } from "./assumptions";
import type { CostResource, UsageLine } from "./types";
import { line, list, num, ofType, record, round, str } from "./usage-line";

const H = HOURS_PER_MONTH;

/** `arn:…:task-definition/<family>:<revision>`, `<family>:<revision>` or `<family>` → family. */
export function taskFamily(reference: string): string {
  const tail = reference.includes("task-definition/") ? reference.split("task-definition/")[1] : reference;
  return tail.replace(/:\d+$/, "");
}

/** `arn:…:cluster/<name>` or `<name>` → name. */
export const clusterName = (reference: string): string => reference.split("cluster/").pop() ?? reference;

interface StrategyItem {
  readonly capacityProvider: string;
  readonly weight: number;
  readonly base: number;
}

function strategyOf(value: unknown): StrategyItem[] {
  return list(value).map((entry) => {
    const e = record(entry);
    return {
      capacityProvider: str(e.capacityProvider) ?? "FARGATE",
      weight: num(e.weight) ?? 0,
      base: num(e.base) ?? 0,
    };
  });
}

/**
 * Tasks per capacity provider for `count` tasks: bases first, the rest split by weight (ECS's capacity provider
 * strategy). Fractions are kept: a month of weighted placement averages out.
 */
export function splitByStrategy(count: number, strategy: readonly StrategyItem[]): Record<string, number> {
  const split: Record<string, number> = {};
  let left = count;
  for (const s of strategy) {
    const base = Math.min(s.base, left);
    split[s.capacityProvider] = (split[s.capacityProvider] ?? 0) + base;
    left -= base;
  }
  const weights = strategy.reduce((sum, s) => sum + s.weight, 0);
  for (const s of strategy) {
    if (weights === 0 || left <= 0) break;
    split[s.capacityProvider] = (split[s.capacityProvider] ?? 0) + (left * s.weight) / weights;
  }
  return split;
}

/** Fargate usage lines of every ECS service in the plan. */
export function fargate(resources: readonly CostResource[]): UsageLine[] {
  const definitions = ofType(resources, "aws:ecs/taskDefinition:TaskDefinition");
  const clusterDefaults = ofType(resources, "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders");
  return ofType(resources, "aws:ecs/service:Service").flatMap((service) => {
    const family = taskFamily(str(service.inputs.taskDefinition) ?? "");
    const definition = definitions.find((d) => d.region === service.region && d.inputs.family === family);
    const tasks = num(service.inputs.desiredCount) ?? 0;
    if (definition === undefined || tasks === 0) return [];
    const vcpu = (num(definition.inputs.cpu) ?? 0) / 1024;
    const gb = (num(definition.inputs.memory) ?? 0) / 1024;
    const architecture = (str(record(definition.inputs.runtimePlatform).cpuArchitecture) ?? "X86_64").toLowerCase();
    let strategy = strategyOf(service.inputs.capacityProviderStrategies);
    if (strategy.length === 0 && service.inputs.launchType === undefined) {
      const cluster = clusterName(str(service.inputs.cluster) ?? "");
      const defaults = clusterDefaults.find((c) => c.region === service.region && c.inputs.clusterName === cluster);
      strategy = strategyOf(defaults?.inputs.defaultCapacityProviderStrategies);
    }
    const split =
      strategy.length > 0 ? splitByStrategy(tasks, strategy) : { [str(service.inputs.launchType) ?? "FARGATE"]: tasks };
    const name = str(service.inputs.name) ?? service.name;
    return Object.entries(split)
      .filter(([, n]) => n > 0)
      .flatMap(([provider, n]) => {
        const capacity = provider === "FARGATE_SPOT" ? "spot" : "on-demand";
        const what = `${name}: ${round(n)} ${capacity} task(s)`;
        return [
          line(
            service,
            "compute",
            `fargate-vcpu-hour:${architecture}:${capacity}`,
            n * vcpu * H,
            `${what} × ${vcpu} vCPU × ${H} h`,
          ),
          line(
            service,
            "compute",
            `fargate-gb-hour:${architecture}:${capacity}`,
            n * gb * H,
            `${what} × ${gb} GB × ${H} h`,
          ),
        ];
      });
  });
}
