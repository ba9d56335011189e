/**
 * `services.<name>.routes` and `services.<name>.healthCheck`: the ALB listener rules that send traffic to a
 * service and its target group's health check, with the ALB's own limits (lib/aws-constraints).
 */
import { z } from "zod";
import {
  ALB_RULE_MAX_CONDITION_VALUES,
  albHealthCheckMatcherProblem,
  albHostHeaderProblem,
  albPathPatternProblem,
  albRuleConditionsProblem,
  targetGroupHealthCheckProblems,
} from "../lib/aws-constraints";
import { addProblems, allowedBy } from "./constraints";
import { strictObject } from "./primitives";

/** ALB quota "Condition values per rule" (5, not adjustable): load-balancer-limits.html. */
const CONDITION_VALUES_LIMIT = `at most ${ALB_RULE_MAX_CONDITION_VALUES} values: an ALB listener rule takes at most ${ALB_RULE_MAX_CONDITION_VALUES} condition values (host headers plus path patterns; AWS quota, not adjustable), so split the route in two`;

export const routeSchema = strictObject({
  pathPatterns: z
    .array(
      z
        .string()
        .regex(/^\//, { error: "must start with /, e.g. /api/*" })
        .superRefine(allowedBy(albPathPatternProblem)),
    )
    .min(1, { error: "at least one path pattern (omit the key for a host-only route)" })
    .max(ALB_RULE_MAX_CONDITION_VALUES, { error: CONDITION_VALUES_LIMIT })
    .optional()
    .describe('ALB path patterns, e.g. ["/api/*"]. Together with hostHeaders at most 5 values (ALB quota).'),
  hostHeaders: z
    .array(z.string().superRefine(allowedBy(albHostHeaderProblem)))
    .min(1, { error: "at least one host header (omit the key for a path-only route)" })
    .max(ALB_RULE_MAX_CONDITION_VALUES, { error: CONDITION_VALUES_LIMIT })
    .optional()
    .describe('Host header patterns for host-based routing (ReptiDex style), e.g. ["admin.he2.site"].'),
  priority: z
    .number()
    .int()
    .min(1)
    .max(50000)
    .optional()
    .describe(
      "Listener rule priority (1-50000, lower wins). Defaults to a deterministic value from the route's specificity and the service name.",
    ),
}).superRefine((r, ctx) => {
  if (r.pathPatterns === undefined && r.hostHeaders === undefined) {
    ctx.addIssue({ code: "custom", message: "a route with pathPatterns, hostHeaders or both", input: r });
    return;
  }
  allowedBy(albRuleConditionsProblem)(r, ctx);
});
export type RouteSpec = z.infer<typeof routeSchema>;

export const healthCheckSchema = strictObject({
  path: z
    .string()
    .regex(/^\//, { error: "must start with /" })
    .describe("HTTP path probed by the ALB and Kubernetes. Defaults to /."),
  matcher: z
    .string()
    .superRefine(allowedBy(albHealthCheckMatcherProblem))
    .default("200-399")
    .describe("HTTP codes that count as healthy (200-499: a code, a list or a range). Defaults to 200-399."),
  intervalSeconds: z
    .number()
    .int()
    .min(5)
    .max(300)
    .default(5)
    .describe(
      "Seconds between ALB health checks. Defaults to 5 (AWS default 30): with unhealthyThreshold 3 a dead region is out of Global Accelerator's rotation within 15 s.",
    ),
  timeoutSeconds: z
    .number()
    .int()
    .min(2)
    .max(120)
    .default(4)
    .describe("Seconds before a check fails; less than intervalSeconds. Defaults to 4."),
  healthyThreshold: z
    .number()
    .int()
    .min(2)
    .max(10)
    .default(3)
    .describe(
      "Consecutive successes to become healthy. Defaults to 3 (AWS default 5): a recovering target must pass for 15 s, so a flapping one does not flip the region back and forth.",
    ),
  unhealthyThreshold: z
    .number()
    .int()
    .min(2)
    .max(10)
    .default(3)
    .describe("Consecutive failures to become unhealthy. Defaults to 3 (AWS default 2): 3 × 5 s = 15 s to detect."),
  gracePeriodSeconds: z
    .number()
    .int()
    .min(0)
    .max(2147483647)
    .default(60)
    .describe("Seconds ECS ignores failing ALB checks after a task starts. Defaults to 60."),
}).superRefine((h, ctx) =>
  // The matcher has its own refinement; this adds the cross-field rules (timeout below interval).
  addProblems(ctx, targetGroupHealthCheckProblems({ ...h, matcher: undefined })),
);
