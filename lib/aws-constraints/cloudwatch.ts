/**
 * CloudWatch constraints on values that come from config: alarm periods and evaluation windows, and log
 * group retention.
 */
import type { Problem } from "../input-error";
import { integerInRange } from "./ranges";

/** Longest evaluation window, in seconds, of an alarm whose period is under an hour: one day. */
export const MAX_ALARM_WINDOW_SUB_HOUR_SECONDS = 86_400;
/** Longest evaluation window, in seconds, of any alarm: seven days. */
export const MAX_ALARM_WINDOW_SECONDS = 604_800;

/**
 * `standard`: metrics stored at one-minute resolution, as every AWS/ECS, AWS/SQS, AWS/ApplicationELB and
 * AWS/ElastiCache metric is; `high`: metrics published with StorageResolution 1.
 */
export type MetricResolution = "standard" | "high";

/**
 * An alarm's period and evaluation window (PutMetricAlarm Period, EvaluationPeriods, DatapointsToAlarm):
 * - period: 10, 20, 30 (high-resolution metrics only) or any multiple of 60 seconds;
 * - evaluationPeriods: an integer ≥ 1, and period × evaluationPeriods ≤ 86,400 s when the period is under
 *   3,600 s, else ≤ 604,800 s;
 * - datapointsToAlarm (M of N): an integer in 1-evaluationPeriods. Defaults to evaluationPeriods.
 * @param resolution of the metrics the alarm watches. Defaults to `standard`: a 10/20/30 s period on a
 *   standard metric "does not receive data for the attempts that do not correspond to a one-minute data
 *   resolution, and the alarm might often lapse into INSUFFICENT_DATA".
 * @returns problems keyed `periodSeconds`, `evaluationPeriods`, `datapointsToAlarm`.
 * Source: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html;
 * botocore `cloudwatch/2010-08-01` PutMetricAlarmInput.Period doc (shape `Period`, min 1).
 */
export function cloudWatchAlarmWindowProblem(
  periodSeconds: number,
  evaluationPeriods: number,
  datapointsToAlarm: number = evaluationPeriods,
  resolution: MetricResolution = "standard",
): Problem[] {
  const problems: Problem[] = [];
  const subMinute = resolution === "high" ? [10, 20, 30] : [];
  const periodOk =
    Number.isInteger(periodSeconds) &&
    periodSeconds > 0 &&
    (subMinute.includes(periodSeconds) || periodSeconds % 60 === 0);
  if (!periodOk) {
    problems.push({
      key: "periodSeconds",
      value: periodSeconds,
      allowed:
        resolution === "high"
          ? "10, 20, 30 or a multiple of 60 seconds"
          : "a multiple of 60 seconds (10, 20 and 30 are for high-resolution metrics only; these are standard-resolution)",
    });
  }
  const periodsAllowed = integerInRange(evaluationPeriods, 1, Number.MAX_SAFE_INTEGER);
  if (periodsAllowed !== undefined) {
    problems.push({ key: "evaluationPeriods", value: evaluationPeriods, allowed: "an integer ≥ 1" });
  } else if (periodOk) {
    const limit = periodSeconds < 3600 ? MAX_ALARM_WINDOW_SUB_HOUR_SECONDS : MAX_ALARM_WINDOW_SECONDS;
    if (periodSeconds * evaluationPeriods > limit) {
      const most = Math.floor(limit / periodSeconds);
      problems.push({
        key: "evaluationPeriods",
        value: evaluationPeriods,
        allowed: `at most ${most} periods of ${periodSeconds} s: period × evaluationPeriods may not exceed ${limit.toLocaleString("en-US")} s (${periodSeconds < 3600 ? "one day for periods under an hour" : "seven days"})`,
      });
    }
  }
  if (periodsAllowed === undefined && integerInRange(datapointsToAlarm, 1, evaluationPeriods) !== undefined) {
    problems.push({
      key: "datapointsToAlarm",
      value: datapointsToAlarm,
      allowed: `an integer in 1-${evaluationPeriods} (at most evaluationPeriods)`,
    });
  }
  return problems;
}

/**
 * Retention periods CloudWatch Logs accepts. Source:
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html;
 * botocore `logs/2014-03-28` PutRetentionPolicyRequest.retentionInDays.
 */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** A log group's `retentionInDays`: one of {@link LOG_RETENTION_DAYS}. */
export function logRetentionDaysProblem(days: number): string | undefined {
  return LOG_RETENTION_DAYS.includes(days) ? undefined : `one of ${LOG_RETENTION_DAYS.join(", ")} days`;
}
