/**
 * What the in-cluster data stores (redis.ts, postgres.ts) share: a Secret holding a generated password, one
 * locked-down pod (a Deployment of one replica that never runs two pods side by side) and a ClusterIP
 * Service, every object named `<prefix>-<store>` and a direct child of the KubernetesApp (context.ts), so
 * URNs are those each store had on its own. What differs is the store's: image, user, port, the container's
 * environment and arguments, resources and the directories it writes to.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type AppContext, type Labels, childOf, selectorOf } from "./context";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** A directory the container may write to (its root filesystem is read-only): an emptyDir of at most `sizeLimit`. */
export interface WritableDirectory {
  readonly name: string;
  readonly mountPath: string;
  readonly sizeLimit: string;
}

export interface DataStoreSpec {
  /** `redis`, `postgres`: objects are named `<prefix>-<store>`, and so are the container and its port. */
  readonly store: string;
  readonly image: string;
  readonly port: number;
  /** UID, GID and fsGroup of the pod (the image's own user, so runAsNonRoot holds without a custom image). */
  readonly uid: number;
  /** Key of the generated password in the Secret, and name of the env var that carries it into the container. */
  readonly passwordKey: string;
  /** The container's environment, given the env var that carries the password (from the Secret). */
  readonly env: (password: EnvVar) => EnvVar[];
  /** The container's arguments. Defaults to none (the image's). */
  readonly args?: string[];
  /** Seconds before the first liveness probe. Defaults to none (probe at once). */
  readonly livenessInitialDelaySeconds?: number;
  readonly resources: k8s.types.input.core.v1.ResourceRequirements;
  readonly writable: readonly WritableDirectory[];
}

export interface DataStore {
  /** Object name of the Deployment and Service (`helium-redis`, `helium-postgres`). */
  readonly name: string;
  /** Labels selecting the store's pod. */
  readonly selector: Labels;
  /** Labels on every object of the store. */
  readonly labels: Labels;
  /** In-cluster DNS name of the Service. */
  readonly host: pulumi.Output<string>;
  /** The generated password. */
  readonly password: pulumi.Output<string>;
}

/** Registers the store's password, Secret, Deployment and Service, in that order. */
export function createDataStore(ctx: AppContext, spec: DataStoreSpec): DataStore {
  const { store, port, uid, passwordKey } = spec;
  const name = `${ctx.prefix}-${store}`;
  const labels = { "app.kubernetes.io/name": name, ...ctx.partOf };
  const selector = selectorOf(ctx, name);
  const namespace = ctx.namespace;
  const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, childOf(ctx));
  const secret = new k8s.core.v1.Secret(
    `${name}-auth`,
    {
      metadata: { namespace, labels },
      type: "Opaque",
      stringData: { [passwordKey]: pulumi.secret(password.result) },
    },
    childOf(ctx),
  );
  const passwordEnv: EnvVar = {
    name: passwordKey,
    valueFrom: { secretKeyRef: { name: secret.metadata.name, key: passwordKey } },
  };
  new k8s.apps.v1.Deployment(
    name,
    {
      metadata: { name, namespace, labels },
      spec: {
        replicas: 1,
        // One pod owning the data: never two side by side during a rollout.
        strategy: { type: "Recreate" },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: uid,
              runAsGroup: uid,
              fsGroup: uid,
              seccompProfile: { type: "RuntimeDefault" },
            },
            containers: [
              {
                name: store,
                image: spec.image,
                imagePullPolicy: "IfNotPresent",
                ...(spec.args !== undefined ? { args: spec.args } : {}),
                env: spec.env(passwordEnv),
                ports: [{ name: store, containerPort: port, protocol: "TCP" }],
                readinessProbe: { tcpSocket: { port: store }, periodSeconds: 5, failureThreshold: 3 },
                livenessProbe: {
                  tcpSocket: { port: store },
                  ...(spec.livenessInitialDelaySeconds !== undefined
                    ? { initialDelaySeconds: spec.livenessInitialDelaySeconds }
                    : {}),
                  periodSeconds: 10,
                  failureThreshold: 6,
                },
                resources: spec.resources,
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  privileged: false,
                  capabilities: { drop: ["ALL"] },
                },
                volumeMounts: spec.writable.map(({ name, mountPath }) => ({ name, mountPath })),
              },
            ],
            volumes: spec.writable.map(({ name, sizeLimit }) => ({ name, emptyDir: { sizeLimit } })),
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
        ports: [{ name: store, port, targetPort: store, protocol: "TCP" }],
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
