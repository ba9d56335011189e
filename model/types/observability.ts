/**
 * The resolved model (alerts, Grafana and tracing of an environment): what the Observability component
 * reads, with every default applied. Declared here rather than taken from the zod schemas
 * (config/observability.ts) so components depend on the model only; the resolve step assigns the parsed
 * config to these types, so the compiler keeps both in step.
 */

/** An alarm on average utilisation, with the level its recovery notice fires below. */
export interface UtilisationAlarmModel {
  readonly thresholdPercent: number;
  /** Below `thresholdPercent`. */
  readonly recoveryPercent: number;
}

/** Alarm thresholds and the addresses alerted (config `helium:alerts`). */
export interface AlertsModel {
  readonly emails: readonly string[];
  readonly cpu: UtilisationAlarmModel;
  readonly memory: UtilisationAlarmModel;
  /** Metric period of every alarm, seconds (a multiple of 60). */
  readonly periodSeconds: number;
  /** Periods in breach before alarming. */
  readonly evaluationPeriods: number;
  readonly alb5xxPercent: number;
  /** ELB-generated 5xx responses per period, per region. */
  readonly loadBalancer5xxCount: number;
  readonly latencyP95Seconds: number;
  readonly queueOldestMessageSeconds: number;
  readonly redisCpuPercent: number;
  readonly redisMemoryPercent: number;
}

/** The Managed Grafana workspace (config `helium:grafana`). */
export interface GrafanaModel {
  readonly enabled: boolean;
  /** Data sources, dashboard and service account as code. */
  readonly provision: boolean;
  readonly adminUserIds: readonly string[];
  readonly adminGroupIds: readonly string[];
  /** Configured workspace region; absent: the first environment region that offers Managed Grafana. */
  readonly region?: string;
}

/** X-Ray sampling and group (config `helium:tracing`). */
export interface TracingModel {
  readonly samplingRate: number;
  readonly reservoirPerSecond: number;
  readonly serviceName: string;
  /** Absent: `annotation.environment = "<environment>"`. */
  readonly groupFilterExpression?: string;
}

export interface ObservabilityModel {
  readonly alerts: AlertsModel;
  readonly grafana: GrafanaModel & { readonly workspaceRegion?: string };
  readonly tracing: TracingModel;
}
