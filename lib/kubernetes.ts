/**
 * Pure helpers for the Kubernetes rendering of Helium's service declarations: quantity parsing, image
 * references, ALB path pattern → Ingress path, replica/HPA planning, the in-cluster stores services may
 * consume, and the validation that both the
 * local-stack schema (config/kubernetes.ts) and the KubernetesApp constructor run. The API server would
 * reject most of these mistakes only at `pulumi up`; a mock cannot, so we check them ourselves.
 */
import { DATABASE_CREDENTIAL_KEYS, DATABASE_SECRET_KEYS, PLATFORM_SECRET_KEYS } from "./platform";
import type { ServiceSpec } from "../config/services";
import { isValidCidr } from "./cidr";

/** `[registry[:port]/]repository[:tag][@sha256:digest]`; a reference without a repository does not match. */
export const IMAGE_REFERENCE_PATTERN =
  /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export const IMAGE_REFERENCE_HINT =
  "an image reference with a repository, e.g. helium-backend:local or docker.io/acme/helium-backend:1.4.0";

export function isImageReference(value: string): boolean {
  return IMAGE_REFERENCE_PATTERN.test(value);
}

/** Same grammar as config/services.ts `kubernetesQuantity`: digits, an optional fraction, an optional unit. */
const QUANTITY_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const QUANTITY_MULTIPLIERS: Readonly<Record<string, number>> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
export const QUANTITY_HINT =
  "a Kubernetes quantity such as 250m, 0.5, 512Mi or 1Gi (digits then an optional unit, no spaces)";

export function isQuantity(value: string): boolean {
  return QUANTITY_PATTERN.test(value);
}

/** The numeric value of a quantity (`250m` → 0.25, `1Gi` → 1073741824), for comparing requests with limits. */
export function parseQuantity(value: string): number {
  const match = QUANTITY_PATTERN.exec(value);
  if (!match) throw new Error(`"${value}" is not ${QUANTITY_HINT}`);
  return Number(match[1]) * QUANTITY_MULTIPLIERS[match[2] ?? ""];
}

export type IngressPathType = "Prefix" | "Exact";
export interface IngressPath {
  readonly path: string;
  readonly pathType: IngressPathType;
}

/**
 * An ALB path pattern as an Ingress path: a trailing `*` becomes a Prefix (`/api/*` → `/api/`, `/*` → `/`),
 * no wildcard is an Exact path. Wildcards elsewhere have no portable Ingress equivalent: undefined.
 */
export function ingressPathFor(albPattern: string): IngressPath | undefined {
  const body = albPattern.endsWith("*") ? albPattern.slice(0, -1) : albPattern;
  if (!body.startsWith("/") || /[*?]/.test(body)) return undefined;
  return albPattern.endsWith("*") ? { path: body, pathType: "Prefix" } : { path: body, pathType: "Exact" };
}

/** How a service's replica count is owned: fixed on the Deployment, or by an HPA. */
export type ReplicaPlan =
  | { readonly kind: "fixed"; readonly replicas: number }
  | {
      readonly kind: "hpa";
      readonly minReplicas: number;
      readonly maxReplicas: number;
      readonly cpuTargetPercent: number;
    };

/**
 * With an HPA range the HPA owns the count (see {@link replicaHandling} for how the Deployment hands it
 * over). Without one, `kubernetes.replicas` (or `scaling.min`) is fixed.
 */
export function replicaPlan(spec: ServiceSpec): ReplicaPlan {
  const k = spec.kubernetes;
  if (k?.minReplicas !== undefined && k.maxReplicas !== undefined) {
    return {
      kind: "hpa",
      minReplicas: k.minReplicas,
      maxReplicas: k.maxReplicas,
      cpuTargetPercent: k.cpuTargetPercent,
    };
  }
  return { kind: "fixed", replicas: k?.replicas ?? spec.scaling.min };
}

/** How the Deployment writes `spec.replicas` for a {@link ReplicaPlan}. */
export interface ReplicaHandling {
  /** `spec.replicas` in the program; never absent. Fixed: the count. HPA: minReplicas, used only by a new Deployment. */
  readonly replicas: number;
  /** `ignoreChanges` of the Deployment: `["spec.replicas"]` while an HPA owns the count, else none. */
  readonly ignoreChanges: readonly string[];
  /** Force the server-side apply (`pulumi.com/patchForce`), so a fixed count takes the field back from an HPA. */
  readonly forceApply: boolean;
}

/**
 * Switching a service between a fixed count and an HPA must never drop it to one pod.
 *
 * Fixed → HPA. Removing `spec.replicas` from the applied manifest is what the Kubernetes HPA guide first
 * suggests, but it warns that this "may incur a one-time degradation of Pod counts as the default value of
 * this key is 1", and for server-side apply (pulumi-kubernetes v4's default) sends readers to the
 * "transferring ownership" guidance: "if the user removes .spec.replicas before the HPA writes to the field
 * and becomes its owner, then the API server would set .spec.replicas to 1"; the safe way is to leave
 * `replicas` in the configuration until the HPA owns the field.
 *   https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling
 *   https://kubernetes.io/docs/reference/using-api/server-side-apply/#transferring-ownership
 * So we never remove it: under an HPA the program keeps `spec.replicas` (the HPA minimum, which only a new
 * Deployment starts from) with `ignoreChanges: ["spec.replicas"]`. On an existing Deployment the engine
 * then keeps the value from state (the old fixed count), and pulumi-kubernetes' server-side apply
 * (provider/pkg/await/await.go, handleSSAIgnoreFields) sends the live value while Pulumi still owns the
 * field and drops the field from its apply once another manager (the HPA controller) owns it. Ownership
 * passes to the HPA and the field is never absent; the HPA then moves the count within its range.
 *
 * HPA → fixed. The HPA controller owns `spec.replicas`, so applying a count without force fails with
 * "conflict with kube-controller-manager … .spec.replicas" (pulumi/pulumi-kubernetes#2491). A fixed count
 * is therefore applied with force: the declared count wins over an HPA or a `kubectl scale`.
 */
export function replicaHandling(plan: ReplicaPlan): ReplicaHandling {
  return plan.kind === "hpa"
    ? { replicas: plan.minReplicas, ignoreChanges: ["spec.replicas"], forceApply: false }
    : { replicas: plan.replicas, ignoreChanges: [], forceApply: true };
}

/** The port the container listens on in Kubernetes: `kubernetes.containerPort`, else the ECS port. */
export function containerPortOf(spec: ServiceSpec): number | undefined {
  return spec.kubernetes?.containerPort ?? spec.port;
}

/**
 * Stores the platform can run inside the cluster, by the name services list in `consumes`, with the Secret
 * keys that carry a consumer its coordinates, and the object name of their Deployment and Service.
 * - `cache`, the in-cluster Redis, always runs; a consumer declares its keys in `secrets` (as on ECS).
 * - `database`, the in-cluster PostgreSQL, runs when the local stack sets `helium:database`; a consumer gets
 *   its keys from the declaration `consumes: ["database"]` alone (as on ECS), none listed in `secrets`.
 * A database outside the cluster is a `kubernetes.egress` rule instead.
 */
export const IN_CLUSTER_STORES = {
  cache: { secretKeys: PLATFORM_SECRET_KEYS, objectName: "redis", keysFromConsumes: false },
  database: {
    secretKeys: [
      ...DATABASE_SECRET_KEYS,
      ...(Object.keys(DATABASE_CREDENTIAL_KEYS) as (keyof typeof DATABASE_CREDENTIAL_KEYS)[]),
    ],
    objectName: "postgres",
    keysFromConsumes: true,
  },
} as const satisfies Record<
  string,
  { readonly secretKeys: readonly string[]; readonly objectName: string; readonly keysFromConsumes: boolean }
>;
export type InClusterStore = keyof typeof IN_CLUSTER_STORES;
/** The stores that run whatever the config says. */
export const ALWAYS_RUNNING_STORES: readonly InClusterStore[] = ["cache"];

export function isInClusterStore(name: string): name is InClusterStore {
  return Object.prototype.hasOwnProperty.call(IN_CLUSTER_STORES, name);
}

/** Pods outside the app's namespace that a NetworkPolicy names: a namespace and labels of its pods. */
export interface PodsInNamespace {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/**
 * The ingress-nginx controller as its chart labels it (`app.kubernetes.io/name` and `component`, whatever
 * the release name) in the namespace the add-on is installed in: the only pods allowed to reach routed services.
 */
export const DEFAULT_INGRESS_CONTROLLER: PodsInNamespace = {
  namespace: "ingress-nginx",
  podLabels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" },
};

/** The cluster DNS: CoreDNS (or kube-dns) keeps the label `k8s-app: kube-dns` in kube-system on kind, EKS and GKE. */
export const CLUSTER_DNS: PodsInNamespace = { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } };

/** A label value: at most 63 characters, alphanumerics at both ends, `-`, `_` and `.` between. */
export const LABEL_VALUE_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/;
/** A label key: an optional DNS-subdomain prefix and `/`, then a name like a label value. */
export const LABEL_KEY_PATTERN =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\/)?[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;

/** One validation problem: the path of the key (relative to the stack config / component args), the value, why. */
export interface KubernetesIssue {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  readonly message: string;
}

export interface KubernetesInputs {
  readonly services: Readonly<Record<string, ServiceSpec>>;
  readonly images: Readonly<Record<string, string>>;
  readonly appSecretKeys: readonly string[];
  /** Keys the platform writes into each service's Secret (the in-cluster Redis coordinates). */
  readonly platformSecretKeys: readonly string[];
  /** The in-cluster stores this app runs. Defaults to {@link ALWAYS_RUNNING_STORES} (no database). */
  readonly stores?: readonly InClusterStore[];
}

/**
 * Every problem with rendering `services` on Kubernetes. Repeats the checks zod makes on config (so the
 * component is safe when constructed directly) and adds those that need several keys at once.
 */
export function kubernetesIssues(inputs: KubernetesInputs): KubernetesIssue[] {
  const issues: KubernetesIssue[] = [];
  const stores = inputs.stores ?? ALWAYS_RUNNING_STORES;
  const secretKeys = new Set([
    ...inputs.platformSecretKeys,
    ...(stores.includes("database") ? DATABASE_SECRET_KEYS : []),
    ...inputs.appSecretKeys,
  ]);
  for (const [name, spec] of Object.entries(inputs.services)) {
    if (!spec.enabled) continue;
    const at = (...rest: (string | number)[]) => ["services", name, ...rest];
    const k = spec.kubernetes;
    if (k !== undefined) {
      if ((k.minReplicas === undefined) !== (k.maxReplicas === undefined)) {
        issues.push({
          path: at("kubernetes", k.minReplicas === undefined ? "minReplicas" : "maxReplicas"),
          value: undefined,
          message: "an HPA needs both minReplicas and maxReplicas (or neither, for a fixed replica count)",
        });
      }
      if (k.minReplicas !== undefined && k.maxReplicas !== undefined) {
        if (k.minReplicas < 1 || k.minReplicas > k.maxReplicas) {
          issues.push({
            path: at("kubernetes", "minReplicas"),
            value: k.minReplicas,
            message: `the replica range must satisfy 1 ≤ minReplicas ≤ maxReplicas (maxReplicas is ${k.maxReplicas})`,
          });
        }
        if (k.replicas !== undefined && (k.replicas < k.minReplicas || k.replicas > k.maxReplicas)) {
          issues.push({
            path: at("kubernetes", "replicas"),
            value: k.replicas,
            message: `must lie within the HPA range ${k.minReplicas}-${k.maxReplicas} (the HPA owns the count)`,
          });
        }
      }
      if (!Number.isInteger(k.cpuTargetPercent) || k.cpuTargetPercent < 1 || k.cpuTargetPercent > 100) {
        issues.push({
          path: at("kubernetes", "cpuTargetPercent"),
          value: k.cpuTargetPercent,
          message: "the HPA CPU target must be a whole percentage in 1-100",
        });
      }
      for (const kind of ["requests", "limits"] as const) {
        for (const resource of ["cpu", "memory"] as const) {
          const quantity = k[kind][resource];
          if (!isQuantity(quantity))
            issues.push({
              path: at("kubernetes", kind, resource),
              value: quantity,
              message: `must be ${QUANTITY_HINT}`,
            });
        }
      }
      for (const resource of ["cpu", "memory"] as const) {
        const request = k.requests[resource];
        const limit = k.limits[resource];
        if (isQuantity(request) && isQuantity(limit) && parseQuantity(request) > parseQuantity(limit)) {
          issues.push({
            path: at("kubernetes", "requests", resource),
            value: request,
            message: `the ${resource} request exceeds its limit ${limit}; Kubernetes requires request ≤ limit`,
          });
        }
      }
    }
    const image = inputs.images[spec.repository];
    if (image === undefined) {
      issues.push({
        path: ["images", spec.repository],
        value: undefined,
        message: `service ${name} runs repository ${spec.repository}, which has no image; known repositories: ${Object.keys(inputs.images).join(", ") || "none"}`,
      });
    } else if (!isImageReference(image)) {
      issues.push({ path: ["images", spec.repository], value: image, message: `must be ${IMAGE_REFERENCE_HINT}` });
    }
    spec.routes.forEach((route, i) => {
      (route.pathPatterns ?? []).forEach((pattern, j) => {
        if (ingressPathFor(pattern) === undefined) {
          issues.push({
            path: at("routes", i, "pathPatterns", j),
            value: pattern,
            message:
              "has a wildcard before its end, which an Ingress path cannot express; use /prefix/* or an exact path",
          });
        }
      });
    });
    issues.push(...connectionIssues(name, spec, inputs.services, stores));
    spec.secrets.forEach((key, i) => {
      if (!secretKeys.has(key)) {
        issues.push({
          path: at("secrets", i),
          value: key,
          message: `no value for secret ${key}; known keys: ${[...secretKeys].join(", ")} (set it with pulumi config set --secret --path 'helium:appSecrets.${key}' …)`,
        });
      }
    });
  }
  return issues;
}

/**
 * Problems with what one enabled service connects to (`consumes`, `kubernetes.egress`): each
 * becomes a NetworkPolicy rule, so a wrong entry would silently block or open a path.
 */
function connectionIssues(
  name: string,
  spec: ServiceSpec,
  services: Readonly<Record<string, ServiceSpec>>,
  stores: readonly InClusterStore[],
): KubernetesIssue[] {
  const issues: KubernetesIssue[] = [];
  const at = (...rest: (string | number)[]) => ["services", name, ...rest];
  const consumes = spec.consumes;
  // A running store's name and object name belong to it; a store's name is a word of `consumes` even when it
  // does not run, so no service may take it either.
  const taken = stores.flatMap((store) => [store, IN_CLUSTER_STORES[store].objectName] as string[]);
  if (taken.includes(name)) {
    issues.push({
      path: ["services", name],
      value: name,
      message: `a name other than an in-cluster store's (${stores
        .map((store) => `${store}, ${IN_CLUSTER_STORES[store].objectName}`)
        .join(", ")}): their objects would share names`,
    });
  } else if (isInClusterStore(name)) {
    issues.push({
      path: ["services", name],
      value: name,
      message: `a name other than "${name}": consumes uses it for the in-cluster store`,
    });
  }
  consumes.forEach((target, i) => {
    const path = at("consumes", i);
    const peer = services[target];
    if (consumes.indexOf(target) !== i) {
      issues.push({ path, value: target, message: "is listed twice" });
    } else if (target === name) {
      issues.push({ path, value: target, message: "a service cannot consume itself" });
    } else if (isInClusterStore(target) && !stores.includes(target)) {
      issues.push({
        path,
        value: target,
        message: `a store the cluster runs (${stores.join(", ")}): "${target}" runs only when the local stack sets helium:${target}`,
      });
    } else if (!isInClusterStore(target) && peer === undefined) {
      issues.push({
        path,
        value: target,
        message: `is neither an in-cluster store (${stores.join(", ")}) nor a service (${Object.keys(services).join(", ")})`,
      });
    } else if (peer !== undefined && !peer.enabled) {
      issues.push({ path, value: target, message: `service ${target} is disabled` });
    } else if (peer !== undefined && containerPortOf(peer) === undefined) {
      issues.push({ path, value: target, message: `service ${target} has no port, so nothing can connect to it` });
    }
  });
  // A store's keys and the store in `consumes` go together: keys without the connection are unusable, the
  // connection without keys is access the service has no use for.
  for (const [store, { secretKeys, keysFromConsumes }] of Object.entries(IN_CLUSTER_STORES)) {
    if (!stores.includes(store as InClusterStore)) continue;
    const declared = spec.secrets.findIndex((key) => (secretKeys as readonly string[]).includes(key));
    const consumed = consumes.indexOf(store);
    // A database consumer gets its keys from the declaration itself: none need listing in secrets.
    if (keysFromConsumes && consumed >= 0) continue;
    if (declared >= 0 && consumed < 0) {
      issues.push({
        path: at("secrets", declared),
        value: spec.secrets[declared],
        message: `is the in-cluster ${store}'s, but consumes does not list "${store}", so the NetworkPolicies would block the connection; add "${store}" to consumes`,
      });
    } else if (consumed >= 0 && declared < 0) {
      issues.push({
        path: at("consumes", consumed),
        value: store,
        message: `the service declares none of ${store}'s keys (${secretKeys.join(", ")}) in secrets, so it would get a connection it cannot use; declare them or drop "${store}"`,
      });
    }
  }
  (spec.kubernetes?.egress ?? []).forEach((rule, i) => {
    if (!isValidCidr(rule.cidr)) {
      issues.push({
        path: at("kubernetes", "egress", i, "cidr"),
        value: rule.cidr,
        message: "must be an IPv4 CIDR block with no host bits set, e.g. 203.0.113.0/24",
      });
    }
    if (rule.ports.length === 0) {
      issues.push({
        path: at("kubernetes", "egress", i, "ports"),
        value: rule.ports,
        message: "needs at least one port (a rule without ports would allow every port)",
      });
    }
    rule.ports.forEach((port, j) => {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        issues.push({
          path: at("kubernetes", "egress", i, "ports", j),
          value: port,
          message: "must be a port in 1-65535",
        });
      }
    });
    if (rule.protocol !== "TCP" && rule.protocol !== "UDP") {
      issues.push({
        path: at("kubernetes", "egress", i, "protocol"),
        value: rule.protocol,
        message: "must be TCP or UDP",
      });
    }
  });
  return issues;
}

/** `["services", "backend", "kubernetes", "minReplicas"]` → `services.backend.kubernetes.minReplicas`. */
export function formatIssuePath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
