/**
 * Service declarations: one definition per service serves both ECS (HeliumService) and Kubernetes
 * (KubernetesApp). Stack config may override any field of the defaults or add a service.
 *
 * The defaults reproduce the Helium seed: backend (port 8000, `/api/*`, health `/api/health`,
 * 0.5 vCPU / 1 GB, 2 tasks), worker (the backend image running `python run_worker.py`, 1-10 tasks),
 * frontend (port 3000 on ECS, 80 in the kind manifests, the ALB's default route), in service-defaults.ts.
 * Routes and health checks are in service-routing.ts, the Kubernetes settings in service-kubernetes.ts.
 */
import { z } from "zod";
import {
  autoscalingPercentTargetProblem,
  ecrRepositoryNameProblem,
  scalingCapacityProblems,
} from "../lib/aws-constraints";
import { fargateCpuAllowed } from "../lib/fargate";
import { PLATFORM_SECRET_KEYS } from "../lib/platform";
import { SERVICE_NAME_PATTERN } from "../lib/naming";
import { addProblems, allowedBy } from "./constraints";
import { capacityProviderStrategySchema, execSchema, oneOffTasksSchema } from "./service-capabilities";
import { kubernetesSettingsSchema } from "./service-kubernetes";
import { healthCheckSchema, routeSchema } from "./service-routing";
import { envVarName, port, serviceName, strictObject } from "./primitives";

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
  routes: z
    .array(routeSchema)
    .default([])
    .describe("ALB listener rules sending traffic to this service. Defaults to none."),
  healthCheck: healthCheckSchema
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
  kubernetes: kubernetesSettingsSchema.optional().describe("Kubernetes rendering settings (local stack)."),
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
  const cpuAllowed = fargateCpuAllowed(svc.cpu, svc.memory);
  if (cpuAllowed) ctx.addIssue({ code: "custom", path: ["cpu"], message: cpuAllowed, input: svc.cpu });
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
