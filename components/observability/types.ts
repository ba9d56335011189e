/**
 * What Observability takes and gives, as plain structural types. HeliumRegion and HeliumService satisfy the
 * inputs without importing this module, and the component's modules share them without import cycles.
 */
import type * as aws from "../../lib/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { AlertsModel, GrafanaModel, TracingModel } from "../../model/types/observability";

/** What Observability needs of a watched ECS service; HeliumService satisfies it structurally. */
export interface ObservedService {
  /** Config name of the service, e.g. `backend`; part of alarm names. */
  readonly name: string;
  /** ECS service name: the `ServiceName` dimension. */
  readonly serviceName: pulumi.Input<string>;
  /** ECS cluster name: the `ClusterName` dimension. */
  readonly clusterName: pulumi.Input<string>;
  /**
   * `targetgroup/<name>/<id>` of the service's ALB target group: the `TargetGroup` dimension. Present only
   * for services behind the ALB (not the worker); the target-group alarms (unhealthy targets, no healthy
   * target, p95 latency) exist only when it is set. Typed without `undefined` on purpose: an Output that
   * resolved to undefined would make an alarm that never sees data.
   */
  readonly targetGroupArnSuffix?: pulumi.Input<string>;
  /**
   * The service's scaling minimum (the model's `scaling.min`): an alarm fires while fewer tasks run
   * (Container Insights `RunningTaskCount`). Defaults to none: no running-tasks alarm; 0 means the same.
   */
  readonly minTasks?: number;
}

/** What Observability needs of a region's database (RegionDatabase satisfies it structurally). */
export interface ObservedDatabase {
  /** The DB instance identifier: the `DBInstanceIdentifier` dimension of AWS/RDS metrics. */
  readonly identifier: pulumi.Input<string>;
  /** Thresholds, resolved from `helium:database.alarms` (model/types/database.ts DatabaseAlarmsModel). */
  readonly alarms: {
    /** Average CPUUtilization, percent (0-100). */
    readonly cpuPercent: number;
    /** FreeStorageSpace in bytes below which the alarm fires (more than 0). */
    readonly freeStorageBytes: number;
    /** DatabaseConnections above which the alarm fires (1 or more). */
    readonly connections: number;
  };
}

/** What Observability needs of a region's foundation (HeliumRegion satisfies it structurally). */
export interface ObservedRegionResources {
  /** AWS region code, e.g. `ap-south-1`. */
  readonly region: string;
  /** The region's customer-managed KMS key: it encrypts the alert topic. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** `app/<name>/<id>`: the ALB's `LoadBalancer` dimension. */
  readonly albArnSuffix: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  /** The work queue (`QueueName` dimension). */
  readonly queueName: pulumi.Input<string>;
  /** The work queue's dead-letter queue. */
  readonly dlqName: pulumi.Input<string>;
  /** The Redis/Valkey replication group; its member cache clusters are watched. */
  readonly redisReplicationGroupId: pulumi.Input<string>;
  /** The region's PostgreSQL: alarms and dashboard widgets. Defaults to none (the region has no database). */
  readonly database?: ObservedDatabase;
}

/** The region's HTTP API (entry apiGateway); RegionalHttpApi provides `apiId`. */
export interface ObservedApi {
  /** The `ApiId` dimension of API Gateway's metrics and of the throttled-requests metric (lib/api-gateway-logs.ts). */
  readonly apiId: pulumi.Input<string>;
  /** Throttled (429) requests per period above which the throttling alarm fires; 0 or more. */
  readonly throttledRequestsThreshold: number;
}

export interface ObservedRegion {
  /** The region's foundation: its KMS key encrypts the alert topic; its ALB, queues and cache are watched. */
  readonly region: ObservedRegionResources;
  /** ECS services running in the region. Defaults to none (region-level alarms only). */
  readonly services?: readonly ObservedService[];
  /**
   * The region's HTTP API (entry apiGateway): 5xx rate, p95 latency and throttling alarms and dashboard
   * widgets. Defaults to none (entry accelerator).
   */
  readonly api?: ObservedApi;
}

/** Resolved Grafana settings: the config plus the workspace region the resolve step chose. */
export type ObservabilityGrafanaSettings = GrafanaModel & {
  /**
   * Region of the workspace. Defaults to `grafana.region`, else the first of `regions` that offers Managed
   * Grafana (config/observability.ts `grafanaRegionFor`). Ignored when `enabled` is false.
   */
  readonly workspaceRegion?: string;
};

/**
 * Arguments of {@link Observability}: already-resolved, already-defaulted data (model/types/observability.ts
 * `ObservabilityModel` carries exactly `alerts`, `grafana` and `tracing`). The constructor checks them with
 * `observabilityProblems` and registers nothing when any is wrong.
 */
export interface ObservabilityArgs {
  /**
   * Environment watched, e.g. `production`, `staging`, `dev`: part of every name outside production. Any
   * name the config accepts (1-20 lower-case letters, digits and single hyphens, starting with a letter).
   */
  readonly environment: string;
  /** Regions of the environment, home region first (the dashboard lives there). At least one; no duplicates. */
  readonly regions: readonly ObservedRegion[];
  /** Thresholds, periods and subscribers (config/observability.ts `alertsSchema`, defaults applied). */
  readonly alerts: AlertsModel;
  /** Managed Grafana workspace (config/observability.ts `grafanaSchema`, defaults applied). */
  readonly grafana: ObservabilityGrafanaSettings;
  /** X-Ray sampling rule and group (config/observability.ts `tracingSchema`, defaults applied). */
  readonly tracing: TracingModel;
  /**
   * The moment that picks the Grafana token's rotation window (lib/grafana.ts). Defaults to the time the
   * program runs; tests pin it so names are stable.
   */
  readonly now?: Date;
}

/** One region's topic and alarms, for stack outputs and tests. */
export interface RegionAlerting {
  readonly topicArn: pulumi.Output<string>;
  /** Alarms by `<kind>` (region-level) or `<service>/<kind>` (per service). */
  readonly alarms: Readonly<Record<string, aws.cloudwatch.MetricAlarm>>;
}
