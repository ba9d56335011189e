/**
 * KubernetesApp: Helium on a Kubernetes cluster (kind or any other), rendered from the SAME service
 * declarations the ECS stacks use (config/services.ts). Per enabled service: a Deployment (probes, a
 * locked-down security context, the declared requests/limits), a Secret when it declares secrets, an HPA
 * when its kubernetes block has a replica range, a Service when it has a port, a PodDisruptionBudget, and
 * Ingress paths for its ALB routes. Plus the namespace, an in-cluster Redis (so REDIS_HOST works without
 * AWS) and, when asked, the cluster add-ons the HPAs and the Ingress need.
 *
 * Pass the Kubernetes provider through `providers: [provider]` (or `provider`): children inherit it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ServiceSpec } from "../config/services";
import {
  IMAGE_REFERENCE_HINT,
  type IngressPath,
  containerPortOf,
  formatIssuePath,
  ingressPathFor,
  isImageReference,
  kubernetesIssues,
  replicaPlan,
} from "../lib/kubernetes";

type Container = k8s.types.input.core.v1.Container;
type Probe = k8s.types.input.core.v1.Probe;
type PodSpec = k8s.types.input.core.v1.PodSpec;
type IngressRule = k8s.types.input.networking.v1.IngressRule;

/** Keys the component writes into every service Secret: how to reach the in-cluster Redis. */
export const PLATFORM_SECRET_KEYS = ["REDIS_HOST", "REDIS_PORT", "REDIS_AUTH_TOKEN"] as const;
export const REDIS_PORT = 6379;
/** UID of the `redis` user in the official Redis images, so runAsNonRoot holds without a custom image. */
export const REDIS_UID = 999;

/**
 * Cluster add-ons, pinned. helm.v3.Release (not helm.v4.Chart) because it is one plain custom resource:
 * its chart, version and values are visible to previews, policies and our mock tests, and Helm owns the
 * upgrade/rollback of the whole release.
 */
export const CLUSTER_ADDONS = {
  metricsServer: {
    chart: "metrics-server",
    version: "3.12.2",
    repo: "https://kubernetes-sigs.github.io/metrics-server/",
    namespace: "kube-system",
  },
  ingressNginx: {
    chart: "ingress-nginx",
    version: "4.14.1",
    repo: "https://kubernetes.github.io/ingress-nginx",
    namespace: "ingress-nginx",
  },
} as const;

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
  if (args.redisImage !== undefined && !isImageReference(args.redisImage)) {
    problems.push(`redisImage: ${JSON.stringify(args.redisImage)} — must be ${IMAGE_REFERENCE_HINT}`);
  }
  if (problems.length > 0) throw new KubernetesAppArgsError(name, problems);
}

/** Startup, readiness and liveness probes from the shared health check. */
function httpProbes(spec: ServiceSpec): Partial<Pick<Container, "startupProbe" | "readinessProbe" | "livenessProbe">> {
  const health = spec.healthCheck;
  if (health === undefined) return {};
  const httpGet = { path: health.path, port: "http" };
  const common: Probe = { httpGet, periodSeconds: health.intervalSeconds, timeoutSeconds: health.timeoutSeconds };
  return {
    // The grace period ECS gives a new task becomes the startup budget, so slow boots are not killed.
    startupProbe: {
      ...common,
      failureThreshold: Math.max(1, Math.ceil(health.gracePeriodSeconds / health.intervalSeconds)),
    },
    readinessProbe: {
      ...common,
      successThreshold: health.healthyThreshold,
      failureThreshold: health.unhealthyThreshold,
    },
    // Liveness is more patient than readiness: a busy pod leaves the Service before it is restarted.
    livenessProbe: { ...common, failureThreshold: health.unhealthyThreshold * 2 },
  };
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
    const namespaceName = args.namespace ?? "helium";
    const ingressClassName = args.ingressClassName ?? "nginx";
    const uid = args.runAsUser ?? 10001;
    const partOf = { "app.kubernetes.io/part-of": prefix, "app.kubernetes.io/managed-by": "pulumi" };
    const child = { parent: this };

    const ns = new k8s.core.v1.Namespace(
      prefix,
      {
        metadata: {
          name: namespaceName,
          labels: {
            ...partOf,
            // Pod Security Admission enforces what our pod specs already declare, so a later edit cannot regress.
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
          },
        },
      },
      child,
    );
    const namespace = ns.metadata.name;

    // Cluster add-ons first: the Ingress below waits for the controller (its admission webhook must be up).
    let ingressController: k8s.helm.v3.Release | undefined;
    if (args.installClusterAddons === true) {
      const ms = CLUSTER_ADDONS.metricsServer;
      new k8s.helm.v3.Release(
        "metrics-server",
        {
          name: "metrics-server",
          chart: ms.chart,
          version: ms.version,
          repositoryOpts: { repo: ms.repo },
          namespace: ms.namespace,
          // kind's kubelets serve self-signed certificates (metrics-server's kind instructions); any other
          // cluster should set installClusterAddons false and run its own metrics-server.
          values: { args: ["--kubelet-insecure-tls"] },
          atomic: true,
        },
        child,
      );
      const nginx = CLUSTER_ADDONS.ingressNginx;
      ingressController = new k8s.helm.v3.Release(
        "ingress-nginx",
        {
          name: "ingress-nginx",
          chart: nginx.chart,
          version: nginx.version,
          repositoryOpts: { repo: nginx.repo },
          namespace: nginx.namespace,
          createNamespace: true,
          // ingress-nginx's kind provider, as Helm values: host ports 80/443 on the node labelled
          // ingress-ready=true (kind-cluster.yaml maps them to the host), tolerating the control-plane taint.
          values: {
            controller: {
              hostPort: { enabled: true },
              service: { type: "NodePort" },
              nodeSelector: { "ingress-ready": "true", "kubernetes.io/os": "linux" },
              tolerations: [
                { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
                { key: "node-role.kubernetes.io/master", operator: "Exists", effect: "NoSchedule" },
              ],
              publishService: { enabled: false },
              extraArgs: { "publish-status-address": "localhost" },
              updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
              ingressClassResource: { name: ingressClassName, default: false },
              watchIngressWithoutClass: false,
            },
          },
          atomic: true,
        },
        child,
      );
    }

    // In-cluster Redis with AUTH, reachable only from pods that declare Redis secrets (NetworkPolicy below).
    const redisName = `${prefix}-redis`;
    const redisLabels = { "app.kubernetes.io/name": redisName, ...partOf };
    const redisSelector = { "app.kubernetes.io/name": redisName, "app.kubernetes.io/part-of": prefix };
    const redisPassword = new random.RandomPassword(`${redisName}-password`, { length: 32, special: false }, child);
    const redisSecret = new k8s.core.v1.Secret(
      `${redisName}-auth`,
      {
        metadata: { namespace, labels: redisLabels },
        type: "Opaque",
        stringData: { REDIS_PASSWORD: pulumi.secret(redisPassword.result) },
      },
      child,
    );
    new k8s.apps.v1.Deployment(
      redisName,
      {
        metadata: { name: redisName, namespace, labels: redisLabels },
        spec: {
          replicas: 1,
          // One pod owning /data: never two side by side during a rollout.
          strategy: { type: "Recreate" },
          selector: { matchLabels: redisSelector },
          template: {
            metadata: { labels: redisLabels },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: REDIS_UID,
                runAsGroup: REDIS_UID,
                fsGroup: REDIS_UID,
                seccompProfile: { type: "RuntimeDefault" },
              },
              containers: [
                {
                  name: "redis",
                  image: args.redisImage ?? "redis:7.2-alpine",
                  imagePullPolicy: "IfNotPresent",
                  // $(REDIS_PASSWORD) is expanded by the kubelet from the env below; the value never appears in the spec.
                  args: ["--requirepass", "$(REDIS_PASSWORD)", "--appendonly", "no", "--save", ""],
                  env: [
                    {
                      name: "REDIS_PASSWORD",
                      valueFrom: { secretKeyRef: { name: redisSecret.metadata.name, key: "REDIS_PASSWORD" } },
                    },
                  ],
                  ports: [{ name: "redis", containerPort: REDIS_PORT, protocol: "TCP" }],
                  readinessProbe: { tcpSocket: { port: "redis" }, periodSeconds: 5, failureThreshold: 3 },
                  livenessProbe: { tcpSocket: { port: "redis" }, periodSeconds: 10, failureThreshold: 6 },
                  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "256Mi" } },
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    privileged: false,
                    capabilities: { drop: ["ALL"] },
                  },
                  volumeMounts: [
                    { name: "data", mountPath: "/data" },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                { name: "data", emptyDir: { sizeLimit: "256Mi" } },
                { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
              ],
            },
          },
        },
      },
      child,
    );
    const redisService = new k8s.core.v1.Service(
      redisName,
      {
        metadata: { name: redisName, namespace, labels: redisLabels },
        spec: {
          type: "ClusterIP",
          selector: redisSelector,
          ports: [{ name: "redis", port: REDIS_PORT, targetPort: "redis", protocol: "TCP" }],
        },
      },
      child,
    );
    this.redisHost = pulumi.interpolate`${redisService.metadata.name}.${namespace}.svc.cluster.local`;

    const enabled = Object.entries(args.services).filter(([, spec]) => spec.enabled);
    const redisClients = enabled
      .filter(([, spec]) => spec.secrets.includes("REDIS_HOST"))
      .map(([svc]) => `${prefix}-${svc}`);
    // The Kubernetes twin of the ECS chain "tasks SG → Redis SG": only Redis clients may connect.
    new k8s.networking.v1.NetworkPolicy(
      `${redisName}-clients`,
      {
        metadata: { name: `${redisName}-clients`, namespace, labels: redisLabels },
        spec: {
          podSelector: { matchLabels: redisSelector },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                {
                  podSelector: {
                    matchExpressions: [
                      {
                        key: "app.kubernetes.io/name",
                        operator: "In",
                        values: redisClients.length > 0 ? redisClients : ["none"],
                      },
                    ],
                  },
                },
              ],
              ports: [{ port: REDIS_PORT, protocol: "TCP" }],
            },
          ],
        },
      },
      child,
    );

    const platformSecrets: Record<(typeof PLATFORM_SECRET_KEYS)[number], pulumi.Input<string>> = {
      REDIS_HOST: this.redisHost,
      REDIS_PORT: String(REDIS_PORT),
      REDIS_AUTH_TOKEN: redisPassword.result,
    };

    this.serviceNames = {};
    this.deploymentNames = {};
    this.hpaNames = {};
    const ingressPaths: Array<{
      host: string | undefined;
      path: IngressPath;
      serviceName: pulumi.Output<string>;
      port: number;
    }> = [];

    for (const [svc, spec] of enabled) {
      const appName = `${prefix}-${svc}`;
      const labels = { "app.kubernetes.io/name": appName, "app.kubernetes.io/component": svc, ...partOf };
      const selector = { "app.kubernetes.io/name": appName, "app.kubernetes.io/part-of": prefix };
      const k = spec.kubernetes;
      const port = containerPortOf(spec);
      const plan = replicaPlan(spec);

      let secretName: pulumi.Output<string> | undefined;
      if (spec.secrets.length > 0) {
        // Every app secret, then the platform keys the service declares (the platform's Redis wins).
        const data: Record<string, pulumi.Input<string>> = { ...args.appSecrets };
        for (const key of PLATFORM_SECRET_KEYS) if (spec.secrets.includes(key)) data[key] = platformSecrets[key];
        // Auto-named (helium-backend-secret-<suffix>): a change of value replaces the Secret under a new
        // name, so the Deployment referencing it rolls its pods onto the new values.
        const secret = new k8s.core.v1.Secret(
          `${appName}-secret`,
          {
            metadata: { namespace, labels },
            type: "Opaque",
            stringData: pulumi.secret(pulumi.output(data)),
          },
          child,
        );
        secretName = secret.metadata.name;
      }

      const container: Container = {
        name: svc,
        image: args.images[spec.repository],
        // kind-loaded images exist only on the nodes; never pull them (a :latest tag would default to Always).
        imagePullPolicy: "IfNotPresent",
        // ECS `command` overrides the image's CMD; in Kubernetes that is `args` (`command` would replace ENTRYPOINT).
        args: spec.command,
        ports: port === undefined ? undefined : [{ name: "http", containerPort: port, protocol: "TCP" }],
        env: Object.entries(spec.environment).map(([envName, value]) => ({ name: envName, value })),
        envFrom: secretName === undefined ? undefined : [{ secretRef: { name: secretName } }],
        resources: k === undefined ? undefined : { requests: { ...k.requests }, limits: { ...k.limits } },
        securityContext: {
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: spec.readonlyRootFilesystem,
          capabilities: { drop: ["ALL"] },
        },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
        ...(port === undefined ? {} : httpProbes(spec)),
      };
      const podSpec: PodSpec = {
        automountServiceAccountToken: false, // Helium never talks to the Kubernetes API
        enableServiceLinks: false, // a Service named *redis* would otherwise inject a REDIS_PORT=tcp://… variable
        securityContext: {
          runAsNonRoot: true,
          runAsUser: uid,
          runAsGroup: uid,
          fsGroup: uid,
          seccompProfile: { type: "RuntimeDefault" },
          // The seed's frontend listens on 80; without root or NET_BIND_SERVICE that needs this (safe) sysctl.
          sysctls:
            port !== undefined && port < 1024
              ? [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }]
              : undefined,
        },
        containers: [container],
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
      };
      const deployment = new k8s.apps.v1.Deployment(
        appName,
        {
          metadata: { name: appName, namespace, labels },
          spec: {
            // Unset under an HPA: the HPA owns the count (it starts from minReplicas).
            replicas: plan.kind === "fixed" ? plan.replicas : undefined,
            selector: { matchLabels: selector },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
            template: { metadata: { labels }, spec: podSpec },
          },
        },
        child,
      );
      this.deploymentNames[svc] = deployment.metadata.name;

      if (plan.kind === "hpa") {
        const hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
          `${appName}-hpa`,
          {
            metadata: { name: `${appName}-hpa`, namespace, labels },
            spec: {
              scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
              minReplicas: plan.minReplicas,
              maxReplicas: plan.maxReplicas,
              metrics: [
                {
                  type: "Resource",
                  resource: { name: "cpu", target: { type: "Utilization", averageUtilization: plan.cpuTargetPercent } },
                },
              ],
              // The ECS scale-in cooldown, so both platforms shed capacity equally slowly.
              behavior: { scaleDown: { stabilizationWindowSeconds: spec.scaling.scaleInCooldownSeconds } },
            },
          },
          child,
        );
        this.hpaNames[svc] = hpa.metadata.name;
      }

      // maxUnavailable 1 (not minAvailable): it keeps one of two pods up during a drain, yet never blocks
      // draining a single-replica service such as the worker.
      new k8s.policy.v1.PodDisruptionBudget(
        `${appName}-pdb`,
        {
          metadata: { name: `${appName}-pdb`, namespace, labels },
          spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
        },
        child,
      );

      if (port !== undefined) {
        const service = new k8s.core.v1.Service(
          appName,
          {
            metadata: { name: appName, namespace, labels },
            spec: { type: "ClusterIP", selector, ports: [{ name: "http", port, targetPort: "http", protocol: "TCP" }] },
          },
          child,
        );
        this.serviceNames[svc] = service.metadata.name;
        for (const route of spec.routes) {
          const hosts = route.hostHeaders ?? [args.ingressHost];
          for (const pattern of route.pathPatterns ?? ["/*"]) {
            const path = ingressPathFor(pattern) as IngressPath; // validated in the constructor
            for (const host of hosts) ingressPaths.push({ host, path, serviceName: service.metadata.name, port });
          }
        }
      }
    }

    const hosts = [...new Set(ingressPaths.map((p) => p.host))];
    const rules: IngressRule[] = hosts.map((host) => ({
      host,
      http: {
        paths: ingressPaths
          .filter((p) => p.host === host)
          .map((p) => ({
            path: p.path.path,
            pathType: p.path.pathType,
            backend: { service: { name: p.serviceName, port: { number: p.port } } },
          })),
      },
    }));
    const ingress = new k8s.networking.v1.Ingress(
      prefix,
      {
        metadata: { name: prefix, namespace, labels: partOf },
        spec: { ingressClassName, rules },
      },
      { ...child, dependsOn: ingressController === undefined ? [] : [ingressController] },
    );

    this.namespace = namespace;
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
