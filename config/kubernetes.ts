/**
 * Config of the `local` stack: Helium on a Kubernetes cluster (kind by default), rendered from the same
 * service declarations as ECS (config/services.ts). Checks that need several keys at once (an image for
 * every repository, HPA ranges, requests ≤ limits, secrets with a value) live in lib/kubernetes.ts and
 * run here and again in the KubernetesApp constructor.
 */
import { z } from "zod";
import { postgresDatabaseNameProblem, postgresMasterUsernameProblem } from "../lib/aws-constraints";
import { type ConfigRule, refineWith } from "./rules";
import { PLATFORM_SECRET_KEYS } from "../lib/platform";
import {
  ALWAYS_RUNNING_STORES,
  DEFAULT_INGRESS_CONTROLLER,
  IMAGE_REFERENCE_HINT,
  IMAGE_REFERENCE_PATTERN,
  LABEL_KEY_PATTERN,
  LABEL_VALUE_PATTERN,
} from "../lib/kubernetes";
import { kubernetesIssues } from "../lib/kubernetes-issues";
import { allowedBy } from "./constraints";
import { dnsLabel, envVarName, strictObject } from "./primitives";
import { withDefaultServices } from "./service-defaults";
import { servicesSchema } from "./services";

/**
 * An image reference with a repository: `[registry/]repository[:tag][@sha256:digest]`.
 * `:latest`-only or digest-only references have no repository and are rejected.
 */
export const imageReference = z.string().regex(IMAGE_REFERENCE_PATTERN, { error: `must be ${IMAGE_REFERENCE_HINT}` });

/** A DNS host name for an Ingress rule, optionally with one leading `*.` label. */
const ingressHost = z
  .string()
  .regex(/^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
    error: "must be a lower-case host name such as helium.localhost or *.example.com (no scheme, no port)",
  });

export const localObject = strictObject({
  role: z
    .literal("kubernetes")
    .describe("What this stack is: `kubernetes` (Helium on a Kubernetes cluster). Required."),
  kubeContext: z
    .string()
    .min(1)
    .default("kind-helium")
    .describe(
      "kubeconfig context to deploy to; every object uses an explicit provider for it. Defaults to kind-helium (what `kind create cluster --config kind-cluster.yaml` creates).",
    ),
  namespace: dnsLabel.default("helium").describe("Namespace for every Helium object. Defaults to helium."),
  services: z
    .preprocess(withDefaultServices, servicesSchema)
    .describe("Services, the same declarations as ECS; the kubernetes block of each sets replicas, HPA and resources."),
  images: z
    .record(z.string(), imageReference)
    .default({ "helium-backend": "helium-backend:local", "helium-frontend": "helium-frontend:local" })
    .describe(
      "Image per repository name; every enabled service's repository needs one. Defaults to helium-backend:local and helium-frontend:local (load them with `kind load docker-image`).",
    ),
  appSecrets: z
    .record(envVarName, z.string())
    .default({})
    .describe(
      `Secret values added to the Secret of every service that declares secrets (backend, worker); set with 'pulumi config set --secret --path helium:appSecrets.KEY'. ${PLATFORM_SECRET_KEYS.join(", ")} are written by the platform. Defaults to none.`,
    ),
  ingressClassName: z
    .string()
    .min(1)
    .default("nginx")
    .describe("IngressClass of the controller. Defaults to nginx (ingress-nginx)."),
  ingressHost: ingressHost
    .optional()
    .describe("Host the Ingress answers for. Defaults to any host (http://localhost/ on kind)."),
  ingressController: strictObject({
    namespace: dnsLabel.describe("Namespace of the controller's pods."),
    podLabels: z
      .record(
        z.string().regex(LABEL_KEY_PATTERN, { error: "must be a label key" }),
        z.string().regex(LABEL_VALUE_PATTERN, { error: "must be a label value" }),
      )
      .refine((labels) => Object.keys(labels).length > 0, { error: "must name at least one label" })
      .describe("Labels of the controller's pods."),
  })
    .default({ ...DEFAULT_INGRESS_CONTROLLER, podLabels: { ...DEFAULT_INGRESS_CONTROLLER.podLabels } })
    .describe(
      "Pods of the ingress controller, the only ones the NetworkPolicies let reach the routed services. Defaults to ingress-nginx's controller in namespace ingress-nginx (what installClusterAddons installs).",
    ),
  installClusterAddons: z
    .boolean()
    .default(true)
    .describe(
      "Install metrics-server and ingress-nginx (pinned Helm charts) with the program. Defaults to true: a fresh kind cluster has neither. Set false on a cluster that already runs them.",
    ),
  redisImage: imageReference
    .default("redis:7.2-alpine")
    .describe("Image of the in-cluster Redis. Defaults to redis:7.2-alpine."),
  database: strictObject({
    image: imageReference
      .default("postgres:17-alpine")
      .describe(
        "Image of the in-cluster PostgreSQL; the pod runs as UID 70, the Alpine images' postgres user. Defaults to postgres:17-alpine.",
      ),
    name: z
      .string()
      .superRefine(allowedBy(postgresDatabaseNameProblem))
      .default("helium")
      .describe("Database created at first start (DB_NAME). Defaults to helium."),
    username: z
      .string()
      .superRefine(allowedBy(postgresMasterUsernameProblem))
      .default("helium")
      .describe("User created at first start (DB_USER); its password is generated. Defaults to helium."),
  })
    .optional()
    .describe(
      'An in-cluster PostgreSQL (the part RDS plays on AWS) for the services that declare consumes: ["database"]; data lives as long as the pod. Defaults to none (no database); `{}` turns it on.',
    ),
  runAsUser: z
    .number()
    .int()
    .min(1, { error: "must be a non-root UID (1 or more)" })
    .max(2147483647)
    .default(10001)
    .describe("UID (and GID) the Helium containers run as; root is refused by runAsNonRoot. Defaults to 10001."),
});
/** The local stack's keys, each validated on its own (before the cross-field rules). */
export type LocalShape = z.infer<typeof localObject>;

/** Cross-field rules of the local stack's config (config/rules.ts runs them on every key that parsed). */
export const LOCAL_RULES: readonly ConfigRule<LocalShape>[] = [
  {
    keys: ["services", "images", "appSecrets", "database"],
    check: (cfg, add) => {
      const issues = kubernetesIssues({
        services: cfg.services,
        images: cfg.images,
        appSecretKeys: Object.keys(cfg.appSecrets),
        platformSecretKeys: PLATFORM_SECRET_KEYS,
        stores: [...ALWAYS_RUNNING_STORES, ...(cfg.database !== undefined ? (["database"] as const) : [])],
      });
      for (const issue of issues) add(issue.path, issue.message, issue.value);
    },
  },
];

export const localStackSchema = localObject.superRefine((cfg, ctx) => refineWith(LOCAL_RULES)(cfg, ctx));
export type LocalStackConfig = z.infer<typeof localStackSchema>;
