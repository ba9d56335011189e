/**
 * The CloudWatch dashboard body of an environment: a header per region, then its services', load balancer's,
 * queue's, cache's, database's and API's metrics with the alarm thresholds drawn in. Plain data in, plain
 * data out, so it is tested without the Pulumi runtime.
 */
import { redisMemberClusterIds } from "./alarms";
import { API_GATEWAY_NAMESPACE, API_LOG_METRIC_NAMESPACE, THROTTLED_REQUESTS_METRIC } from "./api-gateway-logs";
import { regionInfo } from "./regions";

/** What the dashboard shows of one service. */
export interface DashboardService {
  /** Config name, e.g. `backend`. */
  readonly name: string;
  /** ECS service name (`ServiceName` dimension). */
  readonly serviceName: string;
  /** ECS cluster name (`ClusterName` dimension). */
  readonly clusterName: string;
  /** `targetgroup/<name>/<id>` (`TargetGroup` dimension); absent for services not behind the ALB. */
  readonly targetGroupArnSuffix?: string;
  /** The service's scaling minimum, drawn on the running-tasks graph; absent when it has no such alarm. */
  readonly minTasks?: number;
}

/** What the dashboard shows of a region's database. */
export interface DashboardDatabase {
  /** DB instance identifier (`DBInstanceIdentifier` dimension). */
  readonly identifier: string;
  /** Its alarm thresholds, drawn on its graphs. */
  readonly cpuPercent: number;
  readonly freeStorageBytes: number;
  readonly connections: number;
}

/** One region's resolved identifiers, as the dashboard needs them. */
export interface DashboardRegion {
  readonly region: string;
  /** `app/<name>/<id>`: the ALB's `LoadBalancer` dimension. */
  readonly albArnSuffix: string;
  readonly queueName: string;
  readonly dlqName: string;
  readonly redisReplicationGroupId: string;
  readonly services: readonly DashboardService[];
  /** The region's HTTP API id (entry apiGateway); absent behind Global Accelerator. */
  readonly apiId?: string;
  /** Absent when the region has no database. */
  readonly database?: DashboardDatabase;
}

/** Thresholds drawn as horizontal lines, so a graph shows how close a metric is to alarming. */
export interface DashboardThresholds {
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  readonly alb5xxPercent: number;
  readonly queueOldestMessageSeconds: number;
  readonly redisCpuPercent: number;
  readonly redisMemoryPercent: number;
  readonly latencyP95Seconds: number;
  readonly loadBalancer5xxCount: number;
}

type MetricLine = readonly (string | Record<string, unknown>)[];

export interface DashboardWidget {
  readonly type: "metric" | "text";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

export interface DashboardBody {
  readonly widgets: readonly DashboardWidget[];
}

const GRID_WIDTH = 24;
const WIDGET_WIDTH = 8;
const WIDGET_HEIGHT = 6;
const HEADER_HEIGHT = 1;

interface MetricPanel {
  readonly title: string;
  readonly metrics: readonly MetricLine[];
  readonly stat: string;
  readonly thresholds?: readonly {
    readonly label: string;
    readonly value: number;
    readonly yAxis?: "left" | "right";
  }[];
}

function regionPanels(r: DashboardRegion, t: DashboardThresholds): MetricPanel[] {
  const alb = ["LoadBalancer", r.albArnSuffix] as const;
  const redisMembers = redisMemberClusterIds(r.redisReplicationGroupId);
  const balanced = r.services.filter(
    (s): s is DashboardService & { readonly targetGroupArnSuffix: string } => s.targetGroupArnSuffix !== undefined,
  );
  const targetGroupLine = (s: (typeof balanced)[number], metricName: string): MetricLine => [
    "AWS/ApplicationELB",
    metricName,
    "TargetGroup",
    s.targetGroupArnSuffix,
    ...alb,
    { label: s.name },
  ];
  // One line per service of an ECS metric (AWS/ECS, or ECS/ContainerInsights), by cluster and service name.
  const serviceLines = (namespace: string, metricName: string): MetricLine[] =>
    r.services.map((s) => [
      namespace,
      metricName,
      "ClusterName",
      s.clusterName,
      "ServiceName",
      s.serviceName,
      { label: s.name },
    ]);
  return [
    {
      title: "ECS CPU % per service",
      stat: "Average",
      metrics: serviceLines("AWS/ECS", "CPUUtilization"),
      thresholds: [{ label: "CPU alarm", value: t.cpuPercent }],
    },
    {
      title: "ECS memory % per service",
      stat: "Average",
      metrics: serviceLines("AWS/ECS", "MemoryUtilization"),
      thresholds: [{ label: "memory alarm", value: t.memoryPercent }],
    },
    {
      title: "ALB requests",
      stat: "Sum",
      metrics: [["AWS/ApplicationELB", "RequestCount", ...alb, { label: "requests" }]],
    },
    {
      title: "ALB target latency p95 (s)",
      stat: "p95",
      metrics: [
        ["AWS/ApplicationELB", "TargetResponseTime", ...alb, { label: "p95 latency (all)" }],
        ...balanced.map((s) => targetGroupLine(s, "TargetResponseTime")),
      ],
      thresholds: [{ label: "p95 latency alarm (s)", value: t.latencyP95Seconds }],
    },
    {
      title: "ALB 5xx",
      stat: "Sum",
      metrics: [
        ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...alb, { label: "target 5xx" }],
        ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", ...alb, { label: "load balancer 5xx" }],
      ],
      thresholds: [{ label: "load balancer 5xx alarm", value: t.loadBalancer5xxCount }],
    },
    ...apiPanels(r.apiId, t),
    {
      title: "Healthy targets per service",
      stat: "Minimum",
      metrics: balanced.map((s) => targetGroupLine(s, "HealthyHostCount")),
      thresholds: [{ label: "no healthy target (alarm below)", value: 1 }],
    },
    {
      title: "Running tasks per service",
      stat: "Minimum",
      metrics: serviceLines("ECS/ContainerInsights", "RunningTaskCount"),
      thresholds: r.services.flatMap((s) =>
        s.minTasks !== undefined && s.minTasks > 0
          ? [{ label: `${s.name} minimum (alarm below)`, value: s.minTasks }]
          : [],
      ),
    },
    {
      title: "Work queue depth and oldest message (s)",
      stat: "Maximum",
      metrics: [
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", r.queueName, { label: "visible messages" }],
        [
          "AWS/SQS",
          "ApproximateAgeOfOldestMessage",
          "QueueName",
          r.queueName,
          { label: "oldest message age (s)", yAxis: "right" },
        ],
      ],
      thresholds: [{ label: "queue age alarm (s)", value: t.queueOldestMessageSeconds, yAxis: "right" }],
    },
    {
      title: "Dead-letter queue depth",
      stat: "Maximum",
      metrics: [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", r.dlqName, { label: "DLQ messages" }]],
    },
    {
      title: "Redis engine CPU % and memory %",
      stat: "Average",
      metrics: redisMembers.flatMap((id) => [
        ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", id, { label: `${id} engine CPU` }],
        ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", id, { label: `${id} memory` }],
      ]),
      thresholds: [
        { label: "Redis CPU alarm", value: t.redisCpuPercent },
        { label: "Redis memory alarm", value: t.redisMemoryPercent },
      ],
    },
    {
      title: "Redis evictions",
      stat: "Sum",
      metrics: redisMembers.map((id) => [
        "AWS/ElastiCache",
        "Evictions",
        "CacheClusterId",
        id,
        { label: `${id} evictions` },
      ]),
    },
    ...(r.database === undefined ? [] : databasePanels(r.database)),
  ];
}

/** The database's CPU, free storage and connections, each with its alarm level. */
function databasePanels(db: DashboardDatabase): MetricPanel[] {
  const line = (metricName: string, label: string): MetricLine => [
    "AWS/RDS",
    metricName,
    "DBInstanceIdentifier",
    db.identifier,
    { label },
  ];
  return [
    {
      title: "Database CPU %",
      stat: "Average",
      metrics: [line("CPUUtilization", "CPU")],
      thresholds: [{ label: "database CPU alarm", value: db.cpuPercent }],
    },
    {
      title: "Database free storage (bytes)",
      stat: "Minimum",
      metrics: [line("FreeStorageSpace", "free storage")],
      thresholds: [{ label: "free storage alarm (below)", value: db.freeStorageBytes }],
    },
    {
      title: "Database connections",
      stat: "Maximum",
      metrics: [line("DatabaseConnections", "connections")],
      thresholds: [{ label: "connections alarm", value: db.connections }],
    },
  ];
}

/** The HTTP API's panels (entry apiGateway): none without an API. Metric names: lib/api-gateway-logs.ts. */
function apiPanels(apiId: string | undefined, t: DashboardThresholds): MetricPanel[] {
  if (apiId === undefined) return [];
  const api = ["ApiId", apiId] as const;
  return [
    {
      title: "HTTP API requests, 4xx, 5xx and throttled (429)",
      stat: "Sum",
      metrics: [
        [API_GATEWAY_NAMESPACE, "Count", ...api, { label: "requests" }],
        [API_GATEWAY_NAMESPACE, "4xx", ...api, { label: "4xx" }],
        [API_GATEWAY_NAMESPACE, "5xx", ...api, { label: "5xx" }],
        [API_LOG_METRIC_NAMESPACE, THROTTLED_REQUESTS_METRIC, ...api, { label: "throttled (429)" }],
      ],
    },
    {
      title: "HTTP API latency p95 (ms)",
      stat: "p95",
      metrics: [
        [API_GATEWAY_NAMESPACE, "Latency", ...api, { label: "p95 latency" }],
        [API_GATEWAY_NAMESPACE, "IntegrationLatency", ...api, { label: "p95 integration latency" }],
      ],
      thresholds: [{ label: "p95 latency alarm (ms)", value: t.latencyP95Seconds * 1000 }],
    },
  ];
}

/**
 * The environment's dashboard: for each region a header, then ECS CPU and memory per service, ALB
 * requests, p95 latency (whole ALB and per service), 5xx (target and load balancer), healthy targets and
 * running tasks per service, queue depth, DLQ depth, the HTTP API (entry apiGateway), Redis and, with a
 * database, its CPU, free storage and connections. Every widget carries its own `region`
 * (one dashboard shows all regions) and names the region in its title.
 */
export function dashboardBody(
  environment: string,
  regions: readonly DashboardRegion[],
  thresholds: DashboardThresholds,
  periodSeconds: number,
): DashboardBody {
  const widgets: DashboardWidget[] = [];
  let y = 0;
  for (const r of regions) {
    const place = regionInfo(r.region).displayName;
    widgets.push({
      type: "text",
      x: 0,
      y,
      width: GRID_WIDTH,
      height: HEADER_HEIGHT,
      properties: { markdown: `## Helium ${environment}: ${place} (${r.region})` },
    });
    y += HEADER_HEIGHT;
    // A region without services has no ECS lines; PutDashboard rejects a metric widget without metrics.
    const panels = regionPanels(r, thresholds).filter((panel) => panel.metrics.length > 0);
    panels.forEach((panel, i) => {
      const column = i % (GRID_WIDTH / WIDGET_WIDTH);
      const row = Math.floor(i / (GRID_WIDTH / WIDGET_WIDTH));
      widgets.push({
        type: "metric",
        x: column * WIDGET_WIDTH,
        y: y + row * WIDGET_HEIGHT,
        width: WIDGET_WIDTH,
        height: WIDGET_HEIGHT,
        properties: {
          title: `${place} (${r.region}): ${panel.title}`,
          region: r.region,
          view: "timeSeries",
          stacked: false,
          stat: panel.stat,
          period: periodSeconds,
          metrics: panel.metrics,
          ...(panel.thresholds && panel.thresholds.length > 0
            ? {
                annotations: {
                  horizontal: panel.thresholds.map((h) => ({
                    label: h.label,
                    value: h.value,
                    ...(h.yAxis ? { yAxis: h.yAxis } : {}),
                  })),
                },
              }
            : {}),
        },
      });
    });
    y += Math.ceil(panels.length / (GRID_WIDTH / WIDGET_WIDTH)) * WIDGET_HEIGHT;
  }
  return { widgets };
}
