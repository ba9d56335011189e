/**
 * Service declarations: one definition per service serves both ECS (HeliumService) and Kubernetes
 * (KubernetesApp). Stack config may override any field of the defaults or add a service.
 *
 * The defaults reproduce the Helium seed: backend (port 8000, `/api/*`, health `/api/health`,
 * 0.5 vCPU / 1 GB, 2 tasks), worker (the backend image running `python run_worker.py`, 1-10 tasks),
 * frontend (port 3000 on ECS, 80 in the kind manifests, the ALB's default route).
 */
import { z } from "zod";
import {
  albHealthCheckMatcherProblem,
  albHostHeaderProblem,
  albPathPatternProblem,
  albRuleConditionsProblem,
  autoscalingPercentTargetProblem,
  ecrRepositoryNameProblem,
  scalingCapacityProblems,
  targetGroupHealthCheckProblems,
} from "../lib/aws-constraints";
import { fargateSizeError } from "../lib/fargate";
import { PLATFORM_SECRET_KEYS } from "../lib/platform";
import { SERVICE_NAME_PATTERN } from "../lib/naming";
import { addProblems, allowedBy } from "./constraints";
import { capacityProviderStrategySchema, execSchema, oneOffTasksSchema } from "./service-capabilities";
import { cidrBlock, envVarName, port, serviceName, strictObject } from "./primitives";

/** A Kubernetes resource quantity such as `250m`, `0.5`, `512Mi` or `1Gi` (no spaces). */
export const kubernetesQuantity = z.string().regex(/^(?:\d+(?:\.\d+)?|\.\d+)(?:m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/, {
  error: "must be a Kubernetes quantity such as 250m, 0.5, 512Mi or 1Gi (digits then an optional unit, no spaces)",
});

const route = strictObject({
  pathPatterns: z
    .array(
      z
        .string()
        .regex(/^\//, { error: "must start with /, e.g. /api/*" })
        .superRefine(allowedBy(albPathPatternProblem)),
    )
    .min(1)
    .max(5)
    .optional()
    .describe('ALB path patterns, e.g. ["/api/*"]. Together with hostHeaders at most 5 values (ALB quota).'),
  hostHeaders: z
    .array(z.string().superRefine(allowedBy(albHostHeaderProblem)))
    .min(1)
    .max(5)
    .optional()
    .describe('Host header patterns for host-based routing (ReptiDex style), e.g. ["admin.he2.site"].'),
  priority: z
    .number()
    .int()
    .min(1)
    .max(50000)
    .optional()
    .describe(
      "Listener rule priority (1-50000, lower wins). Defaults to a deterministic value from the route's specificity and the service name.",
    ),
}).superRefine((r, ctx) => {
  if (r.pathPatterns === undefined && r.hostHeaders === undefined) {
    ctx.addIssue({ code: "custom", message: "a route with pathPatterns, hostHeaders or both", input: r });
    return;
  }
  allowedBy(albRuleConditionsProblem)(r, ctx);
});
export type RouteSpec = z.infer<typeof route>;

const healthCheck = strictObject({
  path: z
    .string()
    .regex(/^\//, { error: "must start with /" })
    .describe("HTTP path probed by the ALB and Kubernetes. Defaults to /."),
  matcher: z
    .string()
    .superRefine(allowedBy(albHealthCheckMatcherProblem))
    .default("200-399")
    .describe("HTTP codes that count as healthy (200-499: a code, a list or a range). Defaults to 200-399."),
  intervalSeconds: z
    .number()
    .int()
    .min(5)
    .max(300)
    .default(5)
    .describe(
      "Seconds between ALB health checks. Defaults to 5 (AWS default 30): with unhealthyThreshold 3 a dead region is out of Global Accelerator's rotation within 15 s.",
    ),
  timeoutSeconds: z
    .number()
    .int()
    .min(2)
    .max(120)
    .default(4)
    .describe("Seconds before a check fails; less than intervalSeconds. Defaults to 4."),
  healthyThreshold: z
    .number()
    .int()
    .min(2)
    .max(10)
    .default(3)
    .describe(
      "Consecutive successes to become healthy. Defaults to 3 (AWS default 5): a recovering target must pass for 15 s, so a flapping one does not flip the region back and forth.",
    ),
  unhealthyThreshold: z
    .number()
    .int()
    .min(2)
    .max(10)
    .default(3)
    .describe("Consecutive failures to become unhealthy. Defaults to 3 (AWS default 2): 3 × 5 s = 15 s to detect."),
  gracePeriodSeconds: z
    .number()
    .int()
    .min(0)
    .max(2147483647)
    .default(60)
    .describe("Seconds ECS ignores failing ALB checks after a task starts. Defaults to 60."),
}).superRefine((h, ctx) =>
  // The matcher has its own refinement; this adds the cross-field rules (timeout below interval).
  addProblems(ctx, targetGroupHealthCheckProblems({ ...h, matcher: undefined })),
);

const scaling = strictObject({
  min: z
    .number()
    .int()
    .min(0)
    .default(1)
    .describe("Fewest tasks. Defaults to 1 (Helium's services: backend 2, worker 1, frontend 2)."),
  max: z
    .number()
    .int()
    .min(1)
    .default(4)
    .describe("Most tasks. Defaults to 4 (Helium's services: backend 6, worker 10, frontend 4)."),
  cpuTargetPercent: z
    .number()
    .superRefine(allowedBy(autoscalingPercentTargetProblem))
    .default(70)
    .describe("Target average CPU utilisation. Defaults to 70, as in the seeds."),
  memoryTargetPercent: z
    .number()
    .superRefine(allowedBy(autoscalingPercentTargetProblem))
    .default(70)
    .describe("Target average memory utilisation. Defaults to 70."),
  scaleOutCooldownSeconds: z
    .number()
    .int()
    .min(0)
    .default(60)
    .describe("Seconds after a scale-out before another. Defaults to 60: react fast to load."),
  scaleInCooldownSeconds: z
    .number()
    .int()
    .min(0)
    .default(300)
    .describe("Seconds after a scale-in before another. Defaults to 300: shed capacity slowly to avoid flapping."),
}).superRefine((s, ctx) => addProblems(ctx, scalingCapacityProblems(s.min, s.max)));

const queueScaling = strictObject({
  acceptableLatencySeconds: z
    .number()
    .int()
    .min(1)
    .default(300)
    .describe("How long a message may wait before being worked on. Defaults to 300."),
  secondsPerMessage: z
    .number()
    .min(0.001)
    .default(2)
    .describe("Average processing time of one message. Defaults to 2. Backlog target = latency ÷ this."),
}).describe("Target tracking on SQS backlog per task (visible messages ÷ running tasks). Only for queue consumers.");

const kubernetesEgress = strictObject({
  cidr: cidrBlock.describe("Destination IPv4 CIDR block, e.g. 203.0.113.0/24 (0.0.0.0/0: any address)."),
  ports: z.array(port).min(1).describe("Destination ports, e.g. [443]. At least one."),
  protocol: z.enum(["TCP", "UDP"]).default("TCP").describe("Defaults to TCP."),
});

const kubernetes = strictObject({
  replicas: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Fixed replica count when there is no HPA. Defaults to scaling.min."),
  minReplicas: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("HPA minimum. Omit both minReplicas and maxReplicas for no HPA."),
  maxReplicas: z.number().int().min(1).optional().describe("HPA maximum."),
  cpuTargetPercent: z
    .number()
    .int()
    .min(1, { error: "HPA CPU target must be 1-100" })
    .max(100, { error: "HPA CPU target must be 1-100" })
    .default(70)
    .describe("HPA average CPU utilisation target. Defaults to 70."),
  containerPort: port
    .optional()
    .describe(
      "Port the container listens on in Kubernetes. Defaults to the ECS port (the seed's frontend uses 80 here).",
    ),
  requests: strictObject({ cpu: kubernetesQuantity, memory: kubernetesQuantity })
    .default({ cpu: "250m", memory: "512Mi" })
    .describe("Resource requests. Defaults to 250m / 512Mi, as in the seed."),
  limits: strictObject({ cpu: kubernetesQuantity, memory: kubernetesQuantity })
    .default({ cpu: "500m", memory: "1Gi" })
    .describe("Resource limits. Defaults to 500m / 1Gi, as in the seed."),
  egress: z
    .array(kubernetesEgress)
    .default([])
    .describe(
      "Destinations outside the cluster the pods may connect to, as CIDR blocks and ports. Defaults to none: DNS and what the service consumes only.",
    ),
}).refine((k) => k.minReplicas === undefined || k.maxReplicas === undefined || k.minReplicas <= k.maxReplicas, {
  error: "kubernetes.minReplicas must be at most kubernetes.maxReplicas",
});

export const serviceSchema = strictObject({
  enabled: z.boolean().default(true).describe("Whether the service is deployed. Defaults to true."),
  repository: z
    .string()
    .superRefine(allowedBy(ecrRepositoryNameProblem))
    .describe("ECR repository (shared stack) holding the image, e.g. helium-backend."),
  command: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Container command override, e.g. ["python", "run_worker.py"]. Defaults to the image\'s CMD.'),
  port: port.optional().describe("Container port. Omit for services without inbound traffic (the worker)."),
  routes: z.array(route).default([]).describe("ALB listener rules sending traffic to this service. Defaults to none."),
  healthCheck: healthCheck
    .optional()
    .describe("Health check for load-balanced services. Required when routes are set."),
  cpu: z.number().int().default(512).describe("Fargate task CPU units (1024 = 1 vCPU). Defaults to 512."),
  memory: z.number().int().default(1024).describe("Fargate task memory in MiB. Defaults to 1024."),
  desiredCount: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Initial task count. Defaults to scaling.min; autoscaling owns it afterwards."),
  scaling: scaling.prefault({}).describe("Autoscaling bounds and targets."),
  queue: z
    .enum(["none", "producer", "consumer"])
    .default("none")
    .describe(
      "Access to the region's work queue: producer may send, consumer may receive/delete/change visibility. Defaults to none.",
    ),
  queueScaling: queueScaling.optional(),
  consumes: z
    .array(z.string().regex(SERVICE_NAME_PATTERN, { error: "must be cache, database or another service's name" }))
    .default([])
    .refine((list) => new Set(list).size === list.length, { error: "lists an entry twice" })
    .describe(
      'What the service connects to: "cache" (ElastiCache on AWS, the in-cluster Redis on Kubernetes), "database" (helium:database: RDS on AWS, the in-cluster PostgreSQL on Kubernetes; the service gets DB_HOST, DB_PORT, DB_NAME, DB_USER and DB_PASSWORD as secrets), or another service by name, which it then calls as http://<service>:<port> (ECS Service Connect; a Service of that name on Kubernetes). Security groups and NetworkPolicies open exactly these paths. Defaults to none (Helium\'s backend and worker: cache).',
    ),
  secrets: z
    .array(envVarName)
    .default([])
    .describe(
      "Keys of the region's Secrets Manager secret injected as environment variables (valueFrom). Defaults to none.",
    ),
  environment: z
    .record(envVarName, z.string())
    .default({})
    .describe("Plain, non-secret environment variables. Defaults to none."),
  readonlyRootFilesystem: z
    .boolean()
    .default(true)
    .describe("Mount the root filesystem read-only (a writable /tmp is provided). Defaults to true."),
  xray: z.boolean().default(true).describe("Run the X-Ray daemon sidecar. Defaults to true."),
  deregistrationDelaySeconds: z
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(30)
    .describe(
      "Seconds the ALB drains a deregistering task. Defaults to 30 (AWS default 300): requests are short-lived.",
    ),
  // ECS capabilities (config/service-capabilities.ts, docs/ecs.md).
  capacityProviderStrategy: capacityProviderStrategySchema,
  tasks: oneOffTasksSchema,
  exec: execSchema,
  kubernetes: kubernetes.optional().describe("Kubernetes rendering settings (local stack)."),
}).superRefine((svc, ctx) => {
  const cacheKeys = svc.secrets.filter((k) => (PLATFORM_SECRET_KEYS as readonly string[]).includes(k));
  if (cacheKeys.length > 0 && !svc.consumes.includes("cache")) {
    ctx.addIssue({
      code: "custom",
      path: ["consumes"],
      message: `a list with "cache", because the service reads ${cacheKeys.join(", ")}: only services that declare the cache may reach it`,
      input: svc.consumes,
    });
  }
  const sizeError = fargateSizeError(svc.cpu, svc.memory);
  if (sizeError)
    ctx.addIssue({ code: "custom", path: ["cpu"], message: sizeError, input: { cpu: svc.cpu, memory: svc.memory } });
  if (svc.routes.length > 0 && svc.port === undefined) {
    ctx.addIssue({ code: "custom", path: ["port"], message: "a service with routes needs a port", input: svc.port });
  }
  if (svc.routes.length > 0 && svc.healthCheck === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["healthCheck"],
      message: "a service with routes needs a healthCheck with a path",
      input: svc.healthCheck,
    });
  }
  if (svc.queueScaling !== undefined && svc.queue !== "consumer") {
    ctx.addIssue({
      code: "custom",
      path: ["queueScaling"],
      message: `queueScaling needs queue: "consumer" (got "${svc.queue}")`,
      input: svc.queue,
    });
  }
  if (svc.enabled && svc.routes.length > 0 && svc.scaling.min < 1) {
    ctx.addIssue({
      code: "custom",
      path: ["scaling", "min"],
      // Global Accelerator pulls a region when any of its ALB's target groups has no healthy target (docs/failover.md).
      message:
        "at least 1 for a service behind the load balancer: an empty target group takes the whole region out of the accelerator",
      input: svc.scaling.min,
    });
  }
  if (svc.desiredCount !== undefined && (svc.desiredCount < svc.scaling.min || svc.desiredCount > svc.scaling.max)) {
    ctx.addIssue({
      code: "custom",
      path: ["desiredCount"],
      message: `desiredCount must lie within scaling ${svc.scaling.min}-${svc.scaling.max}`,
      input: svc.desiredCount,
    });
  }
});
export type ServiceSpec = z.infer<typeof serviceSchema>;
export type ServiceInput = z.input<typeof serviceSchema>;

/** Helium's three services as the seed runs them. Config entries are merged over these, field by field. */
export const DEFAULT_SERVICES: Readonly<Record<string, ServiceInput>> = {
  backend: {
    repository: "helium-backend",
    port: 8000,
    routes: [{ pathPatterns: ["/api/*"] }],
    healthCheck: { path: "/api/health" },
    cpu: 512,
    memory: 1024,
    scaling: { min: 2, max: 6 },
    queue: "producer",
    consumes: ["cache"],
    secrets: ["REDIS_HOST", "REDIS_PORT", "REDIS_AUTH_TOKEN"],
    kubernetes: {
      minReplicas: 2,
      maxReplicas: 6,
      requests: { cpu: "250m", memory: "512Mi" },
      limits: { cpu: "500m", memory: "1Gi" },
    },
  },
  worker: {
    repository: "helium-backend",
    command: ["python", "run_worker.py"],
    cpu: 512,
    memory: 1024,
    scaling: { min: 1, max: 10 },
    queue: "consumer",
    consumes: ["cache"],
    queueScaling: { acceptableLatencySeconds: 300, secondsPerMessage: 2 },
    // The base on on-demand Fargate keeps the queue drained through a Spot shortage; the rest, on Spot, is
    // interruptible work the queue retries (stopTimeout lets the message in hand finish, docs/ecs.md).
    capacityProviderStrategy: [
      { capacityProvider: "FARGATE", base: 1, weight: 0 },
      { capacityProvider: "FARGATE_SPOT", weight: 1 },
    ],
    secrets: ["REDIS_HOST", "REDIS_PORT", "REDIS_AUTH_TOKEN"],
    kubernetes: {
      minReplicas: 1,
      maxReplicas: 5,
      requests: { cpu: "250m", memory: "512Mi" },
      limits: { cpu: "500m", memory: "1Gi" },
    },
  },
  frontend: {
    repository: "helium-frontend",
    port: 3000,
    routes: [{ pathPatterns: ["/*"], priority: 50000 }],
    healthCheck: { path: "/" },
    cpu: 256,
    memory: 512,
    scaling: { min: 2, max: 4 },
    kubernetes: {
      replicas: 2,
      containerPort: 80,
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "250m", memory: "256Mi" },
    },
  },
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep merge where objects merge key by key and arrays or scalars replace. */
export function mergeOverrides(base: unknown, override: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(override)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) merged[key] = mergeOverrides(base[key], value);
    return merged;
  }
  return override === undefined ? base : override;
}

/** Config `helium:services` merged over {@link DEFAULT_SERVICES}; unknown names are new services. */
export function withDefaultServices(configured: unknown): unknown {
  if (configured === undefined) return { ...DEFAULT_SERVICES };
  if (!isPlainObject(configured)) return configured; // let the schema report the type error
  const names = new Set([...Object.keys(DEFAULT_SERVICES), ...Object.keys(configured)]);
  return Object.fromEntries([...names].map((name) => [name, mergeOverrides(DEFAULT_SERVICES[name], configured[name])]));
}

export const serviceNameSchema = serviceName;

export const servicesSchema = z.record(serviceNameSchema, serviceSchema).superRefine((services, ctx) => {
  // Routes must be unambiguous across services: the same condition twice would make one rule dead.
  const seen = new Map<string, string>();
  const priorities = new Map<number, string>();
  for (const [name, svc] of Object.entries(services)) {
    if (!svc.enabled) continue;
    svc.routes.forEach((r, index) => {
      const key = JSON.stringify({
        hosts: [...(r.hostHeaders ?? [])].sort(),
        paths: [...(r.pathPatterns ?? [])].sort(),
      });
      const previous = seen.get(key);
      if (previous) {
        ctx.addIssue({
          code: "custom",
          path: [name, "routes", index],
          message: `duplicate route: ${previous} already routes the same hosts and paths`,
          input: r,
        });
      }
      seen.set(key, `${name}.routes[${index}]`);
      if (r.priority !== undefined) {
        const owner = priorities.get(r.priority);
        if (owner)
          ctx.addIssue({
            code: "custom",
            path: [name, "routes", index, "priority"],
            message: `duplicate priority ${r.priority}: ${owner} uses it`,
            input: r.priority,
          });
        priorities.set(r.priority, `${name}.routes[${index}]`);
      }
    });
  }
});
export type ServicesSpec = z.infer<typeof servicesSchema>;
