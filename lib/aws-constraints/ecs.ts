/**
 * ECS and Cloud Map constraints on values that come from config: a service's capacity provider strategy,
 * a container's stop timeout, Service Connect names and one-off task names. Sources:
 * - https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
 * - https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (stopTimeout)
 * - https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectService.html (discoveryName)
 * - https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectClientAlias.html (dnsName)
 * - https://docs.aws.amazon.com/cloud-map/latest/api/API_CreateService.html (Name: ECS creates the Cloud Map
 *   service of a Service Connect discovery name, so that name must also be a Cloud Map service name)
 */
import type { Problem } from "../input-error";
import { FARGATE_MAX_STOP_TIMEOUT_SECONDS } from "../platform";
import { integerInRange } from "./ranges";

/** The Fargate capacity providers (every cluster may use them once they are associated with it). */
export const FARGATE_CAPACITY_PROVIDERS = ["FARGATE", "FARGATE_SPOT"] as const;
export type FargateCapacityProvider = (typeof FARGATE_CAPACITY_PROVIDERS)[number];

/** One item of a capacity provider strategy, as ECS takes it. */
export interface CapacityProviderStrategyItem {
  readonly capacityProvider: string;
  /** Tasks, at a minimum, on this provider (0-100,000); at most one item may set it above 0. */
  readonly base: number;
  /** Relative share of the tasks beyond the bases (0-1,000). */
  readonly weight: number;
}

/**
 * Every problem with a capacity provider strategy, keyed by item (`[0].base`, …) or `""` for the whole list:
 * 1-20 items, each a Fargate provider listed once, base 0-100,000 on at most one item, weight 0-1,000 and at
 * least one weight above 0 ("If you specify multiple capacity providers in a strategy that all have a weight
 * of 0, any RunTask or CreateService actions using the capacity provider strategy will fail").
 */
export function capacityProviderStrategyProblems(items: readonly CapacityProviderStrategyItem[]): Problem[] {
  const problems: Problem[] = [];
  if (items.length < 1 || items.length > 20) {
    problems.push({ key: "", value: items.length, allowed: "1-20 capacity providers" });
  }
  items.forEach((item, i) => {
    if (!(FARGATE_CAPACITY_PROVIDERS as readonly string[]).includes(item.capacityProvider)) {
      problems.push({
        key: `[${i}].capacityProvider`,
        value: item.capacityProvider,
        allowed: `a Fargate capacity provider: ${FARGATE_CAPACITY_PROVIDERS.join(" or ")}`,
      });
    } else if (items.findIndex((other) => other.capacityProvider === item.capacityProvider) !== i) {
      problems.push({ key: `[${i}].capacityProvider`, value: item.capacityProvider, allowed: "each provider once" });
    }
    const base = integerInRange(item.base, 0, 100_000, "tasks");
    if (base !== undefined) problems.push({ key: `[${i}].base`, value: item.base, allowed: base });
    const weight = integerInRange(item.weight, 0, 1000);
    if (weight !== undefined) problems.push({ key: `[${i}].weight`, value: item.weight, allowed: weight });
  });
  const based = items.filter((item) => item.base > 0);
  if (based.length > 1) {
    problems.push({
      key: "",
      value: based.map((item) => item.capacityProvider),
      allowed: "a base above 0 on at most one capacity provider (ECS: only one item can have a base defined)",
    });
  }
  if (items.length > 0 && !items.some((item) => item.weight > 0)) {
    problems.push({
      key: "",
      value: items.map((item) => item.weight),
      allowed: "a weight above 0 on at least one capacity provider (ECS rejects a strategy whose weights are all 0)",
    });
  }
  return problems;
}

/**
 * A container `stopTimeout` on Fargate: whole seconds up to 120 (ECS sends SIGKILL when it runs out; the model
 * types it as an integer and documents no minimum, so 1 is ours).
 */
export function fargateStopTimeoutProblem(seconds: number): string | undefined {
  return integerInRange(seconds, 1, FARGATE_MAX_STOP_TIMEOUT_SECONDS, "seconds");
}

/** One DNS label of a Cloud Map service name (CreateService Name pattern, one label). */
const CLOUD_MAP_LABEL = /^(?:[a-zA-Z0-9_][a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])$/;

/**
 * A Service Connect discovery name, which ECS also registers as a Cloud Map service: 1-64 lower-case letters,
 * digits, `_` and `-`, not starting with `-` (ServiceConnectService.discoveryName), and a DNS label that does
 * not end with `-` (Cloud Map CreateService Name:
 * `((?=^.{1,127}$)^([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])(\.…)*$)|(^\.$)`).
 */
export function serviceConnectDiscoveryNameProblem(name: string): string | undefined {
  return /^[a-z0-9_][a-z0-9_-]{0,63}$/.test(name) && CLOUD_MAP_LABEL.test(name)
    ? undefined
    : "1-64 lower-case letters, digits, '_' and '-', neither starting nor ending with '-' (a Service Connect discovery name that is also a Cloud Map service name)";
}

/** A Service Connect client alias `dnsName`: at most 127 lower-case letters, digits, `_`, `-` and `.`, not starting with `-`. */
export function serviceConnectDnsNameProblem(name: string): string | undefined {
  return /^[a-z0-9_.][a-z0-9_.-]{0,126}$/.test(name)
    ? undefined
    : "1-127 lower-case letters, digits, '_', '-' and '.', not starting with '-'";
}
