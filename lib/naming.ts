/**
 * Resource naming, following the seed: `helium-<thing>-<region short>` (e.g. `helium-files-sg`), clusters
 * as `helium-<region name>-cluster` (e.g. `helium-singapore-cluster`), and an environment marker outside
 * production (`helium-mumbai-staging-cluster`, `helium-backend-staging-service`), so no staging name can
 * ever equal a production one.
 *
 * Every physical name also passes through {@link assertAwsName}, because AWS rejects names a mock accepts.
 */
import { regionInfo } from "./regions";

/** An environment name (config/primitives.ts `environmentName`): environments are data, not a fixed list. */
export type Environment = string;

/** `""` in production, `-<env>` elsewhere: the seed keeps production names bare. */
export function environmentInfix(env: Environment): string {
  return env === "production" ? "" : `-${env}`;
}

/** `helium-<thing>[-<env>]-<region short>`, e.g. `helium-files-sg`, `helium-files-staging-mum`. */
export function regionalName(env: Environment, region: string, thing: string): string {
  return `helium-${thing}${environmentInfix(env)}-${regionInfo(region).short}`;
}

/** `helium-<region name>[-<env>]-cluster`, e.g. `helium-singapore-cluster`. */
export function clusterName(env: Environment, region: string): string {
  return regionScopedName(env, region, "cluster");
}

/**
 * IAM path of every role an environment's program creates: `/helium/<env>/`. IAM is global, so the path is
 * what lets one environment's deploy role manage and pass its own roles and never the other environment's.
 */
export function iamRolePath(env: Environment): string {
  return `/helium/${env}/`;
}

/** `helium-<region name>[-<env>]-<thing>`, e.g. `helium-singapore-vpc`. */
export function regionScopedName(env: Environment, region: string, thing: string): string {
  return `helium-${regionInfo(region).name}${environmentInfix(env)}-${thing}`;
}

/** `helium-<service>[-<env>]-service`: ECS service names are unique per cluster, so no region part. */
export function ecsServiceName(env: Environment, service: string): string {
  return `helium-${service}${environmentInfix(env)}-service`;
}

/** Secrets Manager name `helium/backend/<env>` as in the seed; one per region, same name in each. */
export function backendSecretName(env: Environment): string {
  return `helium/backend/${env}`;
}

export type AwsNameKind =
  | "s3Bucket"
  | "loadBalancer"
  | "targetGroup"
  | "iamRole"
  | "elasticacheReplicationGroup"
  | "sqsQueue"
  | "ecsCluster"
  | "ecsService"
  | "logGroup"
  | "secret"
  | "acceleratorName"
  | "ecrRepository";

interface NameRule {
  readonly maxLength: number;
  readonly minLength: number;
  readonly pattern: RegExp;
  readonly allowed: string;
}

const NAME_RULES: Readonly<Record<AwsNameKind, NameRule>> = {
  s3Bucket: {
    minLength: 3,
    maxLength: 63,
    pattern: /^(?!xn--)(?!sthree-)(?!.*\.\.)(?!.*-s3alias$)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    allowed:
      "3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not an IP address",
  },
  loadBalancer: {
    minLength: 1,
    maxLength: 32,
    pattern: /^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    allowed: "1-32 letters, digits and hyphens, not starting or ending with a hyphen or starting with 'internal-'",
  },
  targetGroup: {
    minLength: 1,
    maxLength: 32,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    allowed: "1-32 letters, digits and hyphens, not starting or ending with a hyphen",
  },
  iamRole: {
    minLength: 1,
    maxLength: 64,
    pattern: /^[\w+=,.@-]+$/,
    allowed: "1-64 characters from letters, digits and +=,.@_-",
  },
  elasticacheReplicationGroup: {
    minLength: 1,
    maxLength: 40,
    pattern: /^(?!.*--)[a-z](?:[a-z0-9-]*[a-z0-9])?$/,
    allowed: "1-40 lower-case letters, digits and hyphens, starting with a letter, no '--', not ending with a hyphen",
  },
  sqsQueue: {
    minLength: 1,
    maxLength: 80,
    pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
    allowed: "1-80 letters, digits, hyphens and underscores",
  },
  ecsCluster: {
    minLength: 1,
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: "1-255 letters, digits, hyphens and underscores",
  },
  ecsService: {
    minLength: 1,
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: "1-255 letters, digits, hyphens and underscores",
  },
  logGroup: {
    minLength: 1,
    maxLength: 512,
    pattern: /^[\w\-/.#]+$/,
    allowed: "1-512 characters from letters, digits and _-/.#",
  },
  secret: {
    minLength: 1,
    maxLength: 512,
    pattern: /^[\w/+=.@-]+$/,
    allowed: "1-512 characters from letters, digits and /_+=.@-",
  },
  acceleratorName: {
    minLength: 1,
    maxLength: 64,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    allowed: "1-64 letters, digits and hyphens, not starting or ending with a hyphen",
  },
  ecrRepository: {
    minLength: 2,
    maxLength: 256,
    pattern: /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
    allowed: "2-256 lower-case letters and digits, separated by single '.', '_', '-' or '/'",
  },
};

/** Returns why AWS would reject `value` as a `kind` name, or undefined when it is acceptable. */
export function awsNameError(kind: AwsNameKind, value: string): string | undefined {
  const rule = NAME_RULES[kind];
  if (value.length < rule.minLength || value.length > rule.maxLength || !rule.pattern.test(value)) {
    return `"${value}" (${value.length} characters) is not a valid ${kind} name: allowed is ${rule.allowed}`;
  }
  return undefined;
}

/** Throws, naming what the name is for (a config key or a component input), when AWS would reject it. */
export function assertAwsName(kind: AwsNameKind, value: string, source: string): string {
  const error = awsNameError(kind, value);
  if (error) throw new Error(`${source}: ${error}`);
  return value;
}
