/**
 * Pure helpers of the Observability component's alarms: alarm names, the Redis members its alarms watch,
 * the ALB 5xx-rate expression and CloudWatch's alarm-window rules (the dashboard body is lib/dashboard.ts).
 * Plain data in, plain data out, so each is tested without the Pulumi runtime.
 */
import type { Problem } from "./input-error";
import { type Environment, regionalName } from "./naming";

/**
 * ElastiCache publishes host and engine metrics per cache cluster (`CacheClusterId`), not per replication
 * group: a cluster-mode-disabled replication group's members are named `<group id>-001`, `-002`, … AWS has
 * no `ReplicationGroupId` dimension for these metrics, so an alarm on it would never see data.
 * HeliumRegion allows 0-5 replicas, so at most 6 members exist; alarms watch all six ids and combine them
 * with MAX/SUM, which ignores members that do not exist. A replica count change then needs no rewiring.
 */
export const MAX_REDIS_MEMBERS = 6;

/** `<group id>-001` … `<group id>-00<count>`: the cache cluster ids of a replication group's members. */
export function redisMemberClusterIds(replicationGroupId: string, count: number = MAX_REDIS_MEMBERS): string[] {
  return Array.from({ length: count }, (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, "0")}`);
}

/**
 * 5xx share of requests, in percent. ALB publishes `HTTPCode_Target_5XX_Count` only for periods that had
 * a 5xx, so a missing error datapoint counts as 0; a period without requests yields no value (no division).
 */
export const TARGET_5XX_RATE_EXPRESSION = "100 * FILL(errors, 0) / requests";

/**
 * CloudWatch's limit on an alarm's evaluation window (PutMetricAlarm, `Period` and `EvaluationPeriods`:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html): "Period
 * multiplied by EvaluationPeriods can't be more than 604,800 seconds. For alarms with a period of less than
 * one hour (3,600 seconds), the total evaluation period can't be longer than one day (86,400 seconds)."
 */
export const MAX_ALARM_WINDOW_SECONDS = 604_800;
export const MAX_SHORT_PERIOD_ALARM_WINDOW_SECONDS = 86_400;
const SHORT_PERIOD_BELOW_SECONDS = 3_600;

/**
 * Whether an alarm with this period and number of evaluation periods is one CloudWatch accepts and can
 * evaluate. Keys are relative (`periodSeconds`, `evaluationPeriods`); callers put `alerts.` or
 * `helium:alerts.` in front.
 *
 * PutMetricAlarm accepts a period of 10, 20, 30 or any multiple of 60, but 10-30 only for high-resolution
 * metrics (stored with a StorageResolution of 1): on the standard-resolution AWS metrics every Helium alarm
 * watches (AWS/ECS, AWS/ApplicationELB, AWS/SQS, AWS/ElastiCache, ECS/ContainerInsights) such an alarm "might
 * often lapse into INSUFFICIENT_DATA", and the metric-math alarms' `MetricStat.Period` "must be a multiple of
 * 60" for them. So only multiples of 60 are allowed here.
 */
export function alarmWindowProblems(periodSeconds: number, evaluationPeriods: number): Problem[] {
  const problems: Problem[] = [];
  if (!Number.isInteger(periodSeconds) || periodSeconds < 60 || periodSeconds % 60 !== 0) {
    problems.push({
      key: "periodSeconds",
      value: periodSeconds,
      allowed:
        "a multiple of 60 seconds (60, 120, 300, …): CloudWatch takes 10, 20 and 30 only for high-resolution metrics, and every metric alarmed on here is standard resolution (PutMetricAlarm Period)",
    });
  } else if (periodSeconds > MAX_ALARM_WINDOW_SECONDS) {
    problems.push({
      key: "periodSeconds",
      value: periodSeconds,
      allowed: `at most ${MAX_ALARM_WINDOW_SECONDS} (seven days): CloudWatch's longest evaluation window (PutMetricAlarm)`,
    });
  }
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    problems.push({ key: "evaluationPeriods", value: evaluationPeriods, allowed: "an integer of at least 1" });
  }
  if (problems.length > 0) return problems;
  const short = periodSeconds < SHORT_PERIOD_BELOW_SECONDS;
  const limit = short ? MAX_SHORT_PERIOD_ALARM_WINDOW_SECONDS : MAX_ALARM_WINDOW_SECONDS;
  if (periodSeconds * evaluationPeriods > limit) {
    problems.push({
      key: "evaluationPeriods",
      value: evaluationPeriods,
      allowed: `at most ${Math.floor(limit / periodSeconds)} with periodSeconds ${periodSeconds}: CloudWatch limits periodSeconds × evaluationPeriods to ${limit} s (${short ? "one day, for periods under 3600 s" : "seven days"}); here it is ${periodSeconds * evaluationPeriods} s (PutMetricAlarm)`,
    });
  }
  return problems;
}

/** `helium-<thing>[-<env>]-<region short>`, e.g. `helium-backend-cpu-high-sg`: the seed's naming. */
export function alarmName(environment: Environment, region: string, thing: string): string {
  return regionalName(environment, region, thing, "cloudWatchAlarm");
}
