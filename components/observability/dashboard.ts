/**
 * One CloudWatch dashboard per environment, in the home region, with widgets for every region (each widget
 * carries its own `region`). The body is built by lib/alarms.ts `dashboardBody` from resolved identifiers.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlertsModel } from "../../model/types/observability";
import { type DashboardRegion, type DashboardThresholds, dashboardBody } from "../../lib/dashboard";
import { type ObservabilityScope, environmentResourceName } from "./names";
import type { ObservedRegion } from "./types";

/** One region's identifiers, resolved, as the dashboards need them. */
export function resolveDashboardRegion(observed: ObservedRegion): pulumi.Output<DashboardRegion> {
  const services = pulumi.all(
    (observed.services ?? []).map((s) =>
      pulumi
        .all([s.serviceName, s.clusterName, s.targetGroupArnSuffix])
        .apply(([serviceName, clusterName, targetGroupArnSuffix]) => ({
          name: s.name,
          serviceName,
          clusterName,
          ...(targetGroupArnSuffix !== undefined ? { targetGroupArnSuffix } : {}),
          ...(s.minTasks !== undefined ? { minTasks: s.minTasks } : {}),
        })),
    ),
  );
  const r = observed.region;
  const database = r.database;
  return pulumi
    .all([
      r.albArnSuffix,
      r.queueName,
      r.dlqName,
      r.redisReplicationGroupId,
      services,
      observed.api?.apiId,
      database?.identifier,
    ])
    .apply(
      ([albArnSuffix, queueName, dlqName, redisReplicationGroupId, resolvedServices, apiId, databaseIdentifier]) => ({
        region: r.region,
        albArnSuffix,
        queueName,
        dlqName,
        redisReplicationGroupId,
        services: resolvedServices,
        ...(apiId !== undefined ? { apiId } : {}),
        ...(database !== undefined && databaseIdentifier !== undefined
          ? { database: { identifier: databaseIdentifier, ...database.alarms } }
          : {}),
      }),
    );
}

/** The alarm thresholds a dashboard draws as horizontal lines. */
export function dashboardThresholds(alerts: AlertsModel): DashboardThresholds {
  return {
    cpuPercent: alerts.cpu.thresholdPercent,
    memoryPercent: alerts.memory.thresholdPercent,
    alb5xxPercent: alerts.alb5xxPercent,
    queueOldestMessageSeconds: alerts.queueOldestMessageSeconds,
    redisCpuPercent: alerts.redisCpuPercent,
    redisMemoryPercent: alerts.redisMemoryPercent,
    latencyP95Seconds: alerts.latencyP95Seconds,
    loadBalancer5xxCount: alerts.loadBalancer5xxCount,
  };
}

/** The environment's CloudWatch dashboard in `homeRegion`; returns its name. */
export function cloudWatchDashboard(
  scope: ObservabilityScope,
  homeRegion: string,
  regions: readonly ObservedRegion[],
  alerts: AlertsModel,
): pulumi.Output<string> {
  const resolved = pulumi.all(regions.map(resolveDashboardRegion));
  const dashboard = new aws.cloudwatch.Dashboard(
    `${scope.name}-dashboard`,
    {
      region: homeRegion,
      dashboardName: environmentResourceName(scope.environment),
      dashboardBody: resolved.apply((all) =>
        JSON.stringify(dashboardBody(scope.environment, all, dashboardThresholds(alerts), alerts.periodSeconds)),
      ),
    },
    { parent: scope.parent },
  );
  return dashboard.dashboardName;
}
