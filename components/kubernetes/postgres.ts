/**
 * The in-cluster PostgreSQL, the local stack's stand-in for RDS (it plays the part the in-cluster Redis plays
 * for ElastiCache): a Secret holding a generated password, one locked-down pod and a ClusterIP Service. Which
 * pods may connect is decided by the NetworkPolicies (network-policy.ts, `helium-postgres-clients`), from the
 * services that declare `consumes: ["database"]`. Data lives in an emptyDir: it goes with the pod, as local
 * data should. Unlike RDS it does not require TLS (the connection never leaves the cluster network).
 */
import { POSTGRES_PORT } from "../../lib/platform";
import { type AppContext } from "./context";
import { type DataStore, createDataStore } from "./data-store";

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

/** The in-cluster PostgreSQL: `host` is DB_HOST, `password` the generated password (DB_PASSWORD). */
export interface Postgres extends DataStore {
  readonly port: number;
  /** DB_NAME. */
  readonly dbName: string;
  /** DB_USER. */
  readonly username: string;
}

export function createPostgres(ctx: AppContext, settings: PostgresSettings): Postgres {
  const store = createDataStore(ctx, {
    store: "postgres",
    image: settings.image,
    port: POSTGRES_PORT,
    uid: POSTGRES_UID,
    passwordKey: "POSTGRES_PASSWORD",
    env: (password) => [
      { name: "POSTGRES_DB", value: settings.name },
      { name: "POSTGRES_USER", value: settings.username },
      password,
      { name: "PGDATA", value: PGDATA },
    ],
    livenessInitialDelaySeconds: 30,
    resources: {
      requests: { cpu: "100m", memory: "256Mi" },
      limits: { cpu: "500m", memory: "512Mi" },
    },
    // The data directory, the socket directory and /tmp.
    writable: [
      { name: "data", mountPath: "/var/lib/postgresql/data", sizeLimit: "1Gi" },
      { name: "run", mountPath: "/var/run/postgresql", sizeLimit: "16Mi" },
      { name: "tmp", mountPath: "/tmp", sizeLimit: "64Mi" },
    ],
  });
  return { ...store, port: POSTGRES_PORT, dbName: settings.name, username: settings.username };
}
