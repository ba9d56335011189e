/**
 * Pure helpers of the Grafana provisioning: the service-account token's lifetime and rotation, data-source
 * identifiers, and the Helium dashboard as Grafana's JSON model. Plain data in, plain data out.
 */
import { type DashboardRegion, type DashboardService, type DashboardThresholds } from "./dashboard";
import { regionInfo } from "./regions";

/**
 * Lifetime of the provisioning token: 30 days, the longest CreateWorkspaceServiceAccountToken allows
 * ("You can set the time up to 30 days in the future",
 * https://docs.aws.amazon.com/grafana/latest/APIReference/API_CreateWorkspaceServiceAccountToken.html).
 */
export const GRAFANA_TOKEN_SECONDS_TO_LIVE = 30 * 24 * 60 * 60;

/**
 * Tokens are rotated every 14 days: the token's name carries the 14-day window it was made in, and a
 * token cannot be updated (any change replaces it), so the first `pulumi up` in a new window makes a new
 * token before deleting the old one. Any token in use then has at least 16 of its 30 days left, and an
 * expired token always belongs to an older window, so `pulumi up` replaces it instead of failing with it.
 */
export const GRAFANA_TOKEN_ROTATION_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Start (UTC midnight) of the rotation window `now` falls in; windows are counted from 1970-01-01. */
export function grafanaTokenWindowStart(now: Date): Date {
  const windowMs = GRAFANA_TOKEN_ROTATION_DAYS * DAY_MS;
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/** `pulumi-<window start, yyyy-mm-dd>`: unique per window (token names are unique per workspace, ≤ 128). */
export function grafanaTokenName(now: Date): string {
  return `pulumi-${grafanaTokenWindowStart(now).toISOString().slice(0, 10)}`;
}

export type GrafanaDataSourceKind = "cloudwatch" | "xray";

/** Grafana plugin id of each data source kind. */
export const GRAFANA_DATA_SOURCE_TYPES: Readonly<Record<GrafanaDataSourceKind, string>> = {
  cloudwatch: "cloudwatch",
  xray: "grafana-x-ray-datasource",
};

/** `helium-<kind>-<region short>`: a fixed uid, so the dashboard can refer to it (uids are ≤ 40 characters). */
export function grafanaDataSourceUid(kind: GrafanaDataSourceKind, region: string): string {
  return `helium-${kind}-${regionInfo(region).short}`;
}

/** `CloudWatch Mumbai (ap-south-1)`: what people pick in Grafana's data-source list. */
export function grafanaDataSourceName(kind: GrafanaDataSourceKind, region: string): string {
  return `${kind === "cloudwatch" ? "CloudWatch" : "X-Ray"} ${regionInfo(region).displayName} (${region})`;
}

/** One query of a panel, in the CloudWatch or X-Ray data source's model. */
type GrafanaTarget = Record<string, unknown> & { readonly refId: string };

export interface GrafanaPanel {
  readonly id: number;
  readonly type: "row" | "timeseries" | "table";
  readonly title: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: readonly GrafanaTarget[];
  readonly fieldConfig?: Record<string, unknown>;
  readonly collapsed?: boolean;
}

export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly timezone: string;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly schemaVersion: number;
  readonly panels: readonly GrafanaPanel[];
}

interface MetricQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: string;
  readonly label: string;
}

interface PanelSpec {
  readonly title: string;
  readonly queries: readonly MetricQuery[];
  /** Alarm threshold drawn as a red line. */
  readonly threshold?: number;
  readonly unit?: string;
}

const GRID_WIDTH = 24;
const PANEL_WIDTH = 8;
const PANEL_HEIGHT = 8;
const ROW_HEIGHT = 1;

function regionPanelSpecs(r: DashboardRegion, t: DashboardThresholds): PanelSpec[] {
  const alb = { LoadBalancer: r.albArnSuffix };
  const balanced = r.services.filter(
    (s): s is DashboardService & { readonly targetGroupArnSuffix: string } => s.targetGroupArnSuffix !== undefined,
  );
  const perTargetGroup = (metricName: string, statistic: string) =>
    balanced.map((s) => ({
      namespace: "AWS/ApplicationELB",
      metricName,
      dimensions: { TargetGroup: s.targetGroupArnSuffix, ...alb },
      statistic,
      label: s.name,
    }));
  const perService = (namespace: string, metricName: string, statistic: string) =>
    r.services.map((s) => ({
      namespace,
      metricName,
      dimensions: { ClusterName: s.clusterName, ServiceName: s.serviceName },
      statistic,
      label: s.name,
    }));
  const elb = (metricName: string, label: string) => ({
    namespace: "AWS/ApplicationELB",
    metricName,
    dimensions: alb,
    statistic: "Sum",
    label,
  });
  const sqs = (queueName: string, metricName: string, label: string) => ({
    namespace: "AWS/SQS",
    metricName,
    dimensions: { QueueName: queueName },
    statistic: "Maximum",
    label,
  });
  return [
    {
      title: "Requests and 5xx",
      queries: [
        elb("RequestCount", "requests"),
        elb("HTTPCode_Target_5XX_Count", "target 5xx"),
        elb("HTTPCode_ELB_5XX_Count", "load balancer 5xx"),
      ],
    },
    {
      title: "p95 latency per service",
      queries: perTargetGroup("TargetResponseTime", "p95"),
      threshold: t.latencyP95Seconds,
      unit: "s",
    },
    { title: "Healthy targets per service", queries: perTargetGroup("HealthyHostCount", "Minimum"), threshold: 1 },
    { title: "Running tasks per service", queries: perService("ECS/ContainerInsights", "RunningTaskCount", "Minimum") },
    {
      title: "CPU % per service",
      queries: perService("AWS/ECS", "CPUUtilization", "Average"),
      threshold: t.cpuPercent,
      unit: "percent",
    },
    {
      title: "Memory % per service",
      queries: perService("AWS/ECS", "MemoryUtilization", "Average"),
      threshold: t.memoryPercent,
      unit: "percent",
    },
    {
      title: "Work queue: oldest message (s)",
      queries: [sqs(r.queueName, "ApproximateAgeOfOldestMessage", "oldest message")],
      threshold: t.queueOldestMessageSeconds,
      unit: "s",
    },
    {
      title: "Dead-letter queue depth",
      queries: [sqs(r.dlqName, "ApproximateNumberOfMessagesVisible", "DLQ messages")],
      threshold: 0,
    },
    ...(r.database === undefined
      ? []
      : [
          {
            title: "Database CPU %",
            queries: [rds(r.database.identifier, "CPUUtilization", "Average", "CPU")],
            threshold: r.database.cpuPercent,
            unit: "percent",
          },
          {
            title: "Database connections",
            queries: [rds(r.database.identifier, "DatabaseConnections", "Maximum", "connections")],
            threshold: r.database.connections,
          },
        ]),
  ];
}

function rds(identifier: string, metricName: string, statistic: string, label: string) {
  return { namespace: "AWS/RDS", metricName, dimensions: { DBInstanceIdentifier: identifier }, statistic, label };
}

/** A threshold as Grafana draws it: green below, a red line at the alarm level. */
function thresholdField(threshold: number | undefined, unit: string | undefined): Record<string, unknown> {
  return {
    defaults: {
      ...(unit !== undefined ? { unit } : {}),
      ...(threshold !== undefined
        ? {
            thresholds: {
              mode: "absolute",
              steps: [
                { color: "green", value: null },
                { color: "red", value: threshold },
              ],
            },
            custom: { thresholdsStyle: { mode: "line" } },
          }
        : {}),
    },
    overrides: [],
  };
}

/**
 * The Helium dashboard for Grafana: per region a row, then requests and 5xx, p95 latency, healthy targets,
 * running tasks, CPU and memory per service, queue age, DLQ depth (from that region's CloudWatch data
 * source) and recent traces matching `traceFilter` (from its X-Ray data source). Panels with no query (a
 * region without services) are left out.
 */
export function grafanaDashboard(
  environment: string,
  regions: readonly DashboardRegion[],
  thresholds: DashboardThresholds,
  periodSeconds: number,
  traceFilter: string,
): GrafanaDashboard {
  const panels: GrafanaPanel[] = [];
  let id = 0;
  let y = 0;
  for (const r of regions) {
    const place = `${regionInfo(r.region).displayName} (${r.region})`;
    panels.push({
      id: ++id,
      type: "row",
      title: place,
      collapsed: false,
      gridPos: { x: 0, y, w: GRID_WIDTH, h: ROW_HEIGHT },
    });
    y += ROW_HEIGHT;
    const cloudwatch = {
      type: GRAFANA_DATA_SOURCE_TYPES.cloudwatch,
      uid: grafanaDataSourceUid("cloudwatch", r.region),
    };
    const xray = { type: GRAFANA_DATA_SOURCE_TYPES.xray, uid: grafanaDataSourceUid("xray", r.region) };
    const specs = regionPanelSpecs(r, thresholds).filter((spec) => spec.queries.length > 0);
    const perRow = GRID_WIDTH / PANEL_WIDTH;
    const cell = (i: number) => ({
      x: (i % perRow) * PANEL_WIDTH,
      y: y + Math.floor(i / perRow) * PANEL_HEIGHT,
      w: PANEL_WIDTH,
      h: PANEL_HEIGHT,
    });
    specs.forEach((spec, i) => {
      panels.push({
        id: ++id,
        type: "timeseries",
        title: `${place}: ${spec.title}`,
        datasource: cloudwatch,
        gridPos: cell(i),
        fieldConfig: thresholdField(spec.threshold, spec.unit),
        targets: spec.queries.map((q, j) => ({
          refId: String.fromCharCode(65 + j),
          datasource: cloudwatch,
          queryMode: "Metrics",
          metricQueryType: 0,
          metricEditorMode: 0,
          region: "default",
          namespace: q.namespace,
          metricName: q.metricName,
          dimensions: q.dimensions,
          statistic: q.statistic,
          period: String(periodSeconds),
          matchExact: true,
          label: q.label,
          id: "",
          expression: "",
        })),
      });
    });
    panels.push({
      id: ++id,
      type: "table",
      title: `${place}: recent traces`,
      datasource: xray,
      gridPos: { ...cell(specs.length), w: GRID_WIDTH - cell(specs.length).x },
      targets: [
        { refId: "A", datasource: xray, queryType: "getTraceSummaries", query: traceFilter, region: "default" },
      ],
    });
    y += Math.ceil((specs.length + 1) / perRow) * PANEL_HEIGHT;
  }
  return {
    uid: `helium-${environment}`,
    title: `Helium ${environment}`,
    tags: ["helium", environment],
    timezone: "browser",
    refresh: "1m",
    time: { from: "now-6h", to: "now" },
    schemaVersion: 39,
    panels,
  };
}
