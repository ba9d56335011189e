/**
 * The alarms of one region's HTTP API (entry apiGateway): what users of that entry feel first.
 *
 * - `api-5xx-rate`: 5xx responses as a share of requests above `alerts.alb5xxPercent` (the same error budget
 *   as the ALB's: the API's 5xx include every ALB 5xx plus the API's own, such as an unreachable VPC link);
 * - `api-latency-p95`: p95 `Latency` (ms: client to API Gateway and back, integration included) above
 *   `alerts.latencyP95Seconds`;
 * - `api-throttled`: requests answered 429 by stage throttling above the configured count per period, from
 *   the access logs' metric filter (HTTP APIs publish no throttling metric; lib/api-gateway-logs.ts).
 *
 * Each notifies on ALARM and again on OK, the recovery notice.
 */
import { API_GATEWAY_NAMESPACE, API_LOG_METRIC_NAMESPACE, THROTTLED_REQUESTS_METRIC } from "../../lib/api-gateway-logs";
import { type RegionAlarmContext, alarm, errorRateAlarm, sustained, window } from "./alarms";
import type { ObservedApi } from "./types";

/** API Gateway reports `Latency` in milliseconds. */
const MS_PER_SECOND = 1000;

/** The HTTP API's 5xx-rate, latency and throttling alarms. */
export function apiAlarms(context: RegionAlarmContext, api: ObservedApi): void {
  const { alerts, region } = context;
  const env = context.scope.environment;
  const dimensions = { ApiId: api.apiId };
  errorRateAlarm(context, "api-5xx-rate", {
    namespace: API_GATEWAY_NAMESPACE,
    dimensions,
    errors: "5xx",
    requests: "Count",
    label: "API 5xx % of requests",
    alarmDescription: `Helium ${env} HTTP API in ${region}: 5xx above ${alerts.alb5xxPercent}% of requests for ${window(alerts)}. An OK notice follows when it is back under.`,
  });
  alarm(context, "api-latency-p95", {
    ...sustained(alerts),
    alarmDescription: `Helium ${env} HTTP API in ${region}: p95 latency above ${alerts.latencyP95Seconds}s for ${window(alerts)}. An OK notice follows when it is back under.`,
    namespace: API_GATEWAY_NAMESPACE,
    metricName: "Latency",
    dimensions,
    extendedStatistic: "p95",
    comparisonOperator: "GreaterThanThreshold",
    threshold: alerts.latencyP95Seconds * MS_PER_SECOND,
    evaluateLowSampleCountPercentiles: "ignore",
    treatMissingData: "notBreaching",
  });
  alarm(context, "api-throttled", {
    ...sustained(alerts),
    alarmDescription: `Helium ${env} HTTP API in ${region}: more than ${api.throttledRequestsThreshold} requests per ${alerts.periodSeconds}s answered 429 by stage throttling for ${window(alerts)} (raise helium:apiGateway.throttlingRateLimit/BurstLimit or find the caller). An OK notice follows when it stops.`,
    namespace: API_LOG_METRIC_NAMESPACE,
    metricName: THROTTLED_REQUESTS_METRIC,
    dimensions,
    statistic: "Sum",
    comparisonOperator: "GreaterThanThreshold",
    threshold: api.throttledRequestsThreshold,
    // The metric filter writes a datapoint only for a throttled request.
    treatMissingData: "notBreaching",
  });
}
