/**
 * Application Load Balancer constraints on values that come from config: health-check matchers, listener
 * rule conditions and priorities, target-group health checks and attributes.
 *
 * Sources: the Elastic Load Balancing API reference (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/)
 * and botocore `botocore/data/elbv2/2015-12-01/service-2.json`, cited per validator. Most ALB limits are
 * stated only in documentation strings (the model shapes are plain strings), so no SDK enforces them; the
 * service rejects the call during `pulumi up`.
 */
import type { Problem } from "../input-error";
import { integerInRange, lengthInRange } from "./ranges";

/** Lowest HTTP code an ALB (HTTP/HTTPS target group) health check may expect. */
export const ALB_MATCHER_MIN_CODE = 200;
/** Highest HTTP code an ALB (HTTP/HTTPS target group) health check may expect; 500-599 is NLB only. */
export const ALB_MATCHER_MAX_CODE = 499;

const MATCHER_ALLOWED =
  "HTTP codes 200-499 (HTTP/HTTPS target groups): one code (200), a comma-separated list (200,202) or one range low-high with low ≤ high (200-299)";

/**
 * `Matcher.HttpCode` of an HTTP/HTTPS target group: codes 200-499, as one code, a list or a range.
 * Source: API_Matcher.html ("For Application Load Balancers, you can specify values between 200 and 499 …
 * multiple values (for example, "200,202") or a range of values (for example, "200-299)"); botocore elbv2
 * `Matcher`, `CreateTargetGroupInput.Matcher` ("For target groups with a protocol of HTTP or HTTPS, the range
 * is 200-499"). A list mixing codes and ranges is undocumented and refused here.
 */
export function albHealthCheckMatcherProblem(matcher: string): string | undefined {
  const inRange = (code: string) => Number(code) >= ALB_MATCHER_MIN_CODE && Number(code) <= ALB_MATCHER_MAX_CODE;
  const list = /^\d{3}(?:,\d{3})*$/.exec(matcher);
  if (list) return matcher.split(",").every(inRange) ? undefined : MATCHER_ALLOWED;
  const span = /^(\d{3})-(\d{3})$/.exec(matcher);
  if (span && inRange(span[1]) && inRange(span[2]) && Number(span[1]) <= Number(span[2])) return undefined;
  return MATCHER_ALLOWED;
}

/**
 * One host-header condition value: 1-128 characters from A-Z a-z 0-9 - . * ?, at least one '.', and only
 * letters after the last '.'. Source: API_RuleCondition.html (characters, 128) and
 * API_HostHeaderConditionConfig.html ("You must include at least one "." character. You can include only
 * alphabetical characters after the final "." character"); botocore elbv2 `HostHeaderConditionConfig.Values`.
 * The console guide also lists '_'; the API reference does not, so it is refused.
 */
export function albHostHeaderProblem(value: string): string | undefined {
  const allowed =
    "a host name pattern of 1-128 characters from letters, digits and - . * ?, with at least one '.' and only letters after the last '.', e.g. admin.he2.site or *.he2.site";
  if (lengthInRange(value, 1, 128) !== undefined || !/^[A-Za-z0-9.*?-]+$/.test(value)) return allowed;
  return /\.[A-Za-z]+$/.test(value) ? undefined : allowed;
}

/**
 * One path-pattern condition value: 1-128 characters from A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & * ?.
 * Case-sensitive; a leading '/' is not required by AWS. Source: API_RuleCondition.html,
 * API_PathPatternConditionConfig.html; botocore elbv2 `RuleCondition.Values`.
 */
export function albPathPatternProblem(value: string): string | undefined {
  if (lengthInRange(value, 1, 128) === undefined && /^[A-Za-z0-9_\-.$/~"'@:+&*?]+$/.test(value)) return undefined;
  return `a path pattern of 1-128 characters from letters, digits and _-.$/~"'@:+&*?, e.g. /api/*`;
}

/** Condition values one rule may hold in total (all host headers plus all path patterns). */
export const ALB_RULE_MAX_CONDITION_VALUES = 5;
/**
 * Wildcards (`*`, `?`) one rule may hold in total. The quota page now says 6, the archived guide 5; 5 is
 * safe under both.
 */
export const ALB_RULE_MAX_WILDCARDS = 5;

/**
 * A listener rule's conditions as a whole: at least one value, at most 5 values in total ("Condition values
 * per rule: 5", not adjustable) and at most 5 wildcards. Source:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html and
 * rule-condition-types.html ("You can specify up to five match evaluations per rule").
 */
export function albRuleConditionsProblem(route: {
  readonly hostHeaders?: readonly string[];
  readonly pathPatterns?: readonly string[];
}): string | undefined {
  const values = [...(route.hostHeaders ?? []), ...(route.pathPatterns ?? [])];
  const wildcards = values.join("").replace(/[^*?]/g, "").length;
  if (values.length >= 1 && values.length <= ALB_RULE_MAX_CONDITION_VALUES && wildcards <= ALB_RULE_MAX_WILDCARDS) {
    return undefined;
  }
  return `1-${ALB_RULE_MAX_CONDITION_VALUES} condition values in total (host headers plus path patterns; this rule has ${values.length}) with at most ${ALB_RULE_MAX_WILDCARDS} wildcards (* or ?; it has ${wildcards}): split the route in two`;
}

/**
 * A listener rule priority: an integer 1-50000, unique per listener (uniqueness: lib/routing.ts).
 * Source: API_CreateRule.html; botocore elbv2 `RulePriority` (min 1, max 50000).
 */
export function listenerRulePriorityProblem(priority: number): string | undefined {
  return integerInRange(priority, 1, 50000);
}

/** A target group's health check as config states it. */
export interface TargetGroupHealthCheck {
  /** Seconds between checks. */
  readonly intervalSeconds: number;
  /** Seconds without a response that fail a check; must be below the interval. */
  readonly timeoutSeconds: number;
  /** Consecutive successes that make a target healthy. */
  readonly healthyThreshold: number;
  /** Consecutive failures that make a target unhealthy. */
  readonly unhealthyThreshold: number;
  /** HTTP path probed, starting with '/'. */
  readonly path?: string;
  /** Expected HTTP codes; see {@link albHealthCheckMatcherProblem}. */
  readonly matcher?: string;
}

/**
 * An HTTP/HTTPS target group's health check: interval 5-300 s, timeout 2-120 s and below the interval,
 * thresholds 2-10, path 1-1024 characters starting with '/', matcher as {@link albHealthCheckMatcherProblem}.
 * Keys are the field names. Source: API_CreateTargetGroup.html; botocore elbv2 `CreateTargetGroupInput`
 * (HealthCheckIntervalSeconds 5-300, HealthCheckTimeoutSeconds 2-120, HealthCheckThresholdCount 2-10,
 * Path 1-1024). "Timeout < interval" is enforced by the service only ("Health check interval must be
 * greater than the timeout").
 */
export function targetGroupHealthCheckProblems(check: TargetGroupHealthCheck): Problem[] {
  const problems: Problem[] = [];
  const add = (key: keyof TargetGroupHealthCheck, allowed: string | undefined) => {
    if (allowed !== undefined) problems.push({ key, value: check[key], allowed });
  };
  add("intervalSeconds", integerInRange(check.intervalSeconds, 5, 300, "seconds"));
  add("timeoutSeconds", integerInRange(check.timeoutSeconds, 2, 120, "seconds"));
  if (problems.length === 0 && check.timeoutSeconds >= check.intervalSeconds) {
    add(
      "timeoutSeconds",
      `less than intervalSeconds (${check.intervalSeconds}): AWS requires the interval to exceed the timeout`,
    );
  }
  add("healthyThreshold", integerInRange(check.healthyThreshold, 2, 10));
  add("unhealthyThreshold", integerInRange(check.unhealthyThreshold, 2, 10));
  if (check.path !== undefined && (lengthInRange(check.path, 1, 1024) !== undefined || !check.path.startsWith("/"))) {
    add("path", "a path of 1-1024 characters starting with /");
  }
  if (check.matcher !== undefined) add("matcher", albHealthCheckMatcherProblem(check.matcher));
  return problems;
}

/**
 * Target group attribute `deregistration_delay.timeout_seconds`: 0-3600 ("The range is 0-3600 seconds").
 * Source: API_TargetGroupAttribute.html; botocore elbv2 `TargetGroupAttribute.Key`.
 */
export function deregistrationDelayProblem(seconds: number): string | undefined {
  return integerInRange(seconds, 0, 3600, "seconds");
}

/**
 * Load balancer attribute `idle_timeout.timeout_seconds`: 1-4000 ("The valid range is 1-4000 seconds").
 * Source: API_LoadBalancerAttribute.html; botocore elbv2 `LoadBalancerAttribute.Key`.
 */
export function albIdleTimeoutProblem(seconds: number): string | undefined {
  return integerInRange(seconds, 1, 4000, "seconds");
}
