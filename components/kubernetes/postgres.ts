/**
 * The in-cluster PostgreSQL, the local stack's stand-in for RDS (it plays the part the in-cluster Redis plays
 * for ElastiCache): a Secret holding a generated password, one locked-down pod and a ClusterIP Service. Which
 * pods may connect is decided by the NetworkPolicies (network-policy.ts, `helium-postgres-clients`), from the
 * services that declare `consumes: ["database"]`. Data lives in an emptyDir: it goes with the pod, as local
 * data should. Unlike RDS it does not require TLS (the connection never leaves the cluster network).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { POSTGRES_PORT } from "../../lib/platform";
import { type AppContext, type Labels, childOf, selectorOf } from "./context";

/** UID (and GID) of the `postgres` user in the official Alpine images, so runAsNonRoot holds without a custom image. */
export const POSTGRES_UID = 70;
/** Image of the in-cluster PostgreSQL unless the local stack's `database.image` says otherwise. */
export const DEFAULT_POSTGRES_IMAGE = "postgres:17-alpine";
/** Where the data directory lives inside the pod (a subdirectory of the mount, as the image's docs advise). */
const PGDATA = "/var/lib/postgresql/data/pgdata";

export interface PostgresSettings {
  readonly image: string;
  /** The database created at first start (DB_NAME). */
  readonly name: string;
  /** The user created at first start (DB_USER). */
  readonly username: string;
}

export interface Postgres {
  /** Object name of the Deployment and Service (`helium-postgres`). */
  readonly name: string;
  /** Labels selecting the PostgreSQL pod. */
  readonly selector: Labels;
  /** Labels on every PostgreSQL object. */
  readonly labels: Labels;
  /** In-cluster DNS name of the Service (DB_HOST). */
  readonly host: pulumi.Output<string>;
  readonly port: number;
  readonly dbName: string;
  readonly username: string;
  /** The generated password (DB_PASSWORD). */
  readonly password: pulumi.Output<string>;
}

export function createPostgres(ctx: AppContext, settings: PostgresSettings): Postgres {
  const name = `${ctx.prefix}-postgres`;
  const labels = { "app.kubernetes.io/name": name, ...ctx.partOf };
  const selector = selectorOf(ctx, name);
  const namespace = ctx.namespace;
  const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, childOf(ctx));
  const secret = new k8s.core.v1.Secret(
    `${name}-auth`,
    {
      metadata: { namespace, labels },
      type: "Opaque",
      stringData: { POSTGRES_PASSWORD: pulumi.secret(password.result) },
    },
    childOf(ctx),
  );
  const writable = (volume: string, mountPath: string) => ({ name: volume, mountPath });
  new k8s.apps.v1.Deployment(
    name,
    {
      metadata: { name, namespace, labels },
      spec: {
        replicas: 1,
        // One pod owning the data directory: never two side by side during a rollout.
        strategy: { type: "Recreate" },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: POSTGRES_UID,
              runAsGroup: POSTGRES_UID,
              fsGroup: POSTGRES_UID,
              seccompProfile: { type: "RuntimeDefault" },
            },
            containers: [
              {
                name: "postgres",
                image: settings.image,
                imagePullPolicy: "IfNotPresent",
                env: [
                  { name: "POSTGRES_DB", value: settings.name },
                  { name: "POSTGRES_USER", value: settings.username },
                  {
                    name: "POSTGRES_PASSWORD",
                    valueFrom: { secretKeyRef: { name: secret.metadata.name, key: "POSTGRES_PASSWORD" } },
                  },
                  { name: "PGDATA", value: PGDATA },
                ],
                ports: [{ name: "postgres", containerPort: POSTGRES_PORT, protocol: "TCP" }],
                readinessProbe: { tcpSocket: { port: "postgres" }, periodSeconds: 5, failureThreshold: 3 },
                livenessProbe: {
                  tcpSocket: { port: "postgres" },
                  initialDelaySeconds: 30,
                  periodSeconds: 10,
                  failureThreshold: 6,
                },
                resources: {
                  requests: { cpu: "100m", memory: "256Mi" },
                  limits: { cpu: "500m", memory: "512Mi" },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  privileged: false,
                  capabilities: { drop: ["ALL"] },
                },
                // The root filesystem is read-only: the data directory, the socket directory and /tmp are not.
                volumeMounts: [
                  writable("data", "/var/lib/postgresql/data"),
                  writable("run", "/var/run/postgresql"),
                  writable("tmp", "/tmp"),
                ],
              },
            ],
            volumes: [
              { name: "data", emptyDir: { sizeLimit: "1Gi" } },
              { name: "run", emptyDir: { sizeLimit: "16Mi" } },
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
        ports: [{ name: "postgres", port: POSTGRES_PORT, targetPort: "postgres", protocol: "TCP" }],
      },
    },
    childOf(ctx),
  );
  return {
    name,
    selector,
    labels,
    host: pulumi.interpolate`${service.metadata.name}.${namespace}.svc.cluster.local`,
    port: POSTGRES_PORT,
    dbName: settings.name,
    username: settings.username,
    password: password.result,
  };
}
