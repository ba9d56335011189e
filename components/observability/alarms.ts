/**
 * The alarms of one region. Every alarm notifies the region's own topic, on ALARM and again on OK (the OK
 * message is the recovery notice), except the seed's CPU and memory recovery notices, which are alarms of
 * their own (see below).
 *
 * - Per service: CPU and memory with recovery notices; running tasks below the service's minimum.
 * - Per load-balanced service (target group): unhealthy targets, no healthy target, p95 latency.
 * - Per region: ALB target 5xx rate, 5xx the ALB produced itself, DLQ, queue age, Redis; with a database,
 *   its CPU, free storage and connections.
 *
 * The service and load-balancer alarms are the ones users feel: errors, slowness, nothing serving.
 *
 * Logical names are `<component>-<region short>-<key with "/" as "-">` and physical names
 * `helium-<key with "/" as "-">[-<env>]-<region short>`, so an alarm's key, URN and name follow one rule.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlertsModel } from "../../model/types/observability";
import { MAX_REDIS_MEMBERS, TARGET_5XX_RATE_EXPRESSION, redisMemberClusterIds } from "../../lib/alarms";
import { type ObservabilityScope, observabilityAlarmName, regionPrefix } from "./names";
import type { ObservedDatabase, ObservedRegionResources, ObservedService } from "./types";

/** What every alarm of one region shares. */
export interface RegionAlarmContext {
  readonly scope: ObservabilityScope;
  readonly region: string;
  readonly alerts: AlertsModel;
  /** The region's alert topic: alarm actions must target a topic in the alarm's own region. */
  readonly topicArn: pulumi.Input<string>;
  /** Alarms created so far, by key; each builder adds its own. */
  readonly alarms: Record<string, aws.cloudwatch.MetricAlarm>;
}

type AlarmSpec = Omit<aws.cloudwatch.MetricAlarmArgs, "region" | "name" | "alarmActions" | "okActions">;

/**
 * Registers one alarm under `key`. Alarms notify on ALARM and on OK (the OK message is the all-clear),
 * except recovery notices: they are news only when entering ALARM.
 */
export function alarm(
  context: RegionAlarmContext,
  key: string,
  spec: AlarmSpec,
  notices: "alarm-and-ok" | "alarm-only" = "alarm-and-ok",
): void {
  const thing = key.replace("/", "-");
  const notify = [context.topicArn];
  context.alarms[key] = new aws.cloudwatch.MetricAlarm(
    `${regionPrefix(context.scope, context.region)}-${thing}`,
    {
      region: context.region,
      name: observabilityAlarmName(context.scope.environment, context.region, thing),
      ...spec,
      alarmActions: notify,
      ...(notices === "alarm-and-ok" ? { okActions: notify } : {}),
    },
    { parent: context.scope.parent },
  );
}

/** Evaluation window of an alarm on a sustained breach: every one of the last N periods breaching. */
export function sustainedWindow(alerts: AlertsModel) {
  return { evaluationPeriods: alerts.evaluationPeriods, datapointsToAlarm: alerts.evaluationPeriods };
}

/**
 * The same, for an alarm on one metric, which states its period at the top level. Metric-math alarms must
 * not: the provider rejects `period` next to `metricQueries` ("If you specify at least one `metricQuery`,
 * you may not specify a `metricName`, `namespace`, `period` or `statistic`", aws.cloudwatch.MetricAlarm);
 * their period is each query's `metric.period`.
 */
export function sustained(alerts: AlertsModel) {
  return { period: alerts.periodSeconds, ...sustainedWindow(alerts) };
}

/** `<N> × <period>s`: how long a breach must last, for alarm descriptions. */
export function window(alerts: AlertsModel): string {
  return `${alerts.evaluationPeriods} × ${alerts.periodSeconds}s`;
}

/** Where a 5xx-rate alarm reads its two counts: Sum metrics of one namespace with the same dimensions. */
export interface ErrorRateSource {
  readonly namespace: string;
  readonly dimensions: Record<string, pulumi.Input<string>>;
  /** Metric counting 5xx responses. */
  readonly errors: string;
  /** Metric counting requests. */
  readonly requests: string;
  /** Label of the rate series. */
  readonly label: string;
  readonly alarmDescription: string;
}

/**
 * Registers `key`: 5xx responses as a share of requests (TARGET_5XX_RATE_EXPRESSION) above
 * `alerts.alb5xxPercent` for the sustained window. The ALB's and the HTTP API's share it: one error budget.
 */
export function errorRateAlarm(context: RegionAlarmContext, key: string, source: ErrorRateSource): void {
  const { alerts } = context;
  const metric = (metricName: string) => ({
    namespace: source.namespace,
    metricName,
    dimensions: source.dimensions,
    period: alerts.periodSeconds,
    stat: "Sum",
  });
  alarm(context, key, {
    ...sustainedWindow(alerts),
    alarmDescription: source.alarmDescription,
    metricQueries: [
      { id: "errors", metric: metric(source.errors), returnData: false },
      { id: "requests", metric: metric(source.requests), returnData: false },
      { id: "rate", expression: TARGET_5XX_RATE_EXPRESSION, label: source.label, returnData: true },
    ],
    comparisonOperator: "GreaterThanThreshold",
    threshold: alerts.alb5xxPercent,
    // No requests in a period: no rate, and no evidence of errors.
    treatMissingData: "notBreaching",
  });
}

/** A service's CPU and memory alarms with recovery notices, and its unhealthy-targets alarm when balanced. */
export function serviceAlarms(
  context: RegionAlarmContext,
  resources: ObservedRegionResources,
  service: ObservedService,
): void {
  const { alerts, region } = context;
  const env = context.scope.environment;
  const dimensions = { ClusterName: service.clusterName, ServiceName: service.serviceName };
  for (const [metric, metricName, limits] of [
    ["cpu", "CPUUtilization", alerts.cpu],
    ["memory", "MemoryUtilization", alerts.memory],
  ] as const) {
    const label = metric === "cpu" ? "CPU" : "memory";
    alarm(context, `${service.name}/${metric}-high`, {
      ...sustained(alerts),
      alarmDescription: `Helium ${env} ${service.name} in ${region}: average ${label} above ${limits.thresholdPercent}% for ${window(alerts)}.`,
      namespace: "AWS/ECS",
      metricName,
      dimensions,
      statistic: "Average",
      comparisonOperator: "GreaterThanThreshold",
      threshold: limits.thresholdPercent,
      // No datapoints means no running task reported: not evidence of overload.
      treatMissingData: "notBreaching",
    });
    // The seed's recovery notice. The high alarm's OK action fires as soon as the metric leaves the
    // > threshold state (e.g. 71 % → 69 %), which is not yet "normal". This alarm enters ALARM, and
    // notifies, only when the service is genuinely back under the recovery level for the whole evaluation
    // window. It has no OK action: rising above the recovery level is not news (the high alarm covers real
    // trouble). A new service starts below the level, so this alarm sends one notice after creation, which
    // doubles as proof that the subscriptions deliver.
    alarm(
      context,
      `${service.name}/${metric}-recovered`,
      {
        ...sustained(alerts),
        alarmDescription: `RECOVERY NOTICE (not a problem): Helium ${env} ${service.name} in ${region} is back under ${limits.recoveryPercent}% average ${label} for ${window(alerts)}.`,
        namespace: "AWS/ECS",
        metricName,
        dimensions,
        statistic: "Average",
        comparisonOperator: "LessThanThreshold",
        threshold: limits.recoveryPercent,
        // A gap in data must neither announce nor cancel a recovery: keep the current state.
        treatMissingData: "ignore",
      },
      "alarm-only",
    );
  }
  if (service.minTasks !== undefined && service.minTasks > 0) {
    alarm(context, `${service.name}/tasks-below-min`, {
      ...sustained(alerts),
      alarmDescription: `Helium ${env} ${service.name} in ${region}: fewer than ${service.minTasks} running tasks (its scaling minimum) for ${window(alerts)}. An OK notice follows when it is back.`,
      // Container Insights (on for every Helium cluster) publishes the running count per service.
      namespace: "ECS/ContainerInsights",
      metricName: "RunningTaskCount",
      dimensions,
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      threshold: service.minTasks,
      // ECS publishes nothing for a service without a RUNNING task ("If a cluster, service, or other resource
      // has no running tasks, no metrics will be reported", Amazon ECS CloudWatch metrics), so a gap is the
      // worst case of this alarm, not an absence of evidence.
      treatMissingData: "breaching",
    });
  }
  if (service.targetGroupArnSuffix !== undefined) {
    const targetGroup = { TargetGroup: service.targetGroupArnSuffix, LoadBalancer: resources.albArnSuffix };
    alarm(context, `${service.name}/unhealthy-targets`, {
      ...sustained(alerts),
      alarmDescription: `Helium ${env} ${service.name} in ${region}: at least one ALB target unhealthy for ${window(alerts)}.`,
      namespace: "AWS/ApplicationELB",
      metricName: "UnHealthyHostCount",
      dimensions: targetGroup,
      statistic: "Maximum",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
    });
    // Below 1 healthy target the ALB fails open to unhealthy ones, and Global Accelerator takes the whole
    // region's endpoint out of service: users in the region are failed over or see errors.
    alarm(context, `${service.name}/no-healthy-targets`, {
      ...sustained(alerts),
      alarmDescription: `Helium ${env} ${service.name} in ${region}: no healthy ALB target for ${window(alerts)}; the region's Global Accelerator endpoint is unhealthy. An OK notice follows when a target is healthy again.`,
      namespace: "AWS/ApplicationELB",
      metricName: "HealthyHostCount",
      dimensions: targetGroup,
      // The lowest count any load-balancer node saw in the period: one node with none already fails requests.
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      // The ALB reports metrics only while requests flow; an idle period is not an outage (the running-tasks
      // alarm covers a service that is gone).
      treatMissingData: "notBreaching",
    });
    alarm(context, `${service.name}/latency-p95`, {
      ...sustained(alerts),
      alarmDescription: `Helium ${env} ${service.name} in ${region}: p95 response time above ${alerts.latencyP95Seconds}s for ${window(alerts)}. An OK notice follows when it is back under.`,
      namespace: "AWS/ApplicationELB",
      metricName: "TargetResponseTime",
      dimensions: targetGroup,
      extendedStatistic: "p95",
      comparisonOperator: "GreaterThanThreshold",
      threshold: alerts.latencyP95Seconds,
      // A p95 of a handful of requests is noise: such periods neither raise nor clear the alarm.
      evaluateLowSampleCountPercentiles: "ignore",
      // No requests, no latency.
      treatMissingData: "notBreaching",
    });
  }
}

/** The region's load-balancer, queue and cache alarms. */
export function regionAlarms(context: RegionAlarmContext, resources: ObservedRegionResources): void {
  const { alerts, region } = context;
  const env = context.scope.environment;

  errorRateAlarm(context, "alb-5xx-rate", {
    namespace: "AWS/ApplicationELB",
    dimensions: { LoadBalancer: resources.albArnSuffix },
    errors: "HTTPCode_Target_5XX_Count",
    requests: "RequestCount",
    label: "Target 5xx % of requests",
    alarmDescription: `Helium ${env} ALB in ${region}: target 5xx above ${alerts.alb5xxPercent}% of requests for ${window(alerts)}.`,
  });
  // A count, not a rate: RequestCount "includes only the requests with a response generated by a target"
  // (ALB CloudWatch metrics), so with no target to answer, a rate over it is undefined exactly when users
  // get errors. 5xx made by the load balancer itself should be close to zero at any traffic.
  alarm(context, "alb-elb-5xx", {
    ...sustained(alerts),
    alarmDescription: `Helium ${env} ALB in ${region}: more than ${alerts.loadBalancer5xxCount} 5xx responses produced by the load balancer itself (502/503/504: targets unreachable, failing or absent) per ${alerts.periodSeconds}s for ${window(alerts)}. An OK notice follows when they stop.`,
    namespace: "AWS/ApplicationELB",
    metricName: "HTTPCode_ELB_5XX_Count",
    dimensions: { LoadBalancer: resources.albArnSuffix },
    statistic: "Sum",
    comparisonOperator: "GreaterThanThreshold",
    threshold: alerts.loadBalancer5xxCount,
    // The ALB publishes the count only for periods that had such a response.
    treatMissingData: "notBreaching",
  });
  alarm(context, "dlq-not-empty", {
    ...sustained(alerts),
    // One datapoint is enough: a message on the DLQ is a failed job, not a trend.
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    alarmDescription: `Helium ${env} work DLQ in ${region} holds messages: jobs failed their retries. Inspect, then redrive.`,
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: resources.dlqName },
    statistic: "Maximum",
    comparisonOperator: "GreaterThanThreshold",
    threshold: 0,
    // SQS reports queues every period while they exist; a gap is not a failed job.
    treatMissingData: "notBreaching",
  });
  alarm(context, "queue-age", {
    ...sustained(alerts),
    alarmDescription: `Helium ${env} work queue in ${region}: oldest message older than ${alerts.queueOldestMessageSeconds}s (workers stalled or too few).`,
    namespace: "AWS/SQS",
    metricName: "ApproximateAgeOfOldestMessage",
    dimensions: { QueueName: resources.queueName },
    statistic: "Maximum",
    comparisonOperator: "GreaterThanThreshold",
    threshold: alerts.queueOldestMessageSeconds,
    treatMissingData: "notBreaching",
  });

  const redisMembers = pulumi.output(resources.redisReplicationGroupId).apply((id) => redisMemberClusterIds(id));
  const redisAlarm = (
    kind: "redis-cpu" | "redis-memory" | "redis-evictions",
    metricName: string,
    stat: "Average" | "Sum",
    combine: "MAX" | "SUM",
    threshold: number,
    what: string,
  ) => {
    const ids = Array.from({ length: MAX_REDIS_MEMBERS }, (_, i) => `m${i + 1}`);
    alarm(context, kind, {
      ...sustainedWindow(alerts),
      alarmDescription: `Helium ${env} cache in ${region}: ${what} for ${window(alerts)}.`,
      metricQueries: [
        ...ids.map((id, i) => ({
          id,
          metric: {
            namespace: "AWS/ElastiCache",
            metricName,
            dimensions: { CacheClusterId: redisMembers.apply((members) => members[i]) },
            period: alerts.periodSeconds,
            stat,
          },
          returnData: false,
        })),
        {
          id: "cache",
          expression: `${combine}([${ids.join(", ")}])`,
          label: `${metricName} (${combine.toLowerCase()} over members)`,
          returnData: true,
        },
      ],
      comparisonOperator: "GreaterThanThreshold",
      threshold,
      treatMissingData: "notBreaching",
    });
  };
  redisAlarm(
    "redis-cpu",
    "EngineCPUUtilization",
    "Average",
    "MAX",
    alerts.redisCpuPercent,
    `engine CPU above ${alerts.redisCpuPercent}% on a node`,
  );
  redisAlarm(
    "redis-memory",
    "DatabaseMemoryUsagePercentage",
    "Average",
    "MAX",
    alerts.redisMemoryPercent,
    `memory use above ${alerts.redisMemoryPercent}% on a node`,
  );
  redisAlarm("redis-evictions", "Evictions", "Sum", "SUM", 0, "keys evicted for lack of memory");
  if (resources.database !== undefined) databaseAlarms(context, resources.database);
}

/**
 * The database's alarms: CPU, free storage and connections, each with an OK notice when it clears. There is no
 * replica-lag alarm: a Multi-AZ DB instance's standby is not readable and publishes no ReplicaLag (that metric
 * exists only for read replicas, which Helium does not create).
 */
export function databaseAlarms(context: RegionAlarmContext, database: ObservedDatabase): void {
  const { alerts, region } = context;
  const env = context.scope.environment;
  const { cpuPercent, freeStorageBytes, connections } = database.alarms;
  const metric = (metricName: string) => ({
    namespace: "AWS/RDS",
    metricName,
    dimensions: { DBInstanceIdentifier: database.identifier },
  });
  alarm(context, "db-cpu", {
    ...sustained(alerts),
    ...metric("CPUUtilization"),
    alarmDescription: `Helium ${env} database in ${region}: average CPU above ${cpuPercent}% for ${window(alerts)}. An OK notice follows when it is back under.`,
    statistic: "Average",
    comparisonOperator: "GreaterThanThreshold",
    threshold: cpuPercent,
    // RDS reports every minute while the instance runs; a gap (a reboot, a failover) is not evidence of load.
    treatMissingData: "notBreaching",
  });
  const gib = Math.round((freeStorageBytes / 2 ** 30) * 100) / 100;
  alarm(context, "db-free-storage", {
    ...sustained(alerts),
    ...metric("FreeStorageSpace"),
    alarmDescription: `Helium ${env} database in ${region}: less than ${gib} GiB of storage free for ${window(alerts)} (storage autoscaling, when on, could not keep up or reached its ceiling). An OK notice follows when there is room again.`,
    statistic: "Minimum",
    comparisonOperator: "LessThanThreshold",
    threshold: freeStorageBytes,
    treatMissingData: "notBreaching",
  });
  alarm(context, "db-connections", {
    ...sustained(alerts),
    ...metric("DatabaseConnections"),
    alarmDescription: `Helium ${env} database in ${region}: more than ${connections} connections for ${window(alerts)}; new connections fail at max_connections. An OK notice follows when they drop.`,
    statistic: "Maximum",
    comparisonOperator: "GreaterThanThreshold",
    threshold: connections,
    treatMissingData: "notBreaching",
  });
}
