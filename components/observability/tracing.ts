/**
 * X-Ray sampling rule and group per region. X-Ray is regional (each daemon reads the rules of its own
 * region), so the environment's rule and group exist in each of its regions. Nothing here may write traces:
 * the task role of HeliumService stays the only write path.
 */
import * as aws from "../../lib/aws";
import type { TracingModel } from "../../model/types/observability";
import { type ObservabilityScope, environmentResourceName, regionPrefix } from "./names";

/** Sampling-rule priority: 1 is evaluated first; leaves room for more specific rules in front. */
export const SAMPLING_RULE_PRIORITY = 100;

/** The X-Ray group's filter: `tracing.groupFilterExpression`, else the app's environment annotation. */
export function traceFilterExpression(environment: string, tracing: TracingModel): string {
  return tracing.groupFilterExpression ?? `annotation.environment = "${environment}"`;
}

/** The environment's sampling rule and trace group in `region`. */
export function regionTracing(scope: ObservabilityScope, region: string, tracing: TracingModel): void {
  const prefix = regionPrefix(scope, region);
  const tracingName = environmentResourceName(scope.environment);
  new aws.xray.SamplingRule(
    `${prefix}-sampling`,
    {
      region,
      ruleName: tracingName,
      priority: SAMPLING_RULE_PRIORITY,
      version: 1,
      reservoirSize: tracing.reservoirPerSecond,
      fixedRate: tracing.samplingRate,
      serviceName: tracing.serviceName,
      serviceType: "*",
      host: "*",
      httpMethod: "*",
      urlPath: "*",
      resourceArn: "*",
    },
    { parent: scope.parent },
  );
  new aws.xray.Group(
    `${prefix}-trace-group`,
    {
      region,
      groupName: tracingName,
      filterExpression: traceFilterExpression(scope.environment, tracing),
      insightsConfiguration: { insightsEnabled: true, notificationsEnabled: false },
    },
    { parent: scope.parent },
  );
}
