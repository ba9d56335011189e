/**
 * Alerting, dashboards, Grafana and tracing settings (Observability component). Defaults follow the seed:
 * CPU and memory alarms above 70 %, a recovery notice below 60 %, SNS email.
 */
import { z } from "zod";
import { REGIONS } from "../lib/regions";
import { email, percentage, regionCode, strictObject } from "./primitives";

const utilisationAlarm = strictObject({
  thresholdPercent: percentage.default(70).describe("Alarm when average utilisation is above this. Defaults to 70."),
  recoveryPercent: percentage.default(60).describe("Send a recovery notice when back below this. Defaults to 60; must be below thresholdPercent."),
}).refine((a) => a.recoveryPercent < a.thresholdPercent, {
  error: "recoveryPercent must be below thresholdPercent (a recovery notice at or above the alarm level would fire while still alarming)",
});

export const alertsSchema = strictObject({
  emails: z.array(email).default([]).describe("Addresses subscribed to the alert topic (each must confirm by email). Defaults to none."),
  cpu: utilisationAlarm.prefault({}).describe("ECS service CPU alarm. Defaults to 70 % / recovery 60 %."),
  memory: utilisationAlarm.prefault({}).describe("ECS service memory alarm. Defaults to 70 % / recovery 60 %."),
  periodSeconds: z.number().int().refine((v) => [10, 30].includes(v) || (v >= 60 && v % 60 === 0), { error: "must be 10, 30 or a multiple of 60" }).default(60).describe("Metric period. Defaults to 60."),
  evaluationPeriods: z.number().int().min(1).max(100).default(3).describe("Periods in breach before alarming (sustained load, not a spike). Defaults to 3."),
  alb5xxPercent: percentage.default(5).describe("ALB target 5xx share of requests that alarms. Defaults to 5."),
  queueOldestMessageSeconds: z.number().int().min(60).default(900).describe("Oldest work-queue message age that alarms. Defaults to 900."),
  redisCpuPercent: percentage.default(75).describe("ElastiCache engine CPU that alarms. Defaults to 75."),
  redisMemoryPercent: percentage.default(80).describe("ElastiCache memory usage that alarms. Defaults to 80."),
});
export type AlertsConfig = z.infer<typeof alertsSchema>;

export const grafanaSchema = strictObject({
  enabled: z.boolean().default(true).describe("Create an Amazon Managed Grafana workspace. Defaults to true."),
  region: regionCode.refine((code) => REGIONS.get(code)?.managedGrafana === true, {
    error: `Amazon Managed Grafana is not offered there; offered in: ${[...REGIONS.values()].filter((r) => r.managedGrafana).map((r) => r.code).join(", ")}`,
  }).optional().describe("Workspace region. Defaults to the first configured region that offers Managed Grafana (ap-south-1 does not)."),
});
export type GrafanaConfig = z.infer<typeof grafanaSchema>;

export const tracingSchema = strictObject({
  samplingRate: z.number().min(0).max(1).default(0.05).describe("Share of requests traced after the reservoir. Defaults to 0.05."),
  reservoirPerSecond: z.number().int().min(0).default(1).describe("Requests per second always traced. Defaults to 1."),
});
export type TracingConfig = z.infer<typeof tracingSchema>;
