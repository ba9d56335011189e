/**
 * ElastiCache constraints on values that come from config (CreateReplicationGroup). Source:
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html and
 * botocore `elasticache/2015-02-02` CreateReplicationGroupMessage; engine versions from
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html.
 */
import type { Problem } from "../input-error";
import { integerInRange } from "./ranges";

/** Engines CreateReplicationGroup accepts ("The value must be set to valkey or redis"). */
export const CACHE_ENGINES: readonly string[] = ["valkey", "redis"];

/** Oldest Valkey on ElastiCache: 7.2. */
export const MIN_VALKEY_VERSION = "7.2";
/** Redis OSS on ElastiCache: 4.0.10 through 7.1 (newer releases are Valkey). */
export const MIN_REDIS_VERSION = "4.0.10";
/** See {@link MIN_REDIS_VERSION}. */
export const MAX_REDIS_VERSION = "7.1";

/** Compares dotted versions numerically, missing parts as 0: "7.2" > "7.1.9", "7.1" = "7.1.0". */
export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * Engine and engine version together: `valkey` from 7.2 up, `redis` from 4.0.10 to 7.1 (major.minor or
 * major.minor.patch). Keys `engine` and `engineVersion`. Availability of a particular newer version still
 * depends on the region (DescribeCacheEngineVersions); this checks what can never work.
 */
export function elastiCacheEngineVersionProblem(engine: string, version: string): Problem[] {
  if (!CACHE_ENGINES.includes(engine)) {
    return [{ key: "engine", value: engine, allowed: CACHE_ENGINES.join(" or ") }];
  }
  const valkey = engine === "valkey";
  const allowed = valkey
    ? `a Valkey version ${MIN_VALKEY_VERSION} or later, e.g. 8.0 (Valkey on ElastiCache starts at 7.2)`
    : `a Redis OSS version from ${MIN_REDIS_VERSION} to ${MAX_REDIS_VERSION}, e.g. 7.1 (later releases are Valkey: use engine valkey)`;
  if (!/^\d+\.\d+(?:\.\d+)?$/.test(version)) return [{ key: "engineVersion", value: version, allowed }];
  const fits = valkey
    ? compareVersions(version, MIN_VALKEY_VERSION) >= 0
    : compareVersions(version, MIN_REDIS_VERSION) >= 0 && compareVersions(version, MAX_REDIS_VERSION) <= 0;
  return fits ? [] : [{ key: "engineVersion", value: version, allowed }];
}

/**
 * `SnapshotRetentionLimit`: 0-35 days (0 turns automatic backups off). 35 is stated on the serverless APIs
 * and the AWS Config rule; CreateReplicationGroup's page states no maximum.
 */
export function elastiCacheSnapshotRetentionProblem(days: number): string | undefined {
  return integerInRange(days, 0, 35, "days");
}

/**
 * Read replicas of a cluster-mode-disabled replication group: 0-5 ("maximum permitted value for
 * NumCacheClusters is 6 (1 primary plus 5 replicas)"; ReplicasPerNodeGroup "Valid values are 0 to 5").
 */
export function elastiCacheReplicasProblem(replicas: number): string | undefined {
  return integerInRange(replicas, 0, 5);
}

/** `CacheNodeType` format `cache.<family>.<size>`; which types a region offers is checked by the service. */
export function elastiCacheNodeTypeProblem(nodeType: string): string | undefined {
  return /^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(nodeType)
    ? undefined
    : "an ElastiCache node type such as cache.t3.micro (cache.<family>.<size>)";
}
