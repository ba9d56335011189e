/**
 * Pure helpers for the Kubernetes rendering of Helium's service declarations: quantity parsing, image
 * references, ALB path pattern → Ingress path, replica/HPA planning, the in-cluster stores services may
 * consume. The validation both the local-stack schema and the KubernetesApp constructor run is in
 * lib/kubernetes-issues.ts.
 */
import { DATABASE_CREDENTIAL_KEYS, DATABASE_SECRET_KEYS, PLATFORM_SECRET_KEYS } from "./platform";

/** A destination outside the cluster a service's pods may reach (`services.<name>.kubernetes.egress`). */
export interface KubernetesEgressSpec {
  /** IPv4 CIDR block. */
  readonly cidr: string;
  readonly ports: readonly number[];
  readonly protocol: "TCP" | "UDP";
}

/** CPU and memory as Kubernetes quantities (`250m`, `512Mi`). */
export interface KubernetesResourcesSpec {
  readonly cpu: string;
  readonly memory: string;
}

/** A service's Kubernetes settings (`services.<name>.kubernetes`), defaults applied. */
export interface KubernetesSettingsSpec {
  /** Fixed count when there is no HPA; absent: `scaling.min`. */
  readonly replicas?: number;
  /** HPA range: both or neither. */
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
  readonly cpuTargetPercent: number;
  /** Absent: the ECS port. */
  readonly containerPort?: number;
  readonly requests: KubernetesResourcesSpec;
  readonly limits: KubernetesResourcesSpec;
  readonly egress: readonly KubernetesEgressSpec[];
}

/**
 * What the Kubernetes rendering reads of a service declaration (config/services.ts `ServiceSpec` has these
 * fields). Declared here so lib/ and components/ do not depend on the config layer.
 */
export interface KubernetesServiceSpec {
  readonly enabled: boolean;
  /** Repository whose image the service runs (a key of the app's `images`). */
  readonly repository: string;
  readonly command?: readonly string[];
  readonly port?: number;
  readonly routes: readonly { readonly pathPatterns?: readonly string[]; readonly hostHeaders?: readonly string[] }[];
  readonly healthCheck?: {
    readonly path: string;
    readonly intervalSeconds: number;
    readonly timeoutSeconds: number;
    readonly healthyThreshold: number;
    readonly unhealthyThreshold: number;
    readonly gracePeriodSeconds: number;
  };
  readonly scaling: { readonly min: number; readonly scaleInCooldownSeconds: number };
  /** `cache`, `database` or other services' names. */
  readonly consumes: readonly string[];
  readonly secrets: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly readonlyRootFilesystem: boolean;
  readonly kubernetes?: KubernetesSettingsSpec;
}

/** `[registry[:port]/]repository[:tag][@sha256:digest]`; a reference without a repository does not match. */
export const IMAGE_REFERENCE_PATTERN =
  /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export const IMAGE_REFERENCE_HINT =
  "an image reference with a repository, e.g. helium-backend:local or docker.io/acme/helium-backend:1.4.0";

export function isImageReference(value: string): boolean {
  return IMAGE_REFERENCE_PATTERN.test(value);
}

/** Same grammar as config/service-kubernetes.ts `kubernetesQuantity`: digits, an optional fraction, an optional unit. */
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
export function replicaPlan(spec: KubernetesServiceSpec): ReplicaPlan {
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
export function containerPortOf(spec: KubernetesServiceSpec): number | undefined {
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
