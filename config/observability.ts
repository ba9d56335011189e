/**
 * Alerting, dashboards, Grafana and tracing settings (Observability component). Defaults follow the seed:
 * CPU and memory alarms above 70 %, a recovery notice below 60 %, SNS email.
 */
import { z } from "zod";
import { alarmWindowProblems } from "../lib/alarms";
import { REGIONS } from "../lib/regions";
import { email, percentage, regionCode, strictObject } from "./primitives";

/** Regions that offer Amazon Managed Grafana (lib/regions.ts), for error messages. */
export const MANAGED_GRAFANA_REGIONS: readonly string[] = [...REGIONS.values()]
  .filter((r) => r.managedGrafana)
  .map((r) => r.code);

const utilisationAlarm = strictObject({
  thresholdPercent: percentage.default(70).describe("Alarm when average utilisation is above this. Defaults to 70."),
  recoveryPercent: percentage
    .default(60)
    .describe("Send a recovery notice when back below this. Defaults to 60; must be below thresholdPercent."),
}).superRefine((a, ctx) => {
  // An issue of its own (not `.refine`) so the problem shows the recovery level, not the whole object.
  if (a.recoveryPercent >= a.thresholdPercent) {
    ctx.addIssue({
      code: "custom",
      path: ["recoveryPercent"],
      input: a.recoveryPercent,
      message: `must be below thresholdPercent (${a.thresholdPercent}): a recovery notice at or above the alarm level would fire while the service is still alarming`,
    });
  }
});

export const alertsSchema = strictObject({
  emails: z
    .array(email)
    .default([])
    .refine((list) => new Set(list.map((e) => e.toLowerCase())).size === list.length, {
      error: "lists an address twice; each address is subscribed once",
    })
    .describe(
      "Addresses subscribed to the alert topic of every region (each must confirm by email, once per region). Defaults to none.",
    ),
  cpu: utilisationAlarm.prefault({}).describe("ECS service CPU alarm. Defaults to 70 % / recovery 60 %."),
  memory: utilisationAlarm.prefault({}).describe("ECS service memory alarm. Defaults to 70 % / recovery 60 %."),
  periodSeconds: z
    .number()
    .int({ error: "must be a whole number of seconds" })
    .default(60)
    .describe(
      "Metric period of every alarm, in seconds: a multiple of 60 (CloudWatch takes 10-30 only for high-resolution metrics). Defaults to 60.",
    ),
  evaluationPeriods: z
    .number()
    .int({ error: "must be a whole number" })
    .default(3)
    .describe(
      "Periods in breach before alarming (sustained load, not a spike); periodSeconds × evaluationPeriods may not exceed 86400 s (604800 s for periods of 3600 s or more). Defaults to 3.",
    ),
  alb5xxPercent: percentage.default(5).describe("ALB target 5xx share of requests that alarms. Defaults to 5."),
  loadBalancer5xxCount: z
    .number()
    .int()
    .min(0)
    .default(5)
    .describe(
      "5xx responses the ALB produced itself (HTTPCode_ELB_5XX_Count: 502/503/504 that never came from the app) per period, per region, above which an alarm fires. Defaults to 5.",
    ),
  // At most the ALB's longest idle timeout (4000 s): no response can take longer.
  latencyP95Seconds: z
    .number()
    .positive()
    .max(4000)
    .default(1)
    .describe(
      "p95 target response time (TargetResponseTime) per load-balanced service, in seconds, above which an alarm fires. Defaults to 1.",
    ),
  queueOldestMessageSeconds: z
    .number()
    .int()
    .min(60)
    .default(900)
    .describe("Oldest work-queue message age that alarms, in seconds. Defaults to 900."),
  redisCpuPercent: percentage.default(75).describe("ElastiCache engine CPU that alarms. Defaults to 75."),
  redisMemoryPercent: percentage
    .default(80)
    .describe("ElastiCache memory usage (DatabaseMemoryUsagePercentage) that alarms. Defaults to 80."),
}).superRefine((alerts, ctx) => {
  // CloudWatch's period and evaluation-window rules (lib/alarms.ts, PutMetricAlarm), checked here so a bad
  // window fails at config time, naming the key, instead of at PutMetricAlarm halfway through an update.
  for (const problem of alarmWindowProblems(alerts.periodSeconds, alerts.evaluationPeriods)) {
    ctx.addIssue({ code: "custom", path: [problem.key], message: `must be ${problem.allowed}`, input: problem.value });
  }
});
export type AlertsConfig = z.infer<typeof alertsSchema>;

/**
 * An IAM Identity Center user or group id as Managed Grafana takes it (UpdatePermissions, `User.id`:
 * https://docs.aws.amazon.com/grafana/latest/APIReference/API_User.html).
 */
const identityCenterId = z
  .string()
  .regex(/^([0-9a-fA-F]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/, {
    error:
      "must be an IAM Identity Center user or group id, e.g. 906757f4d0-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d (Identity Center console, user or group details)",
  });
const identityCenterIds = z
  .array(identityCenterId)
  .default([])
  .refine((ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length, {
    error: "lists an id twice",
  });

export const grafanaSchema = strictObject({
  enabled: z.boolean().default(true).describe("Create an Amazon Managed Grafana workspace. Defaults to true."),
  provision: z
    .boolean()
    .default(true)
    .describe(
      "Provision the workspace as code: CloudWatch and X-Ray data sources for every region and the Helium dashboard, through a workspace service account (billed as one Grafana user). Defaults to true.",
    ),
  adminUserIds: identityCenterIds.describe(
    "IAM Identity Center user ids given the Grafana Admin role in the workspace. Defaults to none.",
  ),
  adminGroupIds: identityCenterIds.describe(
    "IAM Identity Center group ids whose members get the Grafana Admin role in the workspace. Defaults to none.",
  ),
  region: regionCode
    .refine((code) => REGIONS.get(code)?.managedGrafana === true, {
      error: `Amazon Managed Grafana is not offered there; offered in: ${MANAGED_GRAFANA_REGIONS.join(", ")}`,
    })
    .optional()
    .describe(
      "Workspace region. Defaults to the first configured region that offers Managed Grafana (ap-south-1 does not); required when none does.",
    ),
});
export type GrafanaConfig = z.infer<typeof grafanaSchema>;

export const tracingSchema = strictObject({
  samplingRate: z
    .number()
    .min(0)
    .max(1)
    .default(0.05)
    .describe("Share of requests traced after the reservoir. Defaults to 0.05."),
  reservoirPerSecond: z.number().int().min(0).default(1).describe("Requests per second always traced. Defaults to 1."),
  serviceName: z
    .string()
    .min(1)
    .max(64)
    .default("*")
    .describe(
      "X-Ray service name (as the app's SDK sets it; * and ? wildcards) the sampling rule matches. Defaults to * (every service).",
    ),
  groupFilterExpression: z
    .string()
    .min(1)
    .max(2000)
    .optional()
    .describe(
      'Filter expression of the environment\'s X-Ray group. Defaults to annotation.environment = "<environment>" (the app annotates its segments with its environment).',
    ),
});
export type TracingConfig = z.infer<typeof tracingSchema>;

/**
 * The Grafana workspace region: `grafana.region` when set, else the first environment region that offers
 * Managed Grafana. Returns an error message (naming the key) instead when there is none.
 */
export function grafanaRegionFor(
  grafana: Pick<GrafanaConfig, "region">,
  environmentRegions: readonly string[],
): { region: string } | { error: string } {
  if (grafana.region !== undefined) {
    return REGIONS.get(grafana.region)?.managedGrafana === true
      ? { region: grafana.region }
      : {
          error: `grafana.region "${grafana.region}": Amazon Managed Grafana is not offered there; offered in: ${MANAGED_GRAFANA_REGIONS.join(", ")}`,
        };
  }
  const offered = environmentRegions.find((code) => REGIONS.get(code)?.managedGrafana === true);
  return offered !== undefined
    ? { region: offered }
    : {
        error: `grafana.region is unset and none of this environment's regions (${environmentRegions.join(", ")}) offers Amazon Managed Grafana; set grafana.region to one of ${MANAGED_GRAFANA_REGIONS.join(", ")}, or grafana.enabled to false`,
      };
}
