/**
 * One Helium service as a workload: its Secret (when it declares secrets), its Deployment (probes, a
 * locked-down security context, the declared requests/limits), its HPA (when its kubernetes block has a
 * replica range) and its PodDisruptionBudget.
 */
import { type DatabaseCredentialKey, DATABASE_SECRET_KEYS, PLATFORM_SECRET_KEYS } from "../../lib/platform";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type KubernetesServiceSpec, containerPortOf, replicaHandling, replicaPlan } from "../../lib/kubernetes";
import { type AppContext, type Labels, appName, childOf, selectorOf } from "./context";

type Container = k8s.types.input.core.v1.Container;
type Probe = k8s.types.input.core.v1.Probe;
type PodSpec = k8s.types.input.core.v1.PodSpec;

export type PlatformSecretKey = (typeof PLATFORM_SECRET_KEYS)[number];
/** Where the in-cluster PostgreSQL is and how to log in: what a database consumer's Secret carries. */
export type DatabaseSecrets = Readonly<
  Record<(typeof DATABASE_SECRET_KEYS)[number] | DatabaseCredentialKey, pulumi.Input<string>>
>;

/** pulumi-kubernetes reads this annotation to force a server-side apply over other field managers. */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

export interface WorkloadArgs {
  /** Service name, e.g. `backend`. */
  readonly service: string;
  readonly spec: KubernetesServiceSpec;
  readonly image: string;
  /** UID/GID of the containers. */
  readonly runAsUser: number;
  /** App secret values, added to the Secret of a service that declares secrets. */
  readonly appSecrets: Readonly<Record<string, pulumi.Input<string>>>;
  /** Values of the platform keys; a service gets those it declares. */
  readonly platformSecrets: Readonly<Record<PlatformSecretKey, pulumi.Input<string>>>;
  /** The in-cluster PostgreSQL's coordinates; a service that consumes `database` gets all of them. Defaults to none. */
  readonly databaseSecrets?: DatabaseSecrets;
}

export interface Workload {
  /** Object name of the Deployment (and of the Service, when there is one). */
  readonly name: string;
  /** Labels on the service's objects and pods. */
  readonly labels: Labels;
  /** Labels selecting the service's pods. */
  readonly selector: Labels;
  readonly deploymentName: pulumi.Output<string>;
  /** Set when an HPA owns the replica count. */
  readonly hpaName?: pulumi.Output<string>;
}

/** Startup, readiness and liveness probes from the shared health check. */
function httpProbes(
  spec: KubernetesServiceSpec,
): Partial<Pick<Container, "startupProbe" | "readinessProbe" | "livenessProbe">> {
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

function podSpecFor(args: WorkloadArgs, secretName: pulumi.Output<string> | undefined): PodSpec {
  const { service, spec } = args;
  const k = spec.kubernetes;
  const port = containerPortOf(spec);
  const container: Container = {
    name: service,
    image: args.image,
    // kind-loaded images exist only on the nodes; never pull them (a :latest tag would default to Always).
    imagePullPolicy: "IfNotPresent",
    // ECS `command` overrides the image's CMD; in Kubernetes that is `args` (`command` would replace ENTRYPOINT).
    args: spec.command && [...spec.command], // a copy: the spec is read-only, the input type is not
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
  return {
    automountServiceAccountToken: false, // Helium never talks to the Kubernetes API
    enableServiceLinks: false, // a Service named *redis* would otherwise inject a REDIS_PORT=tcp://… variable
    securityContext: {
      runAsNonRoot: true,
      runAsUser: args.runAsUser,
      runAsGroup: args.runAsUser,
      fsGroup: args.runAsUser,
      seccompProfile: { type: "RuntimeDefault" },
      // The seed's frontend listens on 80; without root or NET_BIND_SERVICE that needs this (safe) sysctl.
      sysctls:
        port !== undefined && port < 1024 ? [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }] : undefined,
    },
    containers: [container],
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
  };
}

export function createWorkload(ctx: AppContext, args: WorkloadArgs): Workload {
  const { service, spec } = args;
  const name = appName(ctx, service);
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/component": service, ...ctx.partOf };
  const selector = selectorOf(ctx, name);
  const namespace = ctx.namespace;
  const plan = replicaPlan(spec);

  let secretName: pulumi.Output<string> | undefined;
  const database = spec.consumes.includes("database") ? args.databaseSecrets : undefined;
  if (spec.secrets.length > 0 || database !== undefined) {
    // Every app secret, then the platform keys the service declares (the platform's Redis wins), then, for a
    // database consumer, the in-cluster PostgreSQL's coordinates and credentials.
    const data: Record<string, pulumi.Input<string>> = { ...args.appSecrets };
    for (const key of PLATFORM_SECRET_KEYS) if (spec.secrets.includes(key)) data[key] = args.platformSecrets[key];
    if (database !== undefined) Object.assign(data, database);
    // Auto-named (helium-backend-secret-<suffix>): a change of value replaces the Secret under a new
    // name, so the Deployment referencing it rolls its pods onto the new values.
    const secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      {
        metadata: { namespace, labels },
        type: "Opaque",
        stringData: pulumi.secret(pulumi.output(data)),
      },
      childOf(ctx),
    );
    secretName = secret.metadata.name;
  }

  // spec.replicas is never absent, so no apply resets the count to 1; under an HPA Pulumi stops managing it
  // (ignoreChanges), and a fixed count is force-applied to take it back. Why and sources: replicaHandling.
  const replicas = replicaHandling(plan);
  const deployment = new k8s.apps.v1.Deployment(
    name,
    {
      metadata: {
        name,
        namespace,
        labels,
        annotations: replicas.forceApply ? { [PATCH_FORCE_ANNOTATION]: "true" } : undefined,
      },
      spec: {
        replicas: replicas.replicas,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: { metadata: { labels }, spec: podSpecFor(args, secretName) },
      },
    },
    { ...childOf(ctx), ignoreChanges: [...replicas.ignoreChanges] },
  );

  let hpaName: pulumi.Output<string> | undefined;
  if (plan.kind === "hpa") {
    const hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      `${name}-hpa`,
      {
        metadata: { name: `${name}-hpa`, namespace, labels },
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
      childOf(ctx),
    );
    hpaName = hpa.metadata.name;
  }

  // maxUnavailable 1 (not minAvailable): it keeps one of two pods up during a drain, yet never blocks
  // draining a single-replica service such as the worker.
  new k8s.policy.v1.PodDisruptionBudget(
    `${name}-pdb`,
    {
      metadata: { name: `${name}-pdb`, namespace, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    },
    childOf(ctx),
  );

  return { name, labels, selector, deploymentName: deployment.metadata.name, hpaName };
}
