/**
 * Usage the plan cannot show: traffic, log volume, stored bytes, users. Each is one stated figure for an IDLE
 * environment (tasks at their minimum, little traffic), printed with every report so a reader can scale it.
 * Traffic-driven charges with no assumption here are left out and listed in {@link NOT_MODELLED}.
 */

/** Hours in the billing month the report uses (AWS's pricing examples use 730). */
export const HOURS_PER_MONTH = 730;

export interface Assumption {
  readonly value: number;
  readonly unit: string;
  /** Why this figure; printed with the report. */
  readonly why: string;
}

export const ASSUMPTIONS = {
  natGbPerGateway: {
    value: 10,
    unit: "GB processed per NAT gateway-month",
    why: "idle: OS and app egress to the internet; image pulls and AWS APIs go through endpoints where they exist",
  },
  albLcuPerHour: {
    value: 1,
    unit: "LCU per load balancer-hour",
    why: "light traffic: one LCU is 25 new connections/s, 3,000 active connections or 1 GB/h",
  },
  albPublicIpv4PerSubnet: {
    value: 1,
    unit: "public IPv4 per internet-facing ALB subnet",
    why: "one node per enabled AZ at low load; ALB nodes scale out under load",
  },
  logGbPerLogGroup: {
    value: 1,
    unit: "GB ingested per service log group-month",
    why: "idle services: request and worker logs at low volume",
  },
  logGbPerFlowLogGroup: {
    value: 5,
    unit: "GB ingested per VPC flow-log group-month",
    why: "VPC flow logs of ALL traffic at 60 s aggregation, health checks included",
  },
  containerInsightsMetricsPerCluster: {
    value: 12,
    unit: "custom metrics per ECS cluster with Container Insights",
    why: "ECS/ContainerInsights at the ClusterName dimension (CPU, memory, network, storage, task and service counts); unverified",
  },
  containerInsightsMetricsPerService: {
    value: 25,
    unit: "custom metrics per ECS service with Container Insights",
    why: "the ServiceName and TaskDefinitionFamily dimension sets (usage, reservation, task counts, deployments); unverified",
  },
  containerInsightsLogGbPerCluster: {
    value: 1,
    unit: "GB of performance log events per cluster-month",
    why: "Container Insights writes its metrics as performance log events too",
  },
  s3GbPerBucket: {
    value: 5,
    unit: "GB stored per bucket",
    why: "files, ALB access logs and flow logs of an idle environment",
  },
  grafanaUsersPerGroup: {
    value: 1,
    unit: "active user per Identity Center group given a Grafana role",
    why: "group sizes are not in the plan",
  },
} as const satisfies Record<string, Assumption>;

export type AssumptionKey = keyof typeof ASSUMPTIONS;

/** Charges the report leaves out: they follow traffic or requests, not the plan. */
export const NOT_MODELLED: readonly string[] = [
  "data transfer out to the internet and between regions or AZs, and Global Accelerator's DT-Premium",
  "requests: SQS, SNS, KMS, Secrets Manager API calls, S3 requests, Route 53 queries",
  "X-Ray traces, CloudWatch Logs storage after ingestion, and metric API calls",
  "ElastiCache backup storage beyond the free allowance, RDS backups and I/O",
  "interface endpoint and NAT data beyond the NAT assumption above",
  "Global Accelerator's static IPs (whether the public IPv4 charge applies to them is not verified)",
  "free tiers, credits, Savings Plans, reserved nodes and taxes",
];
