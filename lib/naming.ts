/**
 * Helium's naming scheme, following the seed: `helium-<thing>[-<env>]-<region short>` (e.g. `helium-files-sg`),
 * clusters and security groups as `helium-<region name>[-<env>]-<thing>` (e.g. `helium-singapore-cluster`),
 * and an environment marker outside production (`helium-mumbai-staging-cluster`), so no other environment's
 * name equals a production one.
 *
 * Environments are data: any name matching {@link ENVIRONMENT_NAME_PATTERN}. The environment named
 * `production` gets no infix, every other one `-<env>`.
 *
 * Every name passes through {@link schemeName}, which returns the plain spelling when it is valid for its
 * AWS kind and cannot be read two ways, and otherwise a fitted, hash-suffixed name (lib/name-fitting.ts).
 * Names of the existing stacks (production and staging; backend, worker, frontend) are all plain, so
 * they do not change.
 */
import { type AwsNameKind } from "./aws-name-catalog";
import { fitAwsName, stableHash } from "./name-fitting";
import { REGIONS, regionInfo } from "./regions";

export { type AwsNameKind } from "./aws-name-catalog";
export { assertAwsName, awsNameError } from "./aws-name-rules";

/** An environment name, e.g. `production`, `staging`, `dev`. Data, not a closed set: see {@link ENVIRONMENT_NAME_PATTERN}. */
export type Environment = string;

/** The one environment whose names carry no environment infix (the seed's bare names). */
export const PRODUCTION_ENVIRONMENT: Environment = "production";

/**
 * The two environments the repository shipped with.
 * @deprecated Environments are data now; do not test membership in this list.
 */
export const ENVIRONMENTS: readonly Environment[] = ["staging", "production"];

/** Environment names: 1-16 lower-case letters, digits and hyphens, starting with a letter. */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,15}$/;
/** Service names (keys of `helium:services`): 1-20 lower-case letters, digits and hyphens, starting with a letter. */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

/** What is allowed when `name` is not an environment name, else undefined. */
export function environmentNameAllowed(name: string): string | undefined {
  return ENVIRONMENT_NAME_PATTERN.test(name)
    ? undefined
    : "1-16 lower-case letters, digits and hyphens, starting with a letter (it becomes part of AWS names)";
}

/** What is allowed when `name` is not a service name, else undefined. */
export function serviceNameAllowed(name: string): string | undefined {
  return SERVICE_NAME_PATTERN.test(name)
    ? undefined
    : "1-20 lower-case letters, digits and hyphens, starting with a letter (it becomes part of AWS names)";
}

/** `""` for production, `-<env>` for every other environment: the seed keeps production names bare. */
export function environmentInfix(env: Environment): string {
  return env === PRODUCTION_ENVIRONMENT ? "" : `-${env}`;
}

/**
 * Every word the scheme itself writes into hyphenated names (things, suffixes, deploy groups). An
 * environment or service name containing one of them, or a region name or short code, could be read as
 * part of another name (`helium-work-dlq-mum` is production's DLQ and environment `dlq`'s work queue), so
 * such names are always hash-suffixed. tests/lib/physical-names.test.ts checks that every catalog name
 * uses only these words.
 */
export const SCHEME_WORDS: ReadonlySet<string> = new Set([
  "helium",
  "key",
  "alb",
  "ecs",
  "redis",
  "endpoints",
  "sg",
  "flow",
  "logs",
  "cluster",
  "work",
  "dlq",
  "subnets",
  "files",
  "alerts",
  "5xx",
  "rate",
  "not",
  "empty",
  "queue",
  "age",
  "cpu",
  "memory",
  "evictions",
  "exec",
  "task",
  "service",
  "high",
  "recovered",
  "unhealthy",
  "targets",
  "backlog",
  "xray",
  "accelerator",
  "grafana",
  "deploy",
  "preview",
  "compute",
  "data",
  "edge",
  "network",
  "observability",
  "db",
  "params",
  "gateway",
  // The database (Enhanced Monitoring role, alarms).
  "monitoring",
  "free",
  "storage",
  "connections",
  // The API Gateway entry (internal ALB, VPC link, API alarms).
  "int",
  "vpc",
  "link",
  "api",
  "latency",
  "p95",
  "throttled",
]);

/** Scheme words plus every region's name and short code: the words a variable part must not contain. */
const RESERVED_WORDS: ReadonlySet<string> = new Set([
  ...SCHEME_WORDS,
  ...[...REGIONS.values()].flatMap((r) => [r.name, r.short]),
]);

/**
 * Whether names built from these variable parts (environment and service names, user data) can be spelled
 * plainly. Plain spelling is unambiguous when no part contains a reserved word and, if there are two or
 * more parts, none contains a hyphen: `helium-a-b-mum` is service `a-b` in production or service `a` in
 * environment `b`, so either would need a hash.
 */
export function isPlainSpelling(variables: readonly string[]): boolean {
  if (variables.some((v) => v.split("-").some((word) => RESERVED_WORDS.has(word)))) return false;
  return variables.length < 2 || variables.every((v) => !v.includes("-"));
}

/**
 * The physical `kind` name whose readable spelling is `readable`.
 * @param variables the environment and service names it was built from (the environment counts even in
 *   production, where it is not spelled).
 * @param fixed the other inputs (region codes, ports, group names), so the hash identifies the name fully.
 * @returns `readable` when it is valid for `kind` and {@link isPlainSpelling}; otherwise a fitted name
 *   ending in `-<8 hex digits>` of the hash of every input (see fitAwsName). Never a name AWS rejects.
 */
export function schemeName(
  kind: AwsNameKind,
  readable: string,
  variables: readonly string[],
  fixed: readonly (string | number)[] = [],
): string {
  return fitAwsName(kind, readable, {
    identity: [readable, ...variables, ...fixed].join("|"),
    alwaysHash: !isPlainSpelling(variables),
  });
}

/**
 * `helium-<thing>[-<env>]-<region short>`, e.g. `helium-files-sg`, `helium-files-staging-mum`.
 * @param thing a fixed word of the program, never user input: names built from a service name come from
 *   {@link serviceRegionalName}, which accounts for the service name's hyphens.
 * @param kind the AWS kind; the result then always fits it. Without it, the readable spelling is returned
 *   unchecked, as before (kept for existing callers; prefer passing the kind or lib/physical-names.ts).
 */
export function regionalName(env: Environment, region: string, thing: string, kind?: AwsNameKind): string {
  const readable = `helium-${thing}${environmentInfix(env)}-${regionInfo(region).short}`;
  return kind === undefined ? readable : schemeName(kind, readable, [env], [region, thing]);
}

/**
 * `helium-<service>[-<suffix>][-<env>]-<region short>`, e.g. `helium-backend-exec-mum`, always valid for `kind`.
 * @param suffix a fixed word of the program (`exec`, `8000`, `cpu-high`), or "" for none.
 */
export function serviceRegionalName(
  env: Environment,
  region: string,
  service: string,
  suffix: string,
  kind: AwsNameKind,
): string {
  const thing = suffix === "" ? service : `${service}-${suffix}`;
  const readable = `helium-${thing}${environmentInfix(env)}-${regionInfo(region).short}`;
  return schemeName(kind, readable, [env, service], [region, suffix]);
}

/**
 * `helium-<region name>[-<env>]-<thing>`, e.g. `helium-singapore-vpc`.
 * @param kind as for {@link regionalName}: with it the result always fits; without it, the readable spelling.
 */
export function regionScopedName(env: Environment, region: string, thing: string, kind?: AwsNameKind): string {
  const readable = `helium-${regionInfo(region).name}${environmentInfix(env)}-${thing}`;
  return kind === undefined ? readable : schemeName(kind, readable, [env], [region, thing]);
}

/** `helium-<region name>[-<env>]-cluster`, e.g. `helium-singapore-cluster`; always a valid ECS cluster name. */
export function clusterName(env: Environment, region: string): string {
  return regionScopedName(env, region, "cluster", "ecsCluster");
}

/** `helium-<service>[-<env>]-service`: ECS service names are unique per cluster, so no region part. */
export function ecsServiceName(env: Environment, service: string): string {
  return schemeName("ecsService", `helium-${service}${environmentInfix(env)}-service`, [env, service]);
}

/**
 * IAM path of every role an environment's program creates: `/helium/<env>/`. IAM is global, so the path is
 * what lets one environment's deploy role manage and pass its own roles and never another environment's.
 */
export function iamRolePath(env: Environment): string {
  // '/' never occurs in an environment name, so a '/'-delimited name reads one way only: no variables.
  return schemeName("iamPath", `/helium/${env}/`, [], [env]);
}

/** Secrets Manager name `helium/backend/<env>` as in the seed; one per region, the same name in each. */
export function backendSecretName(env: Environment): string {
  return schemeName("secret", `helium/backend/${env}`, [], [env]);
}

/** S3 `bucketPrefix` allows 37 characters (63 minus the 26-character unique suffix the provider appends). */
export const MAX_BUCKET_PREFIX = 37;

/** The `bucketPrefix` for a readable name: the name and a hyphen, or, when too long, its start and a stable hash. */
export function bucketPrefixOf(readable: string): string {
  if (readable.length + 1 <= MAX_BUCKET_PREFIX) return `${readable}-`;
  const hash = stableHash(readable, 8);
  return `${readable.slice(0, MAX_BUCKET_PREFIX - hash.length - 2).replace(/[-.]+$/, "")}-${hash}-`;
}
