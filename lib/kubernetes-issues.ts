/**
 * The validation of Helium's service declarations for Kubernetes that both the local-stack schema
 * (config/kubernetes.ts) and the KubernetesApp constructor run. The API server would reject most of these
 * mistakes only at `pulumi up`; a mock cannot, so we check them ourselves.
 */
import { isValidCidr } from "./cidr";
import {
  ALWAYS_RUNNING_STORES,
  IMAGE_REFERENCE_HINT,
  IN_CLUSTER_STORES,
  type InClusterStore,
  type KubernetesServiceSpec,
  QUANTITY_HINT,
  containerPortOf,
  ingressPathFor,
  isImageReference,
  isInClusterStore,
  isQuantity,
  parseQuantity,
} from "./kubernetes";
import { DATABASE_SECRET_KEYS } from "./platform";

/** One validation problem: the path of the key (relative to the stack config / component args), the value, why. */
export interface KubernetesIssue {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  readonly message: string;
}

export interface KubernetesInputs {
  readonly services: Readonly<Record<string, KubernetesServiceSpec>>;
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
  spec: KubernetesServiceSpec,
  services: Readonly<Record<string, KubernetesServiceSpec>>,
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
