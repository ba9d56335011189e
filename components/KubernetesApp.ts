/**
 * KubernetesApp: Helium on a Kubernetes cluster (kind or any other), rendered from the SAME service
 * declarations the ECS stacks use (config/services.ts). Per enabled service: a Deployment (probes, a
 * locked-down security context, the declared requests/limits), a Secret when it declares secrets, an HPA
 * when its kubernetes block has a replica range, a Service when it has a port, a PodDisruptionBudget, and
 * Ingress paths for its ALB routes. Plus the namespace, an in-cluster Redis (so REDIS_HOST works without
 * AWS), NetworkPolicies that deny every connection the declarations do not name and, when asked, the
 * cluster add-ons the HPAs and the Ingress need.
 *
 * This file validates the arguments and composes the parts in components/kubernetes/ (one concern each).
 * Every object is a direct child of this component, under the logical name it had before the split, so
 * existing stacks keep their URNs.
 *
 * Pass the Kubernetes provider through `providers: [provider]` (or `provider`): children inherit it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../config/services";
import {
  DEFAULT_INGRESS_CONTROLLER,
  IMAGE_REFERENCE_HINT,
  LABEL_KEY_PATTERN,
  LABEL_VALUE_PATTERN,
  type PodsInNamespace,
  containerPortOf,
  formatIssuePath,
  isImageReference,
  kubernetesIssues,
} from "../lib/kubernetes";
import { installClusterAddons } from "./kubernetes/addons";
import type { AppContext } from "./kubernetes/context";
import { type IngressRoute, createIngress, createService, ingressRoutesFor } from "./kubernetes/networking";
import { type PolicyService, createNetworkPolicies } from "./kubernetes/network-policy";
import { DEFAULT_REDIS_IMAGE, REDIS_PORT, createRedis } from "./kubernetes/redis";
import { PLATFORM_SECRET_KEYS, type PlatformSecretKey, createWorkload } from "./kubernetes/workloads";

export { CLUSTER_ADDONS } from "./kubernetes/addons";
export { REDIS_PORT, REDIS_UID } from "./kubernetes/redis";
export { PLATFORM_SECRET_KEYS } from "./kubernetes/workloads";

export interface KubernetesAppArgs {
  /**
   * Service declarations (config/services.ts), the same ones ECS renders. Disabled services are skipped.
   * Required. Plain values, not Inputs: they decide which objects exist and are validated up front.
   */
  readonly services: Readonly<Record<string, ServiceSpec>>;
  /** Image per repository name, e.g. `{ "helium-backend": "helium-backend:local" }`. Required for every enabled service's repository. */
  readonly images: Readonly<Record<string, string>>;
  /** Namespace created for every Helium object. Defaults to `helium`. */
  readonly namespace?: string;
  /** Prefix of every object name (`helium-backend`, `helium-redis`, …). Defaults to `helium`. */
  readonly namePrefix?: string;
  /**
   * Secret values added to the Secret of every service that declares secrets (backend, worker). Values are
   * wrapped with `pulumi.secret` whatever their source. Defaults to none.
   */
  readonly appSecrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** IngressClass of the controller. Defaults to `nginx`. */
  readonly ingressClassName?: string;
  /** Host the Ingress answers for. Defaults to any host. */
  readonly ingressHost?: string;
  /** Image of the in-cluster Redis. Defaults to `redis:7.2-alpine`. */
  readonly redisImage?: string;
  /** UID/GID of the Helium containers. Defaults to 10001 (never root: runAsNonRoot is always set). */
  readonly runAsUser?: number;
  /**
   * Pods of the ingress controller: the only ones the NetworkPolicies let reach the routed services (on
   * their container ports). Defaults to the ingress-nginx controller in namespace `ingress-nginx`
   * ({@link DEFAULT_INGRESS_CONTROLLER}), which `installClusterAddons` installs.
   */
  readonly ingressController?: PodsInNamespace;
  /**
   * Install metrics-server and ingress-nginx (pinned charts, see {@link CLUSTER_ADDONS}) configured for kind.
   * Defaults to false: a component should not install cluster-wide software unless asked; the local stack asks.
   */
  readonly installClusterAddons?: boolean;
}

export class KubernetesAppArgsError extends Error {
  constructor(componentName: string, problems: readonly string[]) {
    super(`KubernetesApp "${componentName}" has invalid arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "KubernetesAppArgsError";
  }
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function validateArgs(name: string, args: KubernetesAppArgs): void {
  const problems = kubernetesIssues({
    services: args.services,
    images: args.images,
    appSecretKeys: Object.keys(args.appSecrets ?? {}),
    platformSecretKeys: PLATFORM_SECRET_KEYS,
  }).map(
    (i) =>
      `${formatIssuePath(i.path)}: ${i.value === undefined ? "(missing)" : JSON.stringify(i.value)} — ${i.message}`,
  );
  for (const key of ["namespace", "namePrefix"] as const) {
    const value = args[key];
    if (value !== undefined && !DNS_LABEL.test(value))
      problems.push(
        `${key}: ${JSON.stringify(value)} — must be one lower-case DNS label (letters, digits, hyphens; 1-63 characters)`,
      );
  }
  if (args.runAsUser !== undefined && (!Number.isInteger(args.runAsUser) || args.runAsUser < 1)) {
    problems.push(`runAsUser: ${args.runAsUser} — must be a non-root UID (a whole number of 1 or more)`);
  }
  const controller = args.ingressController;
  if (controller !== undefined) {
    if (!DNS_LABEL.test(controller.namespace))
      problems.push(`ingressController.namespace: ${JSON.stringify(controller.namespace)} — must be a namespace name`);
    const labels = Object.entries(controller.podLabels);
    // No labels would select every pod of that namespace; say which pods are the controller.
    if (labels.length === 0) problems.push("ingressController.podLabels: {} — must name at least one label");
    for (const [key, value] of labels) {
      if (!LABEL_KEY_PATTERN.test(key) || !LABEL_VALUE_PATTERN.test(value))
        problems.push(`ingressController.podLabels.${key}: ${JSON.stringify(value)} — must be a valid label`);
    }
  }
  if (args.redisImage !== undefined && !isImageReference(args.redisImage)) {
    problems.push(`redisImage: ${JSON.stringify(args.redisImage)} — must be ${IMAGE_REFERENCE_HINT}`);
  }
  if (problems.length > 0) throw new KubernetesAppArgsError(name, problems);
}

export class KubernetesApp extends pulumi.ComponentResource {
  /** Name of the namespace holding every object. */
  public readonly namespace: pulumi.Output<string>;
  /** Kubernetes Service name per service that has a port (worker has none). */
  public readonly serviceNames: Record<string, pulumi.Output<string>>;
  /** Deployment name per enabled service. */
  public readonly deploymentNames: Record<string, pulumi.Output<string>>;
  /** HPA name per service with a replica range. */
  public readonly hpaNames: Record<string, pulumi.Output<string>>;
  /** Name and class of the Ingress, and the URL it answers on (http://localhost/ on kind). */
  public readonly ingress: pulumi.Output<{ name: string; className: string; host: string | null; url: string }>;
  /** In-cluster DNS name of the Redis Service (REDIS_HOST). */
  public readonly redisHost: pulumi.Output<string>;

  constructor(name: string, args: KubernetesAppArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("helium:index:KubernetesApp", name, {}, opts);
    validateArgs(name, args); // before any child: a bad argument registers nothing

    const prefix = args.namePrefix ?? "helium";
    const ingressClassName = args.ingressClassName ?? "nginx";
    const partOf = { "app.kubernetes.io/part-of": prefix, "app.kubernetes.io/managed-by": "pulumi" };

    const ns = new k8s.core.v1.Namespace(
      prefix,
      {
        metadata: {
          name: args.namespace ?? "helium",
          labels: {
            ...partOf,
            // Pod Security Admission enforces what our pod specs already declare, so a later edit cannot regress.
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
          },
        },
      },
      { parent: this },
    );
    const ctx: AppContext = { parent: this, prefix, namespace: ns.metadata.name, partOf };

    // Cluster add-ons first: the Ingress below waits for the controller (its admission webhook must be up).
    const ingressController =
      args.installClusterAddons === true ? installClusterAddons(ctx, ingressClassName) : undefined;

    const redis = createRedis(ctx, args.redisImage ?? DEFAULT_REDIS_IMAGE);
    this.redisHost = redis.host;

    const enabled = Object.entries(args.services).filter(([, spec]) => spec.enabled);

    const platformSecrets: Record<PlatformSecretKey, pulumi.Input<string>> = {
      REDIS_HOST: redis.host,
      REDIS_PORT: String(REDIS_PORT),
      REDIS_AUTH_TOKEN: redis.password,
    };

    this.serviceNames = {};
    this.deploymentNames = {};
    this.hpaNames = {};
    const routes: IngressRoute[] = [];
    const policyServices: Record<string, PolicyService> = {};
    for (const [svc, spec] of enabled) {
      const workload = createWorkload(ctx, {
        service: svc,
        spec,
        image: args.images[spec.repository],
        runAsUser: args.runAsUser ?? 10001,
        appSecrets: args.appSecrets ?? {},
        platformSecrets,
      });
      this.deploymentNames[svc] = workload.deploymentName;
      if (workload.hpaName !== undefined) this.hpaNames[svc] = workload.hpaName;

      const port = containerPortOf(spec);
      const serviceRoutes: IngressRoute[] = [];
      if (port !== undefined) {
        const serviceName = createService(ctx, workload, port);
        this.serviceNames[svc] = serviceName;
        serviceRoutes.push(...ingressRoutesFor(spec, serviceName, port, args.ingressHost));
      }
      routes.push(...serviceRoutes);
      policyServices[svc] = {
        name: workload.name,
        selector: workload.selector,
        labels: workload.labels,
        port,
        routed: serviceRoutes.length > 0,
        consumes: spec.kubernetes?.consumes ?? [],
        egress: spec.kubernetes?.egress ?? [],
      };
    }

    createNetworkPolicies(ctx, {
      services: policyServices,
      stores: { redis: { name: redis.name, selector: redis.selector, labels: redis.labels, port: REDIS_PORT } },
      ingressController: args.ingressController ?? DEFAULT_INGRESS_CONTROLLER,
    });

    const ingress = createIngress(
      ctx,
      routes,
      ingressClassName,
      ingressController === undefined ? [] : [ingressController],
    );

    this.namespace = ctx.namespace;
    this.ingress = pulumi.output({
      name: ingress.metadata.name,
      className: ingressClassName,
      host: args.ingressHost ?? null,
      url: `http://${args.ingressHost ?? "localhost"}/`,
    });
    this.registerOutputs({
      namespace: this.namespace,
      serviceNames: this.serviceNames,
      deploymentNames: this.deploymentNames,
      hpaNames: this.hpaNames,
      ingress: this.ingress,
      redisHost: this.redisHost,
    });
  }
}
