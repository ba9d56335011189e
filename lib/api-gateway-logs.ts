/**
 * What the API Gateway entry's access logs hold, and the metric Helium derives from them. Shared by the
 * component that writes the logs (components/edge/RegionalHttpApi.ts) and the alarms and dashboard that read
 * the metric (components/observability/*, lib/alarms.ts), so the two cannot drift.
 *
 * HTTP APIs publish `4xx`, `5xx`, `Count`, `Latency`, `IntegrationLatency` and `DataProcessed` by `ApiId`
 * (and `Stage`), but no throttling metric ("Monitor CloudWatch metrics for HTTP APIs":
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html). Throttled requests
 * are answered 429, so a metric filter on the access logs counts them.
 */

/** Namespace of the metrics Helium derives from API Gateway access logs. */
export const API_LOG_METRIC_NAMESPACE = "Helium/ApiGateway";
/** Requests answered 429 Too Many Requests (stage throttling), by `ApiId`. */
export const THROTTLED_REQUESTS_METRIC = "ThrottledRequests";
/** Namespace of API Gateway's own metrics. */
export const API_GATEWAY_NAMESPACE = "AWS/ApiGateway";

/**
 * The access-log line: JSON with HTTP API context variables ("Customize HTTP API access logs":
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html). `status`
 * is written as a number so the metric filter can compare it; `apiId` becomes the metric's dimension.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  apiId: "$context.apiId",
  domainName: "$context.domainName",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  routeKey: "$context.routeKey",
  path: "$context.path",
  protocol: "$context.protocol",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationStatus: "$context.integrationStatus",
  integrationLatency: "$context.integrationLatency",
  errorMessage: "$context.error.message",
  authorizerError: "$context.authorizer.error",
}).replace('"status":"$context.status"', '"status":$context.status');

/** CloudWatch Logs filter pattern of a throttled request in {@link ACCESS_LOG_FORMAT}. */
export const THROTTLED_FILTER_PATTERN = "{ $.status = 429 }";
