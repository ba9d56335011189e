/**
 * KubernetesApp: Helium on a Kubernetes cluster (kind or any other), rendered from the SAME service
 * declarations the ECS stacks use (config/services.ts). Per enabled service: a Deployment (probes, a
 * locked-down security context, the declared requests/limits), a Secret when it declares secrets, an HPA
 * when its kubernetes block has a replica range, a Service when it has a port, a PodDisruptionBudget, and
 * Ingress paths for its ALB routes. Plus the namespace, an in-cluster Redis (so REDIS_HOST works without
 * AWS), an in-cluster PostgreSQL when `database` is given (so DB_HOST works without RDS), NetworkPolicies that
 * deny every connection the declarations do not name and, when asked, the cluster add-ons the HPAs and the
 * Ingress need.
 *
 * This file validates the arguments and composes the parts in components/kubernetes/ (one concern each).
 * Every object is a direct child of this component, under the logical name it had before the split, so
 * existing stacks keep their URNs.
 *
 * Pass the Kubernetes provider through `providers: [provider]` (or `provider`): children inherit it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  ALWAYS_RUNNING_STORES,
  DEFAULT_INGRESS_CONTROLLER,
  IMAGE_REFERENCE_HINT,
  type InClusterStore,
  LABEL_KEY_PATTERN,
  LABEL_VALUE_PATTERN,
  type PodsInNamespace,
  type KubernetesServiceSpec,
  containerPortOf,
  isImageReference,
} from "../lib/kubernetes";
import { formatIssuePath, kubernetesIssues } from "../lib/kubernetes-issues";
import { installClusterAddons } from "./kubernetes/addons";
import type { AppContext } from "./kubernetes/context";
import {
  type IngressRoute,
  createIngress,
  createService,
  createServiceAlias,
  ingressRoutesFor,
} from "./kubernetes/networking";
import { type PolicyService, createNetworkPolicies } from "./kubernetes/network-policy";
import { InputError, type Problem } from "../lib/input-error";
import { postgresDatabaseNameProblem, postgresMasterUsernameProblem } from "../lib/aws-constraints";
import { PLATFORM_SECRET_KEYS, REDIS_PORT } from "../lib/platform";
import { DEFAULT_POSTGRES_IMAGE, createPostgres } from "./kubernetes/postgres";
import { DEFAULT_REDIS_IMAGE, createRedis } from "./kubernetes/redis";
import { type DatabaseSecrets, type PlatformSecretKey, createWorkload } from "./kubernetes/workloads";

export { CLUSTER_ADDONS } from "./kubernetes/addons";
export { REDIS_UID } from "./kubernetes/redis";
export { POSTGRES_UID } from "./kubernetes/postgres";

/** The in-cluster PostgreSQL (the local stack's `helium:database`). */
export interface KubernetesDatabaseArgs {
  /** Image. Defaults to `postgres:17-alpine` (its `postgres` user is UID 70, which the pod runs as). */
  readonly image?: string;
  /** Database created at first start (DB_NAME). Defaults to `helium`. */
  readonly name?: string;
  /** User created at first start (DB_USER); its password is generated. Defaults to `helium`. */
  readonly username?: string;
}

export interface KubernetesAppArgs {
  /**
   * Service declarations (config/services.ts), the same ones ECS renders. Disabled services are skipped.
   * Required. Plain values, not Inputs: they decide which objects exist and are validated up front.
   */
  readonly services: Readonly<Record<string, KubernetesServiceSpec>>;
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
  /**
   * Run an in-cluster PostgreSQL for the services that declare `consumes: ["database"]`: each gets DB_HOST,
   * DB_PORT, DB_NAME, DB_USER and DB_PASSWORD in its Secret, and only they may connect. Defaults to none (no
   * database; declaring `database` is then an error).
   */
  readonly database?: KubernetesDatabaseArgs;
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

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A Service name (RFC 1035 label): a letter first, no hyphen last. */
const SERVICE_NAME = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Enabled services with a port that another enabled service consumes: each gets a Service named after it. */
export function consumedServices(services: Readonly<Record<string, KubernetesServiceSpec>>): Set<string> {
  const consumed = new Set<string>();
  for (const [name, spec] of Object.entries(services)) {
    if (!spec.enabled) continue;
    for (const target of spec.consumes) {
      const peer = Object.hasOwn(services, target) ? services[target] : undefined;
      if (target !== name && peer?.enabled === true && containerPortOf(peer) !== undefined) consumed.add(target);
    }
  }
  return consumed;
}

/** Every problem with the component's args, before anything is registered. */
export function kubernetesAppProblems(args: KubernetesAppArgs): Problem[] {
  const problems: Problem[] = kubernetesIssues({
    services: args.services,
    images: args.images,
    appSecretKeys: Object.keys(args.appSecrets ?? {}),
    platformSecretKeys: PLATFORM_SECRET_KEYS,
    stores: storesOf(args),
  }).map((i) => ({ key: formatIssuePath(i.path), value: i.value, allowed: i.message }));
  const add = (key: string, value: unknown, allowed: string) => problems.push({ key, value, allowed });
  for (const key of ["namespace", "namePrefix"] as const) {
    const value = args[key];
    if (value !== undefined && !DNS_LABEL.test(value))
      add(key, value, "one lower-case DNS label (letters, digits, hyphens; 1-63 characters)");
  }
  if (args.runAsUser !== undefined && (!Number.isInteger(args.runAsUser) || args.runAsUser < 1)) {
    add("runAsUser", args.runAsUser, "a non-root UID (a whole number of 1 or more)");
  }
  const controller = args.ingressController;
  if (controller !== undefined) {
    if (!DNS_LABEL.test(controller.namespace))
      add("ingressController.namespace", controller.namespace, "a namespace name");
    const labels = Object.entries(controller.podLabels);
    // No labels would select every pod of that namespace; say which pods are the controller.
    if (labels.length === 0) add("ingressController.podLabels", {}, "at least one label naming the controller's pods");
    for (const [key, value] of labels) {
      if (!LABEL_KEY_PATTERN.test(key) || !LABEL_VALUE_PATTERN.test(value))
        add(`ingressController.podLabels.${key}`, value, "a valid label");
    }
  }
  // A consumed service's Service is named after it alone: the name must be a Service name and must not be
  // another object's Service name (`<prefix>-<service>`, `<prefix>-redis`).
  const prefix = args.namePrefix ?? "helium";
  const taken = new Set([
    `${prefix}-redis`,
    ...Object.entries(args.services)
      .filter(([, spec]) => spec.enabled && containerPortOf(spec) !== undefined)
      .map(([name]) => `${prefix}-${name}`),
  ]);
  for (const name of consumedServices(args.services)) {
    if (!SERVICE_NAME.test(name)) {
      add(
        `services.${name}`,
        name,
        "a name that is a Kubernetes Service name (no hyphen at the end): consumers call it by this name",
      );
    } else if (taken.has(name)) {
      add(
        `services.${name}`,
        name,
        `a name other than the Service names ${[...taken].join(", ")}: consumers call it by this name`,
      );
    }
  }
  if (args.redisImage !== undefined && !isImageReference(args.redisImage)) {
    add("redisImage", args.redisImage, IMAGE_REFERENCE_HINT);
  }
  const database = args.database;
  if (database !== undefined) {
    if (database.image !== undefined && !isImageReference(database.image))
      add("database.image", database.image, IMAGE_REFERENCE_HINT);
    // PostgreSQL's own rules for names, the same RDS applies, so a name that works locally works on AWS.
    const nameProblem = database.name === undefined ? undefined : postgresDatabaseNameProblem(database.name);
    if (nameProblem !== undefined) add("database.name", database.name, nameProblem);
    const userProblem = database.username === undefined ? undefined : postgresMasterUsernameProblem(database.username);
    if (userProblem !== undefined) add("database.username", database.username, userProblem);
  }
  return problems;
}

/** The in-cluster stores the app runs: Redis always, PostgreSQL when `database` is given. */
function storesOf(args: KubernetesAppArgs): InClusterStore[] {
  return [...ALWAYS_RUNNING_STORES, ...(args.database !== undefined ? (["database"] as const) : [])];
}

export class KubernetesApp extends pulumi.ComponentResource {
  /** Name of the namespace holding every object. */
  public readonly namespace: pulumi.Output<string>;
  /** Kubernetes Service name per service that has a port (worker has none). */
  public readonly serviceNames: Record<string, pulumi.Output<string>>;
  /**
   * The Service named after the service alone (`backend`), per service another service consumes: the name
   * and ECS port its consumers call, as on ECS through Service Connect.
   */
  public readonly serviceAliases: Record<string, pulumi.Output<string>>;
  /** Deployment name per enabled service. */
  public readonly deploymentNames: Record<string, pulumi.Output<string>>;
  /** HPA name per service with a replica range. */
  public readonly hpaNames: Record<string, pulumi.Output<string>>;
  /** Name and class of the Ingress, and the URL it answers on (http://localhost/ on kind). */
  public readonly ingress: pulumi.Output<{ name: string; className: string; host: string | null; url: string }>;
  /** In-cluster DNS name of the Redis Service (REDIS_HOST). */
  public readonly redisHost: pulumi.Output<string>;
  /** In-cluster DNS name of the PostgreSQL Service (DB_HOST); undefined without `database`. */
  public readonly databaseHost?: pulumi.Output<string>;

  constructor(name: string, args: KubernetesAppArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const problems = kubernetesAppProblems(args);
    // Before super(): a bad argument registers nothing, not even the component.
    if (problems.length > 0) throw new InputError(`KubernetesApp ${name}`, problems);
    super("helium:index:KubernetesApp", name, {}, opts);

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
    const postgres =
      args.database === undefined
        ? undefined
        : createPostgres(ctx, {
            image: args.database.image ?? DEFAULT_POSTGRES_IMAGE,
            name: args.database.name ?? "helium",
            username: args.database.username ?? "helium",
          });
    this.databaseHost = postgres?.host;
    const databaseSecrets: DatabaseSecrets | undefined =
      postgres === undefined
        ? undefined
        : {
            DB_HOST: postgres.host,
            DB_PORT: String(postgres.port),
            DB_NAME: postgres.dbName,
            DB_USER: postgres.username,
            DB_PASSWORD: postgres.password,
          };

    const enabled = Object.entries(args.services).filter(([, spec]) => spec.enabled);

    const platformSecrets: Record<PlatformSecretKey, pulumi.Input<string>> = {
      REDIS_HOST: redis.host,
      REDIS_PORT: String(REDIS_PORT),
      REDIS_AUTH_TOKEN: redis.password,
    };

    this.serviceNames = {};
    this.serviceAliases = {};
    const consumed = consumedServices(args.services);
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
        ...(databaseSecrets !== undefined ? { databaseSecrets } : {}),
      });
      this.deploymentNames[svc] = workload.deploymentName;
      if (workload.hpaName !== undefined) this.hpaNames[svc] = workload.hpaName;

      const port = containerPortOf(spec);
      const serviceRoutes: IngressRoute[] = [];
      if (port !== undefined) {
        const serviceName = createService(ctx, workload, port);
        this.serviceNames[svc] = serviceName;
        if (consumed.has(svc)) this.serviceAliases[svc] = createServiceAlias(ctx, svc, workload, spec.port ?? port);
        serviceRoutes.push(...ingressRoutesFor(spec, serviceName, port, args.ingressHost));
      }
      routes.push(...serviceRoutes);
      policyServices[svc] = {
        name: workload.name,
        selector: workload.selector,
        labels: workload.labels,
        port,
        routed: serviceRoutes.length > 0,
        consumes: spec.consumes,
        egress: spec.kubernetes?.egress ?? [],
      };
    }

    createNetworkPolicies(ctx, {
      services: policyServices,
      stores: {
        cache: { name: redis.name, selector: redis.selector, labels: redis.labels, port: REDIS_PORT },
        ...(postgres !== undefined
          ? {
              database: {
                name: postgres.name,
                selector: postgres.selector,
                labels: postgres.labels,
                port: postgres.port,
              },
            }
          : {}),
      },
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
      serviceAliases: this.serviceAliases,
      deploymentNames: this.deploymentNames,
      hpaNames: this.hpaNames,
      ingress: this.ingress,
      redisHost: this.redisHost,
      ...(this.databaseHost !== undefined ? { databaseHost: this.databaseHost } : {}),
    });
  }
}
