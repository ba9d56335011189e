/**
 * The catalog of every physical name the program gives an AWS resource, one function per scope:
 * environment, region, service (region-independent names) and service in a region. Components and the
 * resolve step read names from here, so each name is built once, always fits its AWS kind
 * (lib/aws-name-catalog.ts) and, for the committed stacks, equals the name deployed today.
 *
 * Each `*_NAME_KINDS` table says which AWS kind every field is; the property tests walk these tables.
 * Names marked "planned" belong to work not yet built (RDS, Service Connect); they are here so
 * their rules are exercised before the first deploy.
 */
import type { AwsNameKind } from "./aws-name-catalog";
import {
  type Environment,
  backendSecretName,
  clusterName,
  ecsServiceName,
  environmentInfix,
  iamRolePath,
  regionScopedName,
  regionalName,
  schemeName,
  serviceRegionalName,
} from "./naming";
import { regionInfo } from "./regions";

/** Names of one environment, shared by its regions. */
export interface EnvironmentNames {
  readonly accelerator: string;
  /** In the home region; the region code is part of the name because S3 names are global. */
  readonly acceleratorFlowLogsBucket: string;
  readonly dashboard: string;
  readonly grafanaWorkspace: string;
  readonly grafanaRole: string;
  readonly xrayGroup: string;
  readonly xraySamplingRule: string;
  readonly backendSecret: string;
  readonly iamRolePath: string;
  /** Created by the shared stack, one per environment. */
  readonly deployRole: string;
  /** The HTTP API of the API Gateway entry (one per region, all with this name). */
  readonly httpApi: string;
  /** Planned: the Cloud Map namespace of Service Connect. */
  readonly serviceNamespace: string;
}

/** The AWS kind of every {@link EnvironmentNames} field. */
export const ENVIRONMENT_NAME_KINDS: Readonly<Record<keyof EnvironmentNames, AwsNameKind>> = {
  accelerator: "acceleratorName",
  acceleratorFlowLogsBucket: "s3Bucket",
  dashboard: "cloudWatchDashboard",
  grafanaWorkspace: "grafanaWorkspace",
  grafanaRole: "iamRole",
  xrayGroup: "xrayGroup",
  xraySamplingRule: "xraySamplingRule",
  backendSecret: "secret",
  iamRolePath: "iamPath",
  deployRole: "iamRole",
  httpApi: "apiGatewayName",
  serviceNamespace: "cloudMapNamespace",
};

/** Names of an environment; `homeRegion` is where its global resources' buckets live. */
export function environmentNames(env: Environment, homeRegion: string): EnvironmentNames {
  const infix = environmentInfix(env);
  const plain = (kind: AwsNameKind, readable: string) => schemeName(kind, readable, [env]);
  return {
    accelerator: plain("acceleratorName", `helium${infix}-accelerator`),
    acceleratorFlowLogsBucket: schemeName(
      "s3Bucket",
      `helium${infix}-accelerator-flow-logs-${homeRegion}`,
      [env],
      [homeRegion],
    ),
    dashboard: plain("cloudWatchDashboard", `helium-${env}`),
    grafanaWorkspace: plain("grafanaWorkspace", `helium-${env}`),
    grafanaRole: plain("iamRole", `helium-grafana-${env}`),
    xrayGroup: plain("xrayGroup", `helium-${env}`),
    xraySamplingRule: plain("xraySamplingRule", `helium-${env}`),
    backendSecret: backendSecretName(env),
    iamRolePath: iamRolePath(env),
    deployRole: plain("iamRole", `helium-deploy-${env}`),
    httpApi: plain("apiGatewayName", `helium${infix}-gateway`),
    serviceNamespace: plain("cloudMapNamespace", `helium${infix}`),
  };
}

/** Deploy-permission groups: one managed policy each, so none passes the 6,144-character limit. */
export type DeployPolicyGroup = "compute" | "data" | "edge" | "network" | "observability";

/** `helium-deploy-<env>-<group>`: a managed policy of the environment's deploy role (shared stack). */
export function deployPolicyName(env: Environment, group: DeployPolicyGroup): string {
  return schemeName("iamPolicy", `helium-deploy-${env}-${group}`, [env], [group]);
}

/** Role that CI's pull-request previews assume; one per account, in the shared stack. */
export const PREVIEW_ROLE_NAME = "helium-preview";

/** Names of one environment's foundation in one region (HeliumRegion and its alarms). */
export interface RegionNames {
  readonly kmsAlias: string;
  readonly albSecurityGroup: string;
  readonly ecsSecurityGroup: string;
  readonly redisSecurityGroup: string;
  readonly endpointsSecurityGroup: string;
  readonly flowLogsRole: string;
  readonly flowLogGroup: string;
  readonly loadBalancer: string;
  readonly cluster: string;
  readonly workQueue: string;
  readonly deadLetterQueue: string;
  readonly redisSubnetGroup: string;
  readonly redisReplicationGroup: string;
  readonly albLogsBucket: string;
  readonly filesBucket: string;
  readonly alertsTopic: string;
  readonly albErrorRateAlarm: string;
  readonly deadLetterAlarm: string;
  readonly queueAgeAlarm: string;
  readonly redisCpuAlarm: string;
  readonly redisMemoryAlarm: string;
  readonly redisEvictionsAlarm: string;
  /** ECS Exec session logs of the region's cluster (KMS-encrypted), when a service opts in to ECS Exec. */
  readonly execSessionLogGroup: string;
  /** The internal ALB of the API Gateway entry: another name than `loadBalancer`, so a switch creates it first. */
  readonly internalLoadBalancer: string;
  /** The API Gateway entry's VPC link to the internal ALB. */
  readonly vpcLink: string;
  /** Its security group's readable prefix (the physical name is generated). */
  readonly vpcLinkSecurityGroup: string;
  /** Access logs of the region's HTTP API stage. */
  readonly apiAccessLogGroup: string;
  readonly apiErrorRateAlarm: string;
  readonly apiLatencyAlarm: string;
  readonly apiThrottledAlarm: string;
  /** Planned: the RDS PostgreSQL instance. */
  readonly database: string;
  /** Planned. */
  readonly databaseParameterGroup: string;
  /** Planned. */
  readonly databaseSubnetGroup: string;
  /** Role RDS Enhanced Monitoring assumes (only when monitoring is on). */
  readonly databaseMonitoringRole: string;
  /** Database alarms (Observability builds the same names from the same words). */
  readonly databaseCpuAlarm: string;
  readonly databaseFreeStorageAlarm: string;
  readonly databaseConnectionsAlarm: string;
}

/** {@link RegionNames} fields spelled otherwise than `helium-<thing>[-<env>]-<short>`. */
type SpecialRegionField =
  | "kmsAlias"
  | "albSecurityGroup"
  | "ecsSecurityGroup"
  | "redisSecurityGroup"
  | "endpointsSecurityGroup"
  | "flowLogGroup"
  | "execSessionLogGroup"
  | "cluster"
  | "vpcLinkSecurityGroup"
  | "apiAccessLogGroup";

/** `[kind, thing]` of each {@link RegionNames} field spelled `helium-<thing>[-<env>]-<short>`. */
const REGIONAL: Readonly<Record<Exclude<keyof RegionNames, SpecialRegionField>, readonly [AwsNameKind, string]>> = {
  flowLogsRole: ["iamRole", "flow-logs"],
  loadBalancer: ["loadBalancer", "alb"],
  workQueue: ["sqsQueue", "work"],
  deadLetterQueue: ["sqsQueue", "work-dlq"],
  redisSubnetGroup: ["elasticacheSubnetGroup", "redis-subnets"],
  redisReplicationGroup: ["elasticacheReplicationGroup", "redis"],
  albLogsBucket: ["s3Bucket", "alb-logs"],
  filesBucket: ["s3Bucket", "files"],
  alertsTopic: ["snsTopic", "alerts"],
  albErrorRateAlarm: ["cloudWatchAlarm", "alb-5xx-rate"],
  deadLetterAlarm: ["cloudWatchAlarm", "dlq-not-empty"],
  queueAgeAlarm: ["cloudWatchAlarm", "queue-age"],
  redisCpuAlarm: ["cloudWatchAlarm", "redis-cpu"],
  redisMemoryAlarm: ["cloudWatchAlarm", "redis-memory"],
  redisEvictionsAlarm: ["cloudWatchAlarm", "redis-evictions"],
  internalLoadBalancer: ["loadBalancer", "alb-int"],
  vpcLink: ["apiGatewayName", "vpc-link"],
  apiErrorRateAlarm: ["cloudWatchAlarm", "api-5xx-rate"],
  apiLatencyAlarm: ["cloudWatchAlarm", "api-latency-p95"],
  apiThrottledAlarm: ["cloudWatchAlarm", "api-throttled"],
  database: ["rdsInstanceIdentifier", "db"],
  databaseParameterGroup: ["dbParameterGroup", "db-params"],
  databaseSubnetGroup: ["dbSubnetGroup", "db-subnets"],
  databaseMonitoringRole: ["iamRole", "db-monitoring"],
  databaseCpuAlarm: ["cloudWatchAlarm", "db-cpu"],
  databaseFreeStorageAlarm: ["cloudWatchAlarm", "db-free-storage"],
  databaseConnectionsAlarm: ["cloudWatchAlarm", "db-connections"],
};
const REGIONAL_FIELDS = Object.keys(REGIONAL) as Exclude<keyof RegionNames, SpecialRegionField>[];

/** The AWS kind of every {@link RegionNames} field. */
export const REGION_NAME_KINDS: Readonly<Record<keyof RegionNames, AwsNameKind>> = {
  kmsAlias: "kmsAlias",
  albSecurityGroup: "securityGroupName",
  ecsSecurityGroup: "securityGroupName",
  redisSecurityGroup: "securityGroupName",
  endpointsSecurityGroup: "securityGroupName",
  flowLogGroup: "logGroup",
  execSessionLogGroup: "logGroup",
  cluster: "ecsCluster",
  vpcLinkSecurityGroup: "securityGroupName",
  apiAccessLogGroup: "logGroup",
  ...Object.fromEntries(REGIONAL_FIELDS.map((field) => [field, REGIONAL[field][0]])),
} as Record<keyof RegionNames, AwsNameKind>;

/** Names of environment `env`'s foundation in `region` (a code from lib/regions.ts; throws for an unknown one). */
export function regionNames(env: Environment, region: string): RegionNames {
  const regional = Object.fromEntries(
    REGIONAL_FIELDS.map((field) => [field, regionalName(env, region, REGIONAL[field][1], REGIONAL[field][0])]),
  ) as Record<Exclude<keyof RegionNames, SpecialRegionField>, string>;
  return {
    ...regional,
    kmsAlias: schemeName("kmsAlias", `alias/${regionalName(env, region, "key")}`, [env], [region]),
    albSecurityGroup: regionScopedName(env, region, "alb-sg", "securityGroupName"),
    ecsSecurityGroup: regionScopedName(env, region, "ecs-sg", "securityGroupName"),
    redisSecurityGroup: regionScopedName(env, region, "redis-sg", "securityGroupName"),
    endpointsSecurityGroup: regionScopedName(env, region, "endpoints-sg", "securityGroupName"),
    // '/'-delimited: the environment reads one way only.
    flowLogGroup: schemeName("logGroup", `/helium/${env}/vpc-flow-logs/${region}`, [], [env, region]),
    execSessionLogGroup: schemeName("logGroup", `/helium/${env}/ecs-exec/${region}`, [], [env, region]),
    cluster: clusterName(env, region),
    vpcLinkSecurityGroup: regionScopedName(env, region, "vpc-link-sg", "securityGroupName"),
    apiAccessLogGroup: schemeName("logGroup", `/helium/${env}/api-gateway/${region}`, [], [env, region]),
  };
}

/** Region-independent names of one service of an environment (the same in every region). */
export interface ServiceNames {
  /** Unique per cluster; clusters are per environment and region. */
  readonly ecsService: string;
  readonly logGroup: string;
  readonly cpuScalingPolicy: string;
  readonly memoryScalingPolicy: string;
  readonly backlogScalingPolicy: string;
  /** Unique within the task definition only. */
  readonly appContainer: string;
  readonly xrayContainer: string;
  /** Planned: the Service Connect discovery name (unique in the environment's namespace). */
  readonly discoveryName: string;
}

/** The AWS kind of every {@link ServiceNames} field. */
export const SERVICE_NAME_KINDS: Readonly<Record<keyof ServiceNames, AwsNameKind>> = {
  ecsService: "ecsService",
  logGroup: "logGroup",
  cpuScalingPolicy: "appAutoscalingPolicy",
  memoryScalingPolicy: "appAutoscalingPolicy",
  backlogScalingPolicy: "appAutoscalingPolicy",
  appContainer: "ecsContainer",
  xrayContainer: "ecsContainer",
  discoveryName: "serviceConnectDiscoveryName",
};

/** Region-independent names of service `service` (a `helium:services` key) in environment `env`. */
export function serviceNames(env: Environment, service: string): ServiceNames {
  const infix = environmentInfix(env);
  const policy = (metric: string) =>
    schemeName("appAutoscalingPolicy", `helium-${service}${infix}-service-${metric}`, [env, service], [metric]);
  return {
    ecsService: ecsServiceName(env, service),
    logGroup: schemeName("logGroup", `/helium/${env}/${service}`, [], [env, service]),
    cpuScalingPolicy: policy("cpu"),
    memoryScalingPolicy: policy("memory"),
    backlogScalingPolicy: policy("backlog"),
    // Containers are named within one task definition: the service name alone identifies them.
    appContainer: schemeName("ecsContainer", `helium-${service}`, [], [service]),
    xrayContainer: schemeName("ecsContainer", `helium-${service}-xray`, [], [service]),
    // The service name itself: unique among the environment's services by construction.
    discoveryName: schemeName("serviceConnectDiscoveryName", service, [], [service]),
  };
}

/** Names of one service in one region. */
export interface ServiceRegionNames {
  readonly executionRole: string;
  readonly taskRole: string;
  readonly taskFamily: string;
  /** Only for services with a port; the port is in the name so a port change can create before it deletes. */
  readonly targetGroup: string | undefined;
  readonly cpuHighAlarm: string;
  readonly cpuRecoveredAlarm: string;
  readonly memoryHighAlarm: string;
  readonly memoryRecoveredAlarm: string;
  readonly unhealthyTargetsAlarm: string;
}

/** The AWS kind of every {@link ServiceRegionNames} field. */
export const SERVICE_REGION_NAME_KINDS: Readonly<Record<keyof ServiceRegionNames, AwsNameKind>> = {
  executionRole: "iamRole",
  taskRole: "iamRole",
  taskFamily: "ecsTaskFamily",
  targetGroup: "targetGroup",
  cpuHighAlarm: "cloudWatchAlarm",
  cpuRecoveredAlarm: "cloudWatchAlarm",
  memoryHighAlarm: "cloudWatchAlarm",
  memoryRecoveredAlarm: "cloudWatchAlarm",
  unhealthyTargetsAlarm: "cloudWatchAlarm",
};

/**
 * Names of service `service` of environment `env` in `region`.
 * @param port the service's container port (1-65535), or undefined for a service without one (no target group).
 */
export function serviceRegionNames(
  env: Environment,
  region: string,
  service: string,
  port: number | undefined,
): ServiceRegionNames {
  const name = (suffix: string, kind: AwsNameKind) => serviceRegionalName(env, region, service, suffix, kind);
  return {
    executionRole: name("exec", "iamRole"),
    taskRole: name("task", "iamRole"),
    taskFamily: name("", "ecsTaskFamily"),
    targetGroup: port === undefined ? undefined : name(String(port), "targetGroup"),
    cpuHighAlarm: name("cpu-high", "cloudWatchAlarm"),
    cpuRecoveredAlarm: name("cpu-recovered", "cloudWatchAlarm"),
    memoryHighAlarm: name("memory-high", "cloudWatchAlarm"),
    memoryRecoveredAlarm: name("memory-recovered", "cloudWatchAlarm"),
    unhealthyTargetsAlarm: name("unhealthy-targets", "cloudWatchAlarm"),
  };
}

/**
 * Task definition family of one-off task `task` (a key of `services.<service>.tasks`, e.g. `migrate`) of
 * service `service` in `region`: `helium-<service>-<task>-task[-<env>]-<region short>`, e.g.
 * `helium-backend-migrate-task-staging-mum`. The task name is a variable part, so a name that could be read
 * two ways (a hyphen in it, a scheme word) is hash-suffixed like every other ambiguous name.
 */
export function oneOffTaskFamily(env: Environment, region: string, service: string, task: string): string {
  const readable = `helium-${service}-${task}-task${environmentInfix(env)}-${regionInfo(region).short}`;
  return schemeName("ecsTaskFamily", readable, [env, service, task], [region]);
}
