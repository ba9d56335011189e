/**
 * Helium's services as the seed runs them, and the merge of stack config over them: backend (port 8000,
 * `/api/*`, health `/api/health`, 0.5 vCPU / 1 GB, 2 tasks), worker (the backend image running
 * `python run_worker.py`, 1-10 tasks), frontend (port 3000 on ECS, 80 in the kind manifests, the ALB's
 * default route).
 */
import type { ServiceInput } from "./services";

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
