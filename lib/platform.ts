/**
 * Facts of the Helium platform that config, the resolve step, components and the Kubernetes rendering all
 * read. Each is defined here once.
 */

/** Keys the platform writes into every backend secret (ECS) and service Secret (Kubernetes). */
export const PLATFORM_SECRET_KEYS = ["REDIS_HOST", "REDIS_PORT", "REDIS_AUTH_TOKEN"] as const;

/** Redis/Valkey port on ElastiCache and in the cluster. */
export const REDIS_PORT = 6379;

/** PostgreSQL port on RDS and in the cluster. */
export const POSTGRES_PORT = 5432;

/**
 * Keys the platform adds to the backend secret when the environment has a database (`helium:database`): where
 * the database is. A service that declares `consumes: ["database"]` gets them with `valueFrom`.
 */
export const DATABASE_SECRET_KEYS = ["DB_HOST", "DB_PORT", "DB_NAME"] as const;

/**
 * The database credentials a consumer gets, by environment variable, with the JSON key of the secret that holds
 * them: on ECS the RDS-managed master user secret (`username`, `password`), in the cluster the in-cluster
 * PostgreSQL's generated ones.
 */
export const DATABASE_CREDENTIAL_KEYS = { DB_USER: "username", DB_PASSWORD: "password" } as const;
export type DatabaseCredentialKey = keyof typeof DATABASE_CREDENTIAL_KEYS;

/** How traffic enters an environment; see docs/entry.md. */
export const ENTRY_MODES = ["accelerator", "apiGateway"] as const;
export type EntryMode = (typeof ENTRY_MODES)[number];

/** ElastiCache engines Helium supports. */
export const CACHE_ENGINES = ["valkey", "redis"] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];

/**
 * Engine version used when none is configured: Valkey 8.0 (offered in every region Helium runs in) and
 * Redis OSS 7.1, the last Redis OSS version ElastiCache offers.
 */
export const DEFAULT_ENGINE_VERSIONS: Readonly<Record<CacheEngine, string>> = { valkey: "8.0", redis: "7.1" };

/** Largest replica count of a cluster-mode-disabled replication group (1 primary + 5 replicas). */
export const MAX_CACHE_REPLICAS = 5;

/** Interface VPC endpoints a region may create for the AWS APIs its tasks call. */
export const INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs", "xray"] as const;
export type InterfaceEndpoint = (typeof INTERFACE_ENDPOINTS)[number];

/** HTTPS listener policies that allow TLS 1.3 and 1.2 only (ELB "Security policies for your Application Load Balancer"). */
export const TLS_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
] as const;
export type TlsPolicy = (typeof TLS_POLICIES)[number];

/**
 * Name of the app container's port mapping. Service Connect publishes the port under this name
 * (ServiceConnectService.portName), and Kubernetes probes and Services refer to the container port by it.
 */
export const APP_PORT_NAME = "http";

/** `queue.maxProcessingSeconds` when config sets none: the longest time the worker spends on one message. */
export const DEFAULT_MAX_PROCESSING_SECONDS = 60;
/** Seconds a queue consumer gets beyond its longest message before SIGKILL: to delete the message and exit. */
export const CONSUMER_STOP_MARGIN_SECONDS = 10;
/** Fargate's longest container stop timeout (ContainerDefinition.stopTimeout: "the max stopTimeout value is 120 seconds"). */
export const FARGATE_MAX_STOP_TIMEOUT_SECONDS = 120;

/**
 * Stop timeout of a queue consumer's container: time to finish the message in hand after SIGTERM (a deploy,
 * a scale-in or a Fargate Spot interruption, which warns two minutes ahead), capped at Fargate's 120 s.
 */
export function consumerStopTimeoutSeconds(maxProcessingSeconds: number): number {
  return Math.min(maxProcessingSeconds + CONSUMER_STOP_MARGIN_SECONDS, FARGATE_MAX_STOP_TIMEOUT_SECONDS);
}

/** X-Ray daemon image, pinned: `latest` would change the sidecar under a running service without a deploy. */
export const XRAY_DAEMON_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.3.14";
export const XRAY_DAEMON_PORT = 2000;

/** Queue retention settings are in days; SQS and the model count seconds. */
export const SECONDS_PER_DAY = 24 * 60 * 60;

/** Seconds SQS keeps messages on the DLQ: 14 days, the maximum, to leave time for investigation. */
export const DLQ_RETENTION_SECONDS = 14 * SECONDS_PER_DAY;
/** SQS caps the visibility timeout at 12 hours (SetQueueAttributes VisibilityTimeout: 0-43200). */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 12 * 60 * 60;

/** Visibility timeout from the worker's longest processing time: 6× (AWS guidance for SQS consumers), capped at 12 h. */
export function visibilityTimeoutSeconds(maxProcessingSeconds: number): number {
  return Math.min(6 * maxProcessingSeconds, MAX_VISIBILITY_TIMEOUT_SECONDS);
}
