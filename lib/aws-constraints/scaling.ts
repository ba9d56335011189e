/**
 * Application Auto Scaling constraints on values that come from config (RegisterScalableTarget,
 * PutScalingPolicy target tracking). Source:
 * https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html
 * and botocore `application-autoscaling/2016-02-06` (MetricScale, ResourceCapacity, Cooldown).
 */
import type { Problem } from "../input-error";
import { integerInRange } from "./ranges";

/** Largest target value the API documents ("Values must be in the range of -2^360 to 2^360"). */
export const MAX_TARGET_VALUE = 2 ** 360;

/**
 * A target-tracking `TargetValue`: a finite number above 0 and at most 2^360. The API accepts negatives,
 * but every metric we track (utilisation, backlog per task) is positive, so 0 or less would scale for ever.
 */
export function autoscalingTargetValueProblem(value: number): string | undefined {
  return Number.isFinite(value) && value > 0 && value <= MAX_TARGET_VALUE
    ? undefined
    : "a number above 0 (at most 2^360)";
}

/** A utilisation target in percent (ECSServiceAverageCPUUtilization, …): above 0 and at most 100. */
export function autoscalingPercentTargetProblem(percent: number): string | undefined {
  return Number.isFinite(percent) && percent > 0 && percent <= 100 ? undefined : "a percentage above 0, at most 100";
}

/**
 * `MinCapacity` / `MaxCapacity` of an ECS service: integers, min ≥ 0 ("the minimum value allowed is 0"),
 * max ≥ 1 and ≥ min. Keys `min` and `max`.
 */
export function scalingCapacityProblems(min: number, max: number): Problem[] {
  const problems: Problem[] = [];
  const minAllowed = integerInRange(min, 0, Number.MAX_SAFE_INTEGER);
  if (minAllowed !== undefined) problems.push({ key: "min", value: min, allowed: "an integer ≥ 0" });
  if (integerInRange(max, 1, Number.MAX_SAFE_INTEGER) !== undefined) {
    problems.push({ key: "max", value: max, allowed: "an integer ≥ 1" });
  } else if (minAllowed === undefined && max < min) {
    problems.push({ key: "max", value: max, allowed: `an integer ≥ min (${min})` });
  }
  return problems;
}

/** `ScaleInCooldown` / `ScaleOutCooldown`: an integer number of seconds ≥ 0 (the model sets no maximum). */
export function scalingCooldownProblem(seconds: number): string | undefined {
  return integerInRange(seconds, 0, Number.MAX_SAFE_INTEGER, "seconds") === undefined
    ? undefined
    : "an integer ≥ 0 seconds";
}
