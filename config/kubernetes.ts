/**
 * Config of the `local` stack: Helium on a Kubernetes cluster (kind by default), rendered from the same
 * service declarations as ECS (config/services.ts).
 */
import { z } from "zod";
import { dnsLabel, envVarName, strictObject } from "./primitives";
import { servicesSchema, withDefaultServices } from "./services";

/**
 * An image reference with a repository: `[registry/]repository[:tag][@sha256:digest]`.
 * `:latest`-only or digest-only references have no repository and are rejected.
 */
export const imageReference = z.string().regex(
  /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
  { error: "must be an image reference with a repository, e.g. helium-backend:local or docker.io/acme/helium-backend:1.4.0" },
);

export const localStackSchema = strictObject({
  kubeContext: z.string().min(1).default("kind-helium").describe("kubeconfig context to deploy to. Defaults to kind-helium (what `kind create cluster --name helium` creates)."),
  namespace: dnsLabel.default("helium").describe("Namespace for every Helium object. Defaults to helium."),
  services: z.preprocess(withDefaultServices, servicesSchema).describe("Services, the same declarations as ECS; the kubernetes block of each sets replicas, HPA and resources."),
  images: z.record(z.string(), imageReference).default({ "helium-backend": "helium-backend:local", "helium-frontend": "helium-frontend:local" })
    .describe("Image per repository name. Defaults to helium-backend:local and helium-frontend:local (load them with `kind load docker-image`)."),
  appSecrets: z.record(envVarName, z.string()).default({}).describe("Secret values for the backend and worker; set with 'pulumi config set --secret --path helium:appSecrets.KEY'. Defaults to none."),
  ingressClassName: z.string().min(1).default("nginx").describe("IngressClass of the controller. Defaults to nginx (ingress-nginx)."),
  ingressHost: z.string().optional().describe("Host the Ingress answers for. Defaults to any host."),
  installClusterAddons: z.boolean().default(true).describe("Install metrics-server and ingress-nginx with the program. Defaults to true."),
  redisImage: imageReference.default("redis:7.2-alpine").describe("Image of the in-cluster Redis. Defaults to redis:7.2-alpine."),
});
export type LocalStackConfig = z.infer<typeof localStackSchema>;
