/**
 * A rolling-deploy time model for an ECS service behind (or without) an ALB.
 *
 * ECS replaces tasks in batches. With N desired tasks, minimum healthy m% and maximum M%:
 *   running cap      = floor(N × M / 100)          tasks that may run at once (old + new)
 *   healthy floor    = ceil(N × m / 100)           tasks that must stay healthy
 *   batch size       = running cap − healthy floor new tasks started per batch
 *   batches          = ceil(N / batch size)        (0 when N = 0)
 * Each batch waits for its new tasks to become healthy, then drains the old ones it replaces:
 *   per batch        = start + healthy + drain
 *   start            = taskStartSeconds (image pull + container start; an estimate, the same in both columns)
 *   healthy          = healthyThreshold × interval (ALB services: consecutive passing checks), 0 otherwise
 *   drain            = deregistration delay (ALB services), or the container stop timeout otherwise
 *   total            = batches × per batch
 * It deliberately ignores API latency and the circuit breaker's failure path: it is a comparison of
 * settings, not a forecast. The same formula is printed by `npm run report:deploy`.
 *
 * With Helium's defaults (config/services.ts: interval 5 s, healthy threshold 3, deregistration delay 30 s) a
 * load-balanced service's batch is 30 + 3 × 5 + 30 = 75 s; AWS's defaults make it 30 + 5 × 30 + 300 = 480 s.
 * The same health checks decide how fast a dead region leaves Global Accelerator: lib/failover-model.ts.
 */

/** Minimum healthy percent HeliumService deploys with: never drop below desired capacity during a deploy. */
export const DEPLOYMENT_MINIMUM_HEALTHY_PERCENT = 100;
/** Maximum percent HeliumService deploys with: start a full new set beside the old one (one batch). */
export const DEPLOYMENT_MAXIMUM_PERCENT = 200;
/** Assumed seconds to pull a few-hundred-MB ARM64 image and start it on Fargate. */
export const DEFAULT_TASK_START_SECONDS = 30;
/** ECS's default container stop timeout (SIGTERM → SIGKILL) for services without a load balancer. */
export const ECS_DEFAULT_STOP_TIMEOUT_SECONDS = 30;

/**
 * The settings AWS uses when none are given: target-group health check and deregistration delay (ELB API
 * reference, CreateTargetGroup: HealthCheckIntervalSeconds 30 for ip targets, HealthyThresholdCount 5,
 * UnhealthyThresholdCount 2, HealthCheckTimeoutSeconds 5; ModifyTargetGroupAttributes:
 * deregistration_delay.timeout_seconds 300).
 */
export const AWS_DEFAULTS = {
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
  deregistrationDelaySeconds: 300,
} as const;

export interface DeployModelInput {
  readonly desiredCount: number;
  readonly minimumHealthyPercent: number;
  readonly maximumPercent: number;
  readonly taskStartSeconds: number;
  /** ALB health check of the target group; undefined for services without a load balancer. */
  readonly healthCheck?: { readonly intervalSeconds: number; readonly healthyThreshold: number };
  /** Deregistration delay (ALB) or stop timeout (no ALB). */
  readonly drainSeconds: number;
}

export interface DeployModelResult {
  readonly batchSize: number;
  readonly batches: number;
  readonly startSeconds: number;
  readonly healthySeconds: number;
  readonly drainSeconds: number;
  readonly perBatchSeconds: number;
  readonly totalSeconds: number;
}

/** Applies the module's formula. Throws when the percentages allow no progress (batch size 0). */
export function modelRollingDeploy(input: DeployModelInput): DeployModelResult {
  const { desiredCount: n, minimumHealthyPercent: min, maximumPercent: max } = input;
  const runningCap = Math.floor((n * max) / 100);
  const healthyFloor = Math.ceil((n * min) / 100);
  const batchSize = runningCap - healthyFloor;
  if (n > 0 && batchSize <= 0) {
    throw new Error(
      `deploy model: minimumHealthyPercent ${min} and maximumPercent ${max} with ${n} task(s) allow no task to be replaced; maximumPercent must exceed minimumHealthyPercent enough to add one task`,
    );
  }
  const batches = n === 0 ? 0 : Math.ceil(n / batchSize);
  const healthySeconds = input.healthCheck ? input.healthCheck.healthyThreshold * input.healthCheck.intervalSeconds : 0;
  const perBatchSeconds = input.taskStartSeconds + healthySeconds + input.drainSeconds;
  return {
    batchSize: Math.max(batchSize, 0),
    batches,
    startSeconds: input.taskStartSeconds,
    healthySeconds,
    drainSeconds: input.drainSeconds,
    perBatchSeconds,
    totalSeconds: batches * perBatchSeconds,
  };
}

/** What the model reads of a service declaration (config/services.ts `ServiceSpec` has these fields). */
export interface DeploySpec {
  readonly routes: readonly unknown[];
  readonly healthCheck?: { readonly intervalSeconds: number; readonly healthyThreshold: number };
  readonly deregistrationDelaySeconds: number;
  readonly desiredCount?: number;
  readonly scaling: { readonly min: number };
}

/** The model's input for a service as configured (the settings HeliumService deploys with). */
export function deployInputFromSpec(
  spec: DeploySpec,
  taskStartSeconds: number = DEFAULT_TASK_START_SECONDS,
): DeployModelInput {
  const balanced = spec.routes.length > 0 && spec.healthCheck !== undefined;
  return {
    desiredCount: spec.desiredCount ?? spec.scaling.min,
    minimumHealthyPercent: DEPLOYMENT_MINIMUM_HEALTHY_PERCENT,
    maximumPercent: DEPLOYMENT_MAXIMUM_PERCENT,
    taskStartSeconds,
    healthCheck:
      balanced && spec.healthCheck
        ? { intervalSeconds: spec.healthCheck.intervalSeconds, healthyThreshold: spec.healthCheck.healthyThreshold }
        : undefined,
    drainSeconds: balanced ? spec.deregistrationDelaySeconds : ECS_DEFAULT_STOP_TIMEOUT_SECONDS,
  };
}

/** The same service with AWS's default health check and deregistration delay (deployment percentages unchanged). */
export function deployInputWithAwsDefaults(
  spec: DeploySpec,
  taskStartSeconds: number = DEFAULT_TASK_START_SECONDS,
): DeployModelInput {
  const tuned = deployInputFromSpec(spec, taskStartSeconds);
  if (tuned.healthCheck === undefined) return tuned; // no ALB: nothing AWS defaults would change
  return {
    ...tuned,
    healthCheck: { intervalSeconds: AWS_DEFAULTS.intervalSeconds, healthyThreshold: AWS_DEFAULTS.healthyThreshold },
    drainSeconds: AWS_DEFAULTS.deregistrationDelaySeconds,
  };
}

export const DEPLOY_MODEL_FORMULA = [
  "batch size = floor(N × max% / 100) − ceil(N × minHealthy% / 100); batches = ceil(N / batch size)",
  "per batch  = start + healthyThreshold × interval (ALB only) + drain (deregistration delay, or stop timeout without ALB)",
  "total      = batches × per batch",
].join("\n");
