/**
 * Settings of the platform pieces an environment builds (keys of `helium:` in Pulumi.<stack>.yaml): its
 * regions and their VPCs, the Redis cache, the work queue, the load balancer and Global Accelerator. The
 * environment's schema (config/environment.ts) assembles them with its cross-field rules.
 */
import { z } from "zod";
import { MAX_AZS } from "../lib/cidr";
import {
  elastiCacheEngineVersionProblem,
  elastiCacheNodeTypeProblem,
  sqsDeadLetterRetentionProblem,
} from "../lib/aws-constraints";
import {
  CACHE_ENGINES,
  DEFAULT_ENGINE_VERSIONS,
  DEFAULT_MAX_PROCESSING_SECONDS,
  DLQ_RETENTION_SECONDS,
  INTERFACE_ENDPOINTS,
  SECONDS_PER_DAY,
  TLS_POLICIES,
} from "../lib/platform";

import { addProblems, allowedBy } from "./constraints";
import { cidrBlock, percentage, regionCode, strictObject } from "./primitives";

export const regionSchema = strictObject({
  region: regionCode.describe("AWS region code, e.g. ap-southeast-1."),
  vpcCidr: cidrBlock
    .optional()
    .describe(
      "VPC CIDR (/16-/19). Defaults to a /16 from the environment's address lane (registered in the shared stack's helium:environments) and the region's address slot (lib/regions.ts), so regions and environments never overlap: production (lane 0) 10.10/10.20/10.30, staging (lane 10) 10.110.",
    ),
  azCount: z
    .number()
    .int()
    .min(2, { error: "at least 2 availability zones are needed for ALB, NAT and Redis failover" })
    .max(MAX_AZS, {
      error: `at most ${MAX_AZS} availability zones: the subnet layout (lib/cidr.ts) places tiers 10 /24 blocks apart`,
    })
    .default(2)
    .describe("Availability zones used. Defaults to 2."),
  availabilityZones: z
    .array(z.string())
    .min(2, { error: "at least 2 availability zones are needed" })
    .refine((zones) => new Set(zones).size === zones.length, {
      error: "each availability zone may be listed once (the ALB needs subnets in distinct zones)",
    })
    .optional()
    .describe("Explicit AZ names. Defaults to the region's first azCount zones."),
  natGateways: z
    .enum(["perAz", "single"])
    .optional()
    .describe(
      "perAz (one NAT per AZ, survives an AZ outage) or single (one NAT, cheaper). Defaults to perAz in production, single elsewhere.",
    ),
  interfaceEndpoints: z
    .array(z.enum(INTERFACE_ENDPOINTS))
    .optional()
    .describe(
      `Interface VPC endpoints (${INTERFACE_ENDPOINTS.join(", ")}). Defaults to all in production, none elsewhere (NAT is cheaper at small scale).`,
    ),
  trafficDialPercent: percentage
    .default(100)
    .describe("Global Accelerator traffic dial for this region. Defaults to 100."),
});
export type RegionConfigInput = z.infer<typeof regionSchema>;

export const redisSchema = strictObject({
  nodeType: z
    .string()
    .superRefine(allowedBy(elastiCacheNodeTypeProblem))
    .default("cache.t3.micro")
    .describe("Node type. Defaults to cache.t3.micro, as in the seed."),
  engine: z.enum(CACHE_ENGINES).default("valkey").describe("Engine. Defaults to valkey."),
  engineVersion: z
    .string()
    .optional()
    .describe(
      `Engine version: valkey 7.2 or later, redis 4.0.10-7.1. Defaults to ${DEFAULT_ENGINE_VERSIONS.valkey} for valkey, ${DEFAULT_ENGINE_VERSIONS.redis} for redis.`,
    ),
  replicas: z
    .number()
    .int()
    .min(0, { error: "0 or more read replicas" })
    .max(5, {
      error:
        "at most 5 read replicas: ElastiCache allows 1 primary plus 5 replicas per replication group (NumCacheClusters at most 6)",
    })
    .default(1)
    .describe("Read replicas. Defaults to 1, as in the seed; ≥1 enables automatic failover and Multi-AZ."),
  snapshotRetentionDays: z
    .number()
    .int()
    .min(0)
    .max(35)
    .optional()
    .describe("Days of automatic snapshots. Defaults to 7 in production, 0 elsewhere."),
}).superRefine((r, ctx) =>
  addProblems(ctx, elastiCacheEngineVersionProblem(r.engine, r.engineVersion ?? DEFAULT_ENGINE_VERSIONS[r.engine])),
);

export const queueSchema = strictObject({
  maxReceiveCount: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(5)
    .describe("Receives before a message moves to the DLQ. Defaults to 5: a poison message costs at most 5 attempts."),
  maxProcessingSeconds: z
    .number()
    .int()
    .min(1)
    .max(7200)
    .default(DEFAULT_MAX_PROCESSING_SECONDS)
    .describe(
      "Longest time the worker spends on one message. Visibility timeout = 6 × this (AWS guidance), capped at 12 h; the worker's stop timeout = this + 10 s, capped at Fargate's 120 s. Defaults to 60.",
    ),
  messageRetentionDays: z
    .number()
    .int()
    .min(1)
    .max(14)
    .default(4)
    .describe("Days the work queue keeps a message; less than the DLQ's 14. Defaults to 4."),
}).superRefine((q, ctx) => {
  const allowed = sqsDeadLetterRetentionProblem(q.messageRetentionDays * SECONDS_PER_DAY, DLQ_RETENTION_SECONDS);
  if (allowed !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["messageRetentionDays"],
      message: `${allowed} (13 days at most)`,
      input: q.messageRetentionDays,
    });
  }
});

export const albSchema = strictObject({
  deletionProtection: z
    .boolean()
    .optional()
    .describe("ALB deletion protection. Defaults to true in production, false elsewhere."),
  idleTimeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(4000)
    .default(60)
    .describe("Idle connection timeout. Defaults to 60."),
  sslPolicy: z
    .enum(TLS_POLICIES)
    .default("ELBSecurityPolicy-TLS13-1-2-2021-06")
    .describe("HTTPS listener policy (TLS 1.3 and 1.2 only). Defaults to ELBSecurityPolicy-TLS13-1-2-2021-06."),
  acceptOnlyFromAccelerator: z
    .boolean()
    .default(false)
    .describe(
      "Accept HTTP/HTTPS on the ALB only from Global Accelerator's `GlobalAccelerator` security group in its VPC (client IP preservation), not from 0.0.0.0/0. Caveats (a group GA creates and never deletes; teardown) in docs/security.md. Defaults to false.",
    ),
});

/**
 * Global Accelerator settings. There are no health-check keys: for ALB endpoints the accelerator uses the load
 * balancer's own target health, and endpoint-group health checks apply only to EC2 and Elastic IP endpoints
 * (Global Accelerator guide, "Health check options"). Failover speed is set by services.<name>.healthCheck.
 */
export const acceleratorSchema = strictObject({
  flowLogs: z
    .boolean()
    .default(true)
    .describe("Write Global Accelerator flow logs to an encrypted bucket. Defaults to true."),
});
