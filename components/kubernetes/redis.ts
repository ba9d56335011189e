/**
 * The in-cluster Redis, so REDIS_HOST works without AWS: a Secret holding a generated AUTH password, one
 * locked-down pod and a ClusterIP Service (data-store.ts). Which pods may connect is decided by the
 * NetworkPolicies (network-policy.ts), from what the services declare they consume.
 */
import { REDIS_PORT } from "../../lib/platform";
import { type AppContext } from "./context";
import { type DataStore, createDataStore } from "./data-store";

/** UID of the `redis` user in the official Redis images, so runAsNonRoot holds without a custom image. */
export const REDIS_UID = 999;
/** Image of the in-cluster Redis unless `redisImage` says otherwise. */
export const DEFAULT_REDIS_IMAGE = "redis:7.2-alpine";

/** The in-cluster Redis: `host` is REDIS_HOST, `password` the generated AUTH password (REDIS_AUTH_TOKEN). */
export type Redis = DataStore;

export function createRedis(ctx: AppContext, image: string): Redis {
  return createDataStore(ctx, {
    store: "redis",
    image,
    port: REDIS_PORT,
    uid: REDIS_UID,
    passwordKey: "REDIS_PASSWORD",
    // $(REDIS_PASSWORD) is expanded by the kubelet from the env below; the value never appears in the spec.
    args: ["--requirepass", "$(REDIS_PASSWORD)", "--appendonly", "no", "--save", ""],
    env: (password) => [password],
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "256Mi" } },
    writable: [
      { name: "data", mountPath: "/data", sizeLimit: "256Mi" },
      { name: "tmp", mountPath: "/tmp", sizeLimit: "64Mi" },
    ],
  });
}
