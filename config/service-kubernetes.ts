/**
 * `services.<name>.kubernetes`: replicas or an HPA range, the container port, resource requests and limits,
 * and egress outside the cluster, for the local stack (KubernetesApp).
 */
import { z } from "zod";
import { cidrBlock, port, strictObject } from "./primitives";

/** A Kubernetes resource quantity such as `250m`, `0.5`, `512Mi` or `1Gi` (no spaces). */
export const kubernetesQuantity = z.string().regex(/^(?:\d+(?:\.\d+)?|\.\d+)(?:m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/, {
  error: "must be a Kubernetes quantity such as 250m, 0.5, 512Mi or 1Gi (digits then an optional unit, no spaces)",
});

const kubernetesEgress = strictObject({
  cidr: cidrBlock.describe("Destination IPv4 CIDR block, e.g. 203.0.113.0/24 (0.0.0.0/0: any address)."),
  ports: z.array(port).min(1).describe("Destination ports, e.g. [443]. At least one."),
  protocol: z.enum(["TCP", "UDP"]).default("TCP").describe("Defaults to TCP."),
});

/** `services.<name>.kubernetes`: how the local stack renders the service (lib/kubernetes.ts). */
export const kubernetesSettingsSchema = strictObject({
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
