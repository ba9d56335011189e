/**
 * Observability: one environment's alerting, dashboard, Managed Grafana workspace and X-Ray settings
 * (the Helium seed's sections 6 and 10, plus what operators need beyond them).
 *
 * - **An alert topic per region**, not one in the home region: a CloudWatch alarm's actions can only target
 *   an SNS topic in the alarm's own region, so a home-region topic would leave every other region silent
 *   (and an outage of the home region would silence them all). Each topic is encrypted with its region's
 *   customer-managed key (alarms cannot publish to a topic under the AWS-managed SNS key), accepts
 *   `sns:Publish` only from this account's CloudWatch alarms in that region, and only over TLS. The cost:
 *   each address confirms one subscription per region.
 * - **Per service, per region:** CPU and memory alarms above the threshold (ECS `ClusterName` +
 *   `ServiceName`), and a separate recovery alarm per metric for the seed's "back under 60 %" notice; an
 *   unhealthy-targets alarm for services behind the ALB.
 * - **Per region:** ALB target 5xx rate, DLQ not empty, oldest work-queue message age, Redis engine CPU,
 *   memory and evictions.
 * - **One CloudWatch dashboard** per environment, in the first (home) region, with widgets for every region.
 * - **Amazon Managed Grafana** (AWS SSO, service-managed, CloudWatch + X-Ray) with its own read-only role.
 * - **X-Ray** sampling rule and group. X-Ray is regional (each daemon reads the rules of its own region),
 *   so the environment's rule and group exist in each of its regions. Nothing here may write traces: the
 *   task role of HeliumService stays the only write path.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import {
  type AlertsConfig,
  type GrafanaConfig,
  type TracingConfig,
  alertsSchema,
  grafanaRegionFor,
  grafanaSchema,
  tracingSchema,
} from "../config/observability";
import {
  type DashboardRegion,
  MAX_REDIS_MEMBERS,
  TARGET_5XX_RATE_EXPRESSION,
  alarmName,
  dashboardBody,
  redisMemberClusterIds,
} from "../lib/alarms";
import { type PolicyStatement, denyInsecureTransport, policyDocument, serviceTrustPolicy } from "../lib/iam";
import { type Environment, assertAwsName, iamRolePath, regionalName } from "../lib/naming";
import { regionInfo } from "../lib/regions";
import type { HeliumRegion } from "./region/HeliumRegion";

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
   * for services behind the ALB (not the worker); an unhealthy-targets alarm is created when it is set.
   * Typed without `undefined` on purpose: an Output that resolved to undefined would make an alarm that
   * never sees data.
   */
  readonly targetGroupArnSuffix?: pulumi.Input<string>;
}

/** What Observability needs of a region's foundation (a {@link HeliumRegion}). */
export type ObservedRegionResources = Pick<
  HeliumRegion,
  "region" | "kmsKeyArn" | "albArnSuffix" | "clusterName" | "queueName" | "dlqName" | "redisReplicationGroupId"
>;

export interface ObservedRegion {
  /** The region's foundation: its KMS key encrypts the alert topic; its ALB, queues and cache are watched. */
  readonly region: ObservedRegionResources;
  /** ECS services running in the region. Defaults to none (region-level alarms only). */
  readonly services?: readonly ObservedService[];
}

export interface ObservabilityArgs {
  /** Environment watched; part of every name outside production. */
  readonly environment: Environment;
  /** Regions of the environment, home region first (the dashboard lives there). At least one; no duplicates. */
  readonly regions: readonly ObservedRegion[];
  /**
   * Thresholds, periods and subscribers (config/observability.ts `alertsSchema`). Defaults to the seed:
   * CPU and memory above 70 % over 3 × 60 s, recovery notices below 60 %, no subscribers.
   */
  readonly alerts?: z.input<typeof alertsSchema>;
  /** Managed Grafana workspace. Defaults to enabled, in the first region that offers the service. */
  readonly grafana?: z.input<typeof grafanaSchema>;
  /** X-Ray sampling. Defaults to a reservoir of 1 request/s, then 5 %, for every service name. */
  readonly tracing?: z.input<typeof tracingSchema>;
}

/** One region's topic and alarms, for stack outputs and tests. */
export interface RegionAlerting {
  readonly topicArn: pulumi.Output<string>;
  /** Alarms by `<kind>` (region-level) or `<service>/<kind>` (per service). */
  readonly alarms: Readonly<Record<string, aws.cloudwatch.MetricAlarm>>;
}

/** Sampling-rule priority: 1 is evaluated first; leaves room for more specific rules in front. */
export const SAMPLING_RULE_PRIORITY = 100;
const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

interface ResolvedSettings {
  readonly alerts: AlertsConfig;
  readonly grafana: GrafanaConfig;
  readonly tracing: TracingConfig;
  readonly grafanaRegion: string | undefined;
}

function parseSection<S extends z.ZodType>(component: string, key: string, schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = key + issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  let bad: unknown = value;
  for (const segment of issue.path) bad = (bad as Record<PropertyKey, unknown> | undefined)?.[segment];
  throw new Error(`Observability ${component}: ${path} ${JSON.stringify(bad)} is invalid: ${issue.message}`);
}

/** Validates the arguments and applies defaults; throws before any child resource exists. */
export function resolveObservabilityArgs(name: string, args: ObservabilityArgs): ResolvedSettings {
  if (args.regions.length === 0) {
    throw new Error(`Observability ${name}: regions is empty; at least one region (the home region first) is required`);
  }
  const codes = args.regions.map((r) => r.region.region);
  codes.forEach((code, i) => {
    regionInfo(code); // throws, listing the known regions, for an unknown one
    if (codes.indexOf(code) !== i)
      throw new Error(`Observability ${name}: regions[${i}] repeats region ${code}; each region is listed once`);
  });
  args.regions.forEach((r, i) => {
    const names = (r.services ?? []).map((s) => s.name);
    names.forEach((service, j) => {
      if (!SERVICE_NAME_PATTERN.test(service)) {
        throw new Error(
          `Observability ${name}: regions[${i}].services[${j}].name ${JSON.stringify(service)} is invalid: it is part of alarm names; allowed: 1-32 lower-case letters, digits and hyphens, starting with a letter`,
        );
      }
      if (names.indexOf(service) !== j)
        throw new Error(`Observability ${name}: regions[${i}] (${r.region.region}) lists service ${service} twice`);
    });
  });
  const alerts = parseSection(name, "alerts", alertsSchema, args.alerts);
  const grafana = parseSection(name, "grafana", grafanaSchema, args.grafana);
  const tracing = parseSection(name, "tracing", tracingSchema, args.tracing);
  let grafanaRegion: string | undefined;
  if (grafana.enabled) {
    const choice = grafanaRegionFor(grafana, codes);
    if ("error" in choice) throw new Error(`Observability ${name}: ${choice.error}`);
    grafanaRegion = choice.region;
  }
  assertAwsName("iamRole", grafanaRoleName(args.environment), `Observability ${name}: Grafana role name`);
  return { alerts, grafana, tracing, grafanaRegion };
}

export function grafanaRoleName(environment: Environment): string {
  return `helium-grafana-${environment}`;
}

/**
 * Read-only monitoring permissions of the Grafana workspace role: CloudWatch metrics and alarms, the
 * environment's log groups, and X-Ray traces. No write action, no `*` action. `Resource: "*"` appears only
 * in the statement of actions that have no resource-level permissions (IAM Service Authorization Reference).
 */
export function grafanaReadPolicy(environment: Environment, account: pulumi.Input<string>): PolicyStatement[] {
  return [
    {
      Sid: "MetricsReadNoResourceLevelPermissions",
      Effect: "Allow",
      Action: [
        "cloudwatch:GetMetricData",
        "cloudwatch:GetMetricStatistics",
        "cloudwatch:ListMetrics",
        "cloudwatch:DescribeAlarmsForMetric",
        "logs:DescribeLogGroups",
        "logs:GetQueryResults",
        "logs:StopQuery",
        "ec2:DescribeRegions",
        "tag:GetResources",
        "xray:BatchGetTraces",
        "xray:GetServiceGraph",
        "xray:GetTraceGraph",
        "xray:GetTraceSummaries",
        "xray:GetTimeSeriesServiceStatistics",
        "xray:GetInsightSummaries",
        "xray:GetGroups",
      ],
      Resource: "*",
    },
    {
      Sid: "AlarmsRead",
      Effect: "Allow",
      Action: ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"],
      Resource: pulumi.interpolate`arn:aws:cloudwatch:*:${account}:alarm:*`,
    },
    {
      Sid: "EnvironmentLogsRead",
      Effect: "Allow",
      Action: ["logs:StartQuery", "logs:GetLogGroupFields", "logs:GetLogEvents", "logs:FilterLogEvents"],
      Resource: [
        pulumi.interpolate`arn:aws:logs:*:${account}:log-group:/helium/${environment}/*`,
        pulumi.interpolate`arn:aws:logs:*:${account}:log-group:/helium/${environment}/*:log-stream:*`,
      ],
    },
    {
      Sid: "TraceGroupsRead",
      Effect: "Allow",
      Action: ["xray:GetGroup"],
      Resource: pulumi.interpolate`arn:aws:xray:*:${account}:group/*`,
    },
  ];
}

/**
 * Topic policy: only this account's CloudWatch alarms of this region may publish (confused-deputy
 * protection with `aws:SourceAccount` and `aws:SourceArn`), and nothing reaches the topic without TLS
 * (AWS's documented SNS statement, on `sns:Publish`).
 */
export function alertTopicPolicy(
  topicArn: pulumi.Input<string>,
  region: string,
  account: pulumi.Input<string>,
): pulumi.Output<string> {
  return policyDocument([
    {
      Sid: "CloudWatchAlarmsOfThisAccountPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": account },
        ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:aws:cloudwatch:${region}:${account}:alarm:*` },
      },
    },
    denyInsecureTransport("sns:Publish", [topicArn]),
  ]);
}

/** One environment's observability. See the module comment for what it creates and why. */
export class Observability extends pulumi.ComponentResource {
  /** Alert topic and alarms per region code. */
  readonly regions: Readonly<Record<string, RegionAlerting>>;
  readonly dashboardName: pulumi.Output<string>;
  /** Region of the dashboard (the home region). */
  readonly dashboardRegion: string;
  readonly grafanaWorkspaceId?: pulumi.Output<string>;
  readonly grafanaWorkspaceEndpoint?: pulumi.Output<string>;
  readonly grafanaRoleArn?: pulumi.Output<string>;
  /** Region of the Grafana workspace, when enabled. */
  readonly grafanaRegion?: string;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("helium:index:Observability", name, {}, opts);
    const settings = resolveObservabilityArgs(name, args);
    const { alerts, tracing } = settings;
    const env = args.environment;
    const child: pulumi.CustomResourceOptions = { parent: this };
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

    const regions: Record<string, RegionAlerting> = {};
    for (const observed of args.regions) {
      const r = observed.region;
      const region = r.region;
      const short = regionInfo(region).short;
      const prefix = `${name}-${short}`;

      // ── Alert topic ────────────────────────────────────────────────────────────────────────────────
      const topic = new aws.sns.Topic(
        `${prefix}-alerts`,
        {
          region,
          name: regionalName(env, region, "alerts"),
          displayName: `Helium ${env} alerts (${regionInfo(region).displayName})`,
          kmsMasterKeyId: r.kmsKeyArn,
        },
        child,
      );
      new aws.sns.TopicPolicy(
        `${prefix}-alerts-policy`,
        {
          region,
          arn: topic.arn,
          policy: alertTopicPolicy(topic.arn, region, account),
        },
        child,
      );
      for (const address of alerts.emails) {
        // Keyed by address, not position: removing one address must not re-create (and re-confirm) the others.
        new aws.sns.TopicSubscription(
          `${prefix}-alerts-${address.toLowerCase()}`,
          {
            region,
            topic: topic.arn,
            protocol: "email",
            endpoint: address,
          },
          child,
        );
      }
      const notify = [topic.arn];

      const alarms: Record<string, aws.cloudwatch.MetricAlarm> = {};
      const common = {
        region,
        period: alerts.periodSeconds,
        evaluationPeriods: alerts.evaluationPeriods,
        datapointsToAlarm: alerts.evaluationPeriods,
      };

      // ── Per service: utilisation and recovery ──────────────────────────────────────────────────────
      for (const service of observed.services ?? []) {
        const dimensions = { ClusterName: service.clusterName, ServiceName: service.serviceName };
        for (const [metric, metricName, limits] of [
          ["cpu", "CPUUtilization", alerts.cpu],
          ["memory", "MemoryUtilization", alerts.memory],
        ] as const) {
          const label = metric === "cpu" ? "CPU" : "memory";
          alarms[`${service.name}/${metric}-high`] = new aws.cloudwatch.MetricAlarm(
            `${prefix}-${service.name}-${metric}-high`,
            {
              ...common,
              name: alarmName(env, region, `${service.name}-${metric}-high`),
              alarmDescription: `Helium ${env} ${service.name} in ${region}: average ${label} above ${limits.thresholdPercent}% for ${alerts.evaluationPeriods} × ${alerts.periodSeconds}s.`,
              namespace: "AWS/ECS",
              metricName,
              dimensions,
              statistic: "Average",
              comparisonOperator: "GreaterThanThreshold",
              threshold: limits.thresholdPercent,
              // No datapoints means no running task reported: not evidence of overload.
              treatMissingData: "notBreaching",
              alarmActions: notify,
              okActions: notify,
            },
            child,
          );
          // The seed's recovery notice. The high alarm's OK action fires as soon as the metric leaves the
          // > threshold state (e.g. 71 % → 69 %), which is not yet "normal". This alarm enters ALARM, and
          // notifies, only when the service is genuinely back under the recovery level for the whole
          // evaluation window. It has no OK action: rising above the recovery level is not news (the high
          // alarm covers real trouble). A new service starts below the level, so this alarm sends one notice
          // after creation, which doubles as proof that the subscriptions deliver.
          alarms[`${service.name}/${metric}-recovered`] = new aws.cloudwatch.MetricAlarm(
            `${prefix}-${service.name}-${metric}-recovered`,
            {
              ...common,
              name: alarmName(env, region, `${service.name}-${metric}-recovered`),
              alarmDescription: `RECOVERY NOTICE (not a problem): Helium ${env} ${service.name} in ${region} is back under ${limits.recoveryPercent}% average ${label} for ${alerts.evaluationPeriods} × ${alerts.periodSeconds}s.`,
              namespace: "AWS/ECS",
              metricName,
              dimensions,
              statistic: "Average",
              comparisonOperator: "LessThanThreshold",
              threshold: limits.recoveryPercent,
              // A gap in data must neither announce nor cancel a recovery: keep the current state.
              treatMissingData: "ignore",
              alarmActions: notify,
            },
            child,
          );
        }
        if (service.targetGroupArnSuffix !== undefined) {
          alarms[`${service.name}/unhealthy-targets`] = new aws.cloudwatch.MetricAlarm(
            `${prefix}-${service.name}-unhealthy-targets`,
            {
              ...common,
              name: alarmName(env, region, `${service.name}-unhealthy-targets`),
              alarmDescription: `Helium ${env} ${service.name} in ${region}: at least one ALB target unhealthy for ${alerts.evaluationPeriods} × ${alerts.periodSeconds}s.`,
              namespace: "AWS/ApplicationELB",
              metricName: "UnHealthyHostCount",
              dimensions: { TargetGroup: service.targetGroupArnSuffix, LoadBalancer: r.albArnSuffix },
              statistic: "Maximum",
              comparisonOperator: "GreaterThanThreshold",
              threshold: 0,
              treatMissingData: "notBreaching",
              alarmActions: notify,
              okActions: notify,
            },
            child,
          );
        }
      }

      // ── Per region: load balancer, queues, cache ───────────────────────────────────────────────────
      const albMetric = (metricName: string) => ({
        namespace: "AWS/ApplicationELB",
        metricName,
        dimensions: { LoadBalancer: r.albArnSuffix },
        period: alerts.periodSeconds,
        stat: "Sum",
      });
      alarms["alb-5xx-rate"] = new aws.cloudwatch.MetricAlarm(
        `${prefix}-alb-5xx-rate`,
        {
          ...common,
          name: alarmName(env, region, "alb-5xx-rate"),
          alarmDescription: `Helium ${env} ALB in ${region}: target 5xx above ${alerts.alb5xxPercent}% of requests for ${alerts.evaluationPeriods} × ${alerts.periodSeconds}s.`,
          metricQueries: [
            { id: "errors", metric: albMetric("HTTPCode_Target_5XX_Count"), returnData: false },
            { id: "requests", metric: albMetric("RequestCount"), returnData: false },
            { id: "rate", expression: TARGET_5XX_RATE_EXPRESSION, label: "Target 5xx % of requests", returnData: true },
          ],
          comparisonOperator: "GreaterThanThreshold",
          threshold: alerts.alb5xxPercent,
          // No requests in a period: no rate, and no evidence of errors.
          treatMissingData: "notBreaching",
          alarmActions: notify,
          okActions: notify,
        },
        child,
      );
      alarms["dlq-not-empty"] = new aws.cloudwatch.MetricAlarm(
        `${prefix}-dlq-not-empty`,
        {
          ...common,
          // One datapoint is enough: a message on the DLQ is a failed job, not a trend.
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          name: alarmName(env, region, "dlq-not-empty"),
          alarmDescription: `Helium ${env} work DLQ in ${region} holds messages: jobs failed their retries. Inspect, then redrive.`,
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: r.dlqName },
          statistic: "Maximum",
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
          // SQS reports queues every period while they exist; a gap is not a failed job.
          treatMissingData: "notBreaching",
          alarmActions: notify,
          okActions: notify,
        },
        child,
      );
      alarms["queue-age"] = new aws.cloudwatch.MetricAlarm(
        `${prefix}-queue-age`,
        {
          ...common,
          name: alarmName(env, region, "queue-age"),
          alarmDescription: `Helium ${env} work queue in ${region}: oldest message older than ${alerts.queueOldestMessageSeconds}s (workers stalled or too few).`,
          namespace: "AWS/SQS",
          metricName: "ApproximateAgeOfOldestMessage",
          dimensions: { QueueName: r.queueName },
          statistic: "Maximum",
          comparisonOperator: "GreaterThanThreshold",
          threshold: alerts.queueOldestMessageSeconds,
          treatMissingData: "notBreaching",
          alarmActions: notify,
          okActions: notify,
        },
        child,
      );

      const redisMembers = r.redisReplicationGroupId.apply((id) => redisMemberClusterIds(id));
      const redisAlarm = (
        kind: "redis-cpu" | "redis-memory" | "redis-evictions",
        metricName: string,
        stat: "Average" | "Sum",
        combine: "MAX" | "SUM",
        threshold: number,
        what: string,
      ) => {
        const ids = Array.from({ length: MAX_REDIS_MEMBERS }, (_, i) => `m${i + 1}`);
        alarms[kind] = new aws.cloudwatch.MetricAlarm(
          `${prefix}-${kind}`,
          {
            ...common,
            name: alarmName(env, region, kind),
            alarmDescription: `Helium ${env} cache in ${region}: ${what} for ${alerts.evaluationPeriods} × ${alerts.periodSeconds}s.`,
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
            alarmActions: notify,
            okActions: notify,
          },
          child,
        );
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

      regions[region] = { topicArn: topic.arn, alarms };
    }
    this.regions = regions;

    // ── Dashboard (home region) ──────────────────────────────────────────────────────────────────────
    const home = args.regions[0].region.region;
    const resolveRegion = (o: ObservedRegion): pulumi.Output<DashboardRegion> => {
      const services = pulumi.all(
        (o.services ?? []).map((s) =>
          pulumi
            .all([s.serviceName, s.clusterName])
            .apply(([serviceName, clusterName]) => ({ name: s.name, serviceName, clusterName })),
        ),
      );
      return pulumi
        .all([o.region.albArnSuffix, o.region.queueName, o.region.dlqName, o.region.redisReplicationGroupId, services])
        .apply(([albArnSuffix, queueName, dlqName, redisReplicationGroupId, resolvedServices]) => ({
          region: o.region.region,
          albArnSuffix,
          queueName,
          dlqName,
          redisReplicationGroupId,
          services: resolvedServices,
        }));
    };
    const dashboardRegions = pulumi.all(args.regions.map(resolveRegion));
    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        region: home,
        dashboardName: `helium-${env}`,
        dashboardBody: dashboardRegions.apply((resolved) =>
          JSON.stringify(
            dashboardBody(
              env,
              resolved,
              {
                cpuPercent: alerts.cpu.thresholdPercent,
                memoryPercent: alerts.memory.thresholdPercent,
                alb5xxPercent: alerts.alb5xxPercent,
                queueOldestMessageSeconds: alerts.queueOldestMessageSeconds,
                redisCpuPercent: alerts.redisCpuPercent,
                redisMemoryPercent: alerts.redisMemoryPercent,
              },
              alerts.periodSeconds,
            ),
          ),
        ),
      },
      child,
    );
    this.dashboardName = dashboard.dashboardName;
    this.dashboardRegion = home;

    // ── Managed Grafana ──────────────────────────────────────────────────────────────────────────────
    if (settings.grafanaRegion !== undefined) {
      const role = new aws.iam.Role(
        `${name}-grafana-role`,
        {
          name: grafanaRoleName(env),
          path: iamRolePath(env),
          description: `Amazon Managed Grafana (Helium ${env}): read-only CloudWatch, logs and X-Ray`,
          assumeRolePolicy: serviceTrustPolicy("grafana.amazonaws.com", account),
        },
        child,
      );
      const readPolicy = new aws.iam.RolePolicy(
        `${name}-grafana-read`,
        {
          role: role.name,
          name: "monitoring-read-only",
          policy: policyDocument(grafanaReadPolicy(env, account)),
        },
        child,
      );
      const workspace = new aws.grafana.Workspace(
        `${name}-grafana`,
        {
          region: settings.grafanaRegion,
          name: `helium-${env}`,
          description: `Helium ${env}: CloudWatch metrics and X-Ray traces of ${args.regions.map((o) => o.region.region).join(", ")}`,
          accountAccessType: "CURRENT_ACCOUNT",
          authenticationProviders: ["AWS_SSO"],
          permissionType: "SERVICE_MANAGED",
          dataSources: ["CLOUDWATCH", "XRAY"],
          roleArn: role.arn,
        },
        { parent: this, dependsOn: [readPolicy] },
      );
      this.grafanaWorkspaceId = workspace.id;
      this.grafanaWorkspaceEndpoint = workspace.endpoint;
      this.grafanaRoleArn = role.arn;
      this.grafanaRegion = settings.grafanaRegion;
    }

    // ── X-Ray: sampling rule and group in each region ─────────────────────────────────────────────────
    const tracingName = `helium-${env}`;
    for (const observed of args.regions) {
      const region = observed.region.region;
      const short = regionInfo(region).short;
      new aws.xray.SamplingRule(
        `${name}-${short}-sampling`,
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
        child,
      );
      new aws.xray.Group(
        `${name}-${short}-trace-group`,
        {
          region,
          groupName: tracingName,
          filterExpression: tracing.groupFilterExpression ?? `annotation.environment = "${env}"`,
          insightsConfiguration: { insightsEnabled: true, notificationsEnabled: false },
        },
        child,
      );
    }

    this.registerOutputs({
      topicArns: Object.fromEntries(Object.entries(regions).map(([code, r]) => [code, r.topicArn])),
      dashboardName: this.dashboardName,
      grafanaWorkspaceEndpoint: this.grafanaWorkspaceEndpoint,
    });
  }
}
