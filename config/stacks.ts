/**
 * One schema per stack. Every key lives under the `helium:` namespace in `Pulumi.<stack>.yaml`; the home
 * region is `aws:region`. Defaults that differ by environment (NAT strategy, deletion protection, …) are
 * stated in each key's description and applied by {@link resolveAwsEnvironment}.
 */
import { z } from "zod";
import { MAX_AZS, findOverlaps, subnetLayout } from "../lib/cidr";
import { type Environment } from "../lib/naming";
import { REGIONS, regionInfo } from "../lib/regions";
import { alertsSchema, grafanaRegionFor, grafanaSchema, tracingSchema } from "./observability";
import { localStackSchema } from "./kubernetes";
import {
  cidrBlock,
  dnsLabel,
  domainName,
  envVarName,
  imageTagOrDigest,
  logRetentionDays,
  percentage,
  regionCode,
  stackReferenceName,
  strictObject,
} from "./primitives";
import { servicesSchema, withDefaultServices } from "./services";

export const KNOWN_STACKS = ["shared", "staging", "production", "local"] as const;
export type StackName = (typeof KNOWN_STACKS)[number];

/** Keys the platform writes into every region's backend secret; services may inject them without declaring. */
export const PLATFORM_SECRET_KEYS = ["REDIS_HOST", "REDIS_PORT", "REDIS_AUTH_TOKEN"] as const;

export const INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs", "xray"] as const;
export type InterfaceEndpoint = (typeof INTERFACE_ENDPOINTS)[number];

export const TLS_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
] as const;

const regionSchema = strictObject({
  region: regionCode.describe("AWS region code, e.g. ap-southeast-1."),
  vpcCidr: cidrBlock
    .optional()
    .describe(
      "VPC CIDR (/16-/19). Defaults to 10.<10×n>.0.0/16 in production and 10.<100+10×n>.0.0/16 elsewhere, n from lib/regions.ts (Mumbai 1, Singapore 2, Virginia 3), so regions and environments never overlap.",
    ),
  azCount: z
    .number()
    .int()
    .min(2, { error: "at least 2 availability zones are needed for ALB, NAT and Redis failover" })
    .max(MAX_AZS)
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

const redisSchema = strictObject({
  nodeType: z
    .string()
    .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, {
      error: "must be an ElastiCache node type such as cache.t3.micro (cache.<family>.<size>)",
    })
    .default("cache.t3.micro")
    .describe("Node type. Defaults to cache.t3.micro, as in the seed."),
  engine: z.enum(["valkey", "redis"]).default("valkey").describe("Engine. Defaults to valkey."),
  engineVersion: z
    .string()
    .regex(/^\d+\.\d+$/)
    .optional()
    .describe("Engine version. Defaults to 8.0 for valkey, 7.1 for redis."),
  replicas: z
    .number()
    .int()
    .min(0)
    .max(5)
    .default(1)
    .describe("Read replicas. Defaults to 1, as in the seed; ≥1 enables automatic failover and Multi-AZ."),
  snapshotRetentionDays: z
    .number()
    .int()
    .min(0)
    .max(35)
    .optional()
    .describe("Days of automatic snapshots. Defaults to 7 in production, 0 elsewhere."),
});

const queueSchema = strictObject({
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
    .default(60)
    .describe(
      "Longest time the worker spends on one message. Visibility timeout = 6 × this (AWS guidance), capped at 12 h. Defaults to 60.",
    ),
  messageRetentionDays: z
    .number()
    .int()
    .min(1)
    .max(14)
    .default(4)
    .describe("Days the work queue keeps a message. Defaults to 4 (the DLQ keeps 14)."),
});

const albSchema = strictObject({
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
});

const acceleratorSchema = strictObject({
  flowLogs: z
    .boolean()
    .default(true)
    .describe("Write Global Accelerator flow logs to an encrypted bucket. Defaults to true."),
  healthCheckIntervalSeconds: z
    .union([z.literal(10), z.literal(30)])
    .default(10)
    .describe("Endpoint group health-check interval (10 or 30). Defaults to 10 for fast failover."),
  healthCheckPath: z
    .string()
    .regex(/^\//)
    .default("/api/health")
    .describe("Health-check path GA probes on each ALB over HTTPS. Defaults to /api/health."),
  thresholdCount: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(3)
    .describe("Consecutive checks that flip an endpoint's health. Defaults to 3."),
});

/** Config of an AWS application environment (`staging`, `production`). */
export const awsEnvironmentSchema = strictObject({
  sharedStack: stackReferenceName.describe(
    "StackReference name of the shared stack, e.g. acme/helium/shared. Required.",
  ),
  promoteFrom: stackReferenceName
    .optional()
    .describe(
      "StackReference name of the stack whose exported imageTag is deployed (production: staging). Mutually exclusive with imageTag.",
    ),
  imageTag: imageTagOrDigest
    .optional()
    .describe("Image tag or digest deployed from the shared ECR repositories. Required unless promoteFrom is set."),
  apiRecordName: dnsLabel
    .optional()
    .describe("DNS label of the API record in the shared zone. Defaults to api in production, api-staging elsewhere."),
  appOrigins: z
    .array(z.url({ protocol: /^https$/, error: "must be an https:// origin" }))
    .optional()
    .describe("Origins allowed by the files bucket's CORS. Defaults to https://<domain> and https://www.<domain>."),
  regions: z
    .array(regionSchema)
    .min(1, { error: "at least one region is needed" })
    .describe("Regions this environment runs in. The first holds the dashboard and, where offered, Grafana. Required."),
  services: z
    .preprocess(withDefaultServices, servicesSchema)
    .describe("Services, merged field by field over the defaults (backend, worker, frontend). See config/services.ts."),
  appSecrets: z
    .record(envVarName, z.string())
    .default({})
    .describe(
      `Extra keys for the backend secret; set with 'pulumi config set --secret --path helium:appSecrets.KEY'. ${PLATFORM_SECRET_KEYS.join(", ")} are written by the platform. Defaults to none.`,
    ),
  redis: redisSchema.prefault({}).describe("ElastiCache settings."),
  queue: queueSchema.prefault({}).describe("Work queue settings."),
  alb: albSchema.prefault({}).describe("Load balancer settings."),
  accelerator: acceleratorSchema.prefault({}).describe("Global Accelerator settings."),
  logRetentionDays: logRetentionDays.default(30).describe("Retention of service and flow log groups. Defaults to 30."),
  protect: z
    .boolean()
    .optional()
    .describe(
      "Protect stateful resources (bucket, cache, secret, queues) from deletion. Defaults to true in production, false elsewhere.",
    ),
  alerts: alertsSchema.prefault({}).describe("Alarm thresholds and subscribers."),
  grafana: grafanaSchema.prefault({}).describe("Managed Grafana workspace."),
  tracing: tracingSchema.prefault({}).describe("X-Ray sampling."),
}).superRefine((cfg, ctx) => {
  if (cfg.promoteFrom !== undefined && cfg.imageTag !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["imageTag"],
      message: `imageTag and promoteFrom are mutually exclusive: promotion deploys exactly what ${cfg.promoteFrom} exports`,
      input: cfg.imageTag,
    });
  }
  if (cfg.promoteFrom === undefined && cfg.imageTag === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["imageTag"],
      message: "set helium:imageTag (a tag or sha256 digest) or helium:promoteFrom (a stack to promote from)",
      input: undefined,
    });
  }
  const codes = cfg.regions.map((r) => r.region);
  codes.forEach((code, i) => {
    if (codes.indexOf(code) !== i)
      ctx.addIssue({
        code: "custom",
        path: ["regions", i, "region"],
        message: `region ${code} is listed twice`,
        input: code,
      });
  });
  cfg.regions.forEach((r, i) => {
    const info = REGIONS.get(r.region);
    if (!info) return; // reported by regionCode
    if (r.availabilityZones) {
      r.availabilityZones.forEach((az, j) => {
        const letter = az.slice(r.region.length);
        if (!az.startsWith(r.region) || !info.azLetters.includes(letter)) {
          ctx.addIssue({
            code: "custom",
            path: ["regions", i, "availabilityZones", j],
            message: `not an availability zone of ${r.region}; allowed: ${info.azLetters.map((l) => r.region + l).join(", ")}`,
            input: az,
          });
        }
      });
    } else if (r.azCount > info.azLetters.length) {
      ctx.addIssue({
        code: "custom",
        path: ["regions", i, "azCount"],
        message: `${r.region} offers ${info.azLetters.length} zones here (${info.azLetters.join(", ")})`,
        input: r.azCount,
      });
    }
    if (r.vpcCidr) {
      try {
        subnetLayout(r.vpcCidr, r.availabilityZones?.length ?? r.azCount);
      } catch (e) {
        ctx.addIssue({
          code: "custom",
          path: ["regions", i, "vpcCidr"],
          message: (e as Error).message,
          input: r.vpcCidr,
        });
      }
    }
  });
  if (cfg.grafana.enabled && cfg.grafana.region === undefined) {
    // Caught here so the error is a config error at parse time, not a component error mid-program.
    const placement = grafanaRegionFor(cfg.grafana, codes);
    if ("error" in placement)
      ctx.addIssue({
        code: "custom",
        path: ["grafana", "region"],
        message: placement.error,
        input: cfg.grafana.region,
      });
  }
  const declared = new Set<string>([...PLATFORM_SECRET_KEYS, ...Object.keys(cfg.appSecrets)]);
  for (const [name, svc] of Object.entries(cfg.services)) {
    svc.secrets.forEach((key, j) => {
      if (!declared.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["services", name, "secrets", j],
          message: `the backend secret does not declare "${key}"; declared keys: ${[...declared].join(", ")} (add it with helium:appSecrets)`,
          input: key,
        });
      }
    });
  }
});
export type AwsEnvironmentConfigInput = z.infer<typeof awsEnvironmentSchema>;

/** Config of the `shared` stack: DNS zone, ECR, GitHub OIDC deploy roles. */
export const sharedStackSchema = strictObject({
  domain: domainName.default("he2.site").describe("Apex domain served by Helium. Defaults to he2.site."),
  hostedZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{1,31}$/, { error: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" })
    .optional()
    .describe("Adopt this existing hosted zone instead of creating one. Defaults to creating a zone."),
  repositories: z
    .array(z.string().regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/))
    .min(1)
    .default(["helium-backend", "helium-frontend"])
    .describe("ECR repositories. Defaults to helium-backend and helium-frontend."),
  keepLastImages: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(30)
    .describe("Images kept per repository by the lifecycle policy. Defaults to 30."),
  replicationRegions: z
    .array(regionCode)
    .default([])
    .describe(
      "Regions that receive a replica of every image pushed to the home region (aws:region). List every region a stack runs in. Defaults to none.",
    ),
  github: strictObject({
    repository: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: "must be owner/name, e.g. acme/helium" })
      .describe("GitHub repository allowed to assume the deploy roles. Required."),
    deployments: z
      .record(
        z.enum(["staging", "production"]),
        strictObject({
          branch: z
            .string()
            .regex(/^[A-Za-z0-9._/-]+$/)
            .describe("Only workflows on this branch may assume the role."),
          pushImages: z
            .boolean()
            .default(false)
            .describe(
              "The role may push to the ECR repositories in the home region (the pipeline that builds images). Defaults to false.",
            ),
        }),
      )
      .default({
        staging: { branch: "beta", pushImages: true },
        production: { branch: "migrated-demo2", pushImages: false },
      })
      .describe(
        "Deploy role per environment and the branch it trusts. Defaults to staging ← beta (builds and pushes images), production ← migrated-demo2 (promotes only).",
      ),
  }).describe("GitHub Actions OIDC trust."),
}).superRefine((cfg, ctx) => {
  cfg.replicationRegions.forEach((code, i) => {
    if (cfg.replicationRegions.indexOf(code) !== i)
      ctx.addIssue({
        code: "custom",
        path: ["replicationRegions", i],
        message: `region ${code} is listed twice`,
        input: code,
      });
  });
});
export type SharedStackConfig = z.infer<typeof sharedStackSchema>;

export const STACK_SCHEMAS = {
  shared: sharedStackSchema,
  staging: awsEnvironmentSchema,
  production: awsEnvironmentSchema,
  local: localStackSchema,
} as const;

/** One region with every default resolved for its environment. */
export interface ResolvedRegionConfig {
  readonly region: string;
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  readonly natGateways: "perAz" | "single";
  readonly interfaceEndpoints: readonly InterfaceEndpoint[];
  readonly trafficDialPercent: number;
}

export type ResolvedAwsEnvironment = Omit<
  AwsEnvironmentConfigInput,
  "regions" | "apiRecordName" | "protect" | "redis" | "alb"
> & {
  readonly environment: Environment;
  /** The stack's `aws:region`; providers default to it, but every regional resource names its own region. */
  readonly homeRegion: string;
  readonly regions: readonly ResolvedRegionConfig[];
  readonly apiRecordName: string;
  readonly protect: boolean;
  readonly redis: AwsEnvironmentConfigInput["redis"] & { readonly snapshotRetentionDays: number };
  readonly alb: AwsEnvironmentConfigInput["alb"] & { readonly deletionProtection: boolean };
};

/** Default VPC CIDR: 10.<10n>.0.0/16 in production, 10.<100+10n>.0.0/16 elsewhere. */
export function defaultVpcCidr(environment: Environment, region: string): string {
  const base = environment === "production" ? 0 : 100;
  return `10.${base + regionInfo(region).cidrIndex * 10}.0.0/16`;
}

/** Applies the environment-dependent defaults and the checks that need them (CIDR overlap). */
export function resolveAwsEnvironment(
  environment: Environment,
  homeRegion: string,
  cfg: AwsEnvironmentConfigInput,
): ResolvedAwsEnvironment {
  const production = environment === "production";
  const regions: ResolvedRegionConfig[] = cfg.regions.map((r) => ({
    region: r.region,
    vpcCidr: r.vpcCidr ?? defaultVpcCidr(environment, r.region),
    availabilityZones:
      r.availabilityZones ??
      regionInfo(r.region)
        .azLetters.slice(0, r.azCount)
        .map((l) => r.region + l),
    natGateways: r.natGateways ?? (production ? "perAz" : "single"),
    interfaceEndpoints: r.interfaceEndpoints ?? (production ? [...INTERFACE_ENDPOINTS] : []),
    trafficDialPercent: r.trafficDialPercent,
  }));
  const overlaps = findOverlaps(regions.map((r) => r.vpcCidr));
  if (overlaps.length > 0) {
    const [i, j] = overlaps[0];
    throw new ConfigError(environment, [
      {
        key: `helium:regions[${j}].vpcCidr`,
        value: regions[j].vpcCidr,
        message: `overlaps helium:regions[${i}].vpcCidr (${regions[i].vpcCidr}, ${regions[i].region}); VPC CIDRs must be disjoint so regions can be peered`,
      },
    ]);
  }
  return {
    ...cfg,
    environment,
    homeRegion,
    regions,
    apiRecordName: cfg.apiRecordName ?? (production ? "api" : `api-${environment}`),
    protect: cfg.protect ?? production,
    redis: { ...cfg.redis, snapshotRetentionDays: cfg.redis.snapshotRetentionDays ?? (production ? 7 : 0) },
    alb: { ...cfg.alb, deletionProtection: cfg.alb.deletionProtection ?? production },
  };
}

/** One problem in a stack's config, with the key as written in Pulumi.<stack>.yaml. */
export interface ConfigIssue {
  readonly key: string;
  readonly value: unknown;
  readonly message: string;
}

/** A config error that names every bad key, its value and what is allowed. Thrown before any resource exists. */
export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `Invalid configuration for stack "${stack}":\n` +
        issues
          .map((i) => `  - ${i.key}: ${i.value === undefined ? "(missing)" : JSON.stringify(i.value)} — ${i.message}`)
          .join("\n"),
    );
    this.name = "ConfigError";
  }
}
