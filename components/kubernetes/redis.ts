/**
 * The in-cluster Redis, so REDIS_HOST works without AWS: a Secret holding a generated AUTH password, one
 * locked-down pod and a ClusterIP Service. Which pods may connect is decided by the NetworkPolicies
 * (network-policy.ts), from what the services declare they consume.
 */
import { REDIS_PORT } from "../../lib/platform";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type AppContext, type Labels, childOf, selectorOf } from "./context";

/** UID of the `redis` user in the official Redis images, so runAsNonRoot holds without a custom image. */
export const REDIS_UID = 999;
/** Image of the in-cluster Redis unless `redisImage` says otherwise. */
export const DEFAULT_REDIS_IMAGE = "redis:7.2-alpine";

export interface Redis {
  /** Object name of the Deployment and Service (`helium-redis`). */
  readonly name: string;
  /** Labels selecting the Redis pod. */
  readonly selector: Labels;
  /** Labels on every Redis object. */
  readonly labels: Labels;
  /** In-cluster DNS name of the Service (REDIS_HOST). */
  readonly host: pulumi.Output<string>;
  /** The generated AUTH password (REDIS_AUTH_TOKEN). */
  readonly password: pulumi.Output<string>;
}

export function createRedis(ctx: AppContext, image: string): Redis {
  const name = `${ctx.prefix}-redis`;
  const labels = { "app.kubernetes.io/name": name, ...ctx.partOf };
  const selector = selectorOf(ctx, name);
  const namespace = ctx.namespace;
  const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, childOf(ctx));
  const secret = new k8s.core.v1.Secret(
    `${name}-auth`,
    {
      metadata: { namespace, labels },
      type: "Opaque",
      stringData: { REDIS_PASSWORD: pulumi.secret(password.result) },
    },
    childOf(ctx),
  );
  new k8s.apps.v1.Deployment(
    name,
    {
      metadata: { name, namespace, labels },
      spec: {
        replicas: 1,
        // One pod owning /data: never two side by side during a rollout.
        strategy: { type: "Recreate" },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
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
                image,
                imagePullPolicy: "IfNotPresent",
                // $(REDIS_PASSWORD) is expanded by the kubelet from the env below; the value never appears in the spec.
                args: ["--requirepass", "$(REDIS_PASSWORD)", "--appendonly", "no", "--save", ""],
                env: [
                  {
                    name: "REDIS_PASSWORD",
                    valueFrom: { secretKeyRef: { name: secret.metadata.name, key: "REDIS_PASSWORD" } },
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
    childOf(ctx),
  );
  const service = new k8s.core.v1.Service(
    name,
    {
      metadata: { name, namespace, labels },
      spec: {
        type: "ClusterIP",
        selector,
        ports: [{ name: "redis", port: REDIS_PORT, targetPort: "redis", protocol: "TCP" }],
      },
    },
    childOf(ctx),
  );
  return {
    name,
    selector,
    labels,
    host: pulumi.interpolate`${service.metadata.name}.${namespace}.svc.cluster.local`,
    password: password.result,
  };
}
