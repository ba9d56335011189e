/**
 * The resolved model: plain data that describes everything a stack creates, produced by the pure resolve
 * step (model/*.ts) from validated config and the referenced stacks' outputs, and consumed by components.
 * Every physical name, CIDR, priority, port, key and threshold is decided here; components derive nothing
 * that can fail. Nothing in this file is a Pulumi Output.
 */
import type { EntryMode } from "../config/api-gateway";
import type { AlertsConfig, GrafanaConfig, TracingConfig } from "../config/observability";
import type { FargateCapacityProvider } from "../lib/aws-constraints/ecs";
import type { HttpApiRoute } from "../lib/http-api-routes";
import type { CacheEngine, InterfaceEndpoint } from "../lib/platform";
import type { ImageSelection } from "./image";

/** A listener rule of a service: conditions and the priority it keeps for life (lib/routing.ts). */
export interface RouteModel {
  /** 1-50000, lower is evaluated first. */
  readonly priority: number;
  /** Host header patterns; absent when the rule matches any host. */
  readonly hostHeaders?: readonly string[];
  /** Path patterns; absent when the rule matches any path. */
  readonly pathPatterns?: readonly string[];
}

/** ALB target-group health check of a load-balanced service. */
export interface HealthCheckModel {
  readonly path: string;
  /** HTTP codes, e.g. `200-399`. */
  readonly matcher: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  /** Seconds ECS ignores failing ALB checks after a task starts. */
  readonly gracePeriodSeconds: number;
}

/** Autoscaling of one service. */
export interface ScalingModel {
  readonly min: number;
  readonly max: number;
  readonly cpuTargetPercent: number;
  readonly memoryTargetPercent: number;
  readonly scaleOutCooldownSeconds: number;
  readonly scaleInCooldownSeconds: number;
  /** Target of the SQS backlog-per-task policy (messages per task); present for queue consumers only. */
  readonly backlogPerTaskTarget?: number;
}

/** One item of a service's capacity provider strategy (ECS CapacityProviderStrategyItem). */
export interface CapacityProviderStrategyModel {
  readonly capacityProvider: FargateCapacityProvider;
  /** Tasks, at a minimum, on this provider. */
  readonly base: number;
  /** Share of the tasks beyond the base. */
  readonly weight: number;
}

/** The port a service publishes in its environment's Service Connect namespace. */
export interface ServiceConnectPublishModel {
  /** Name of the app container's port mapping (`http`). */
  readonly portName: string;
  /** Cloud Map service name, unique in the namespace: the service's name. */
  readonly discoveryName: string;
  /** Name consumers call, e.g. `backend` in `http://backend:8000`. */
  readonly dnsName: string;
  /** Port consumers call: the service's container port. */
  readonly port: number;
}

/** Service Connect of one service: a client of the namespace, and a server when it has a port. */
export interface ServiceConnectModel {
  /** Cloud Map namespace name (lib/physical-names.ts `serviceNamespace`). */
  readonly namespace: string;
  /** Present for services with a port. */
  readonly publish?: ServiceConnectPublishModel;
  /** awslogs stream prefix of the Service Connect agent in the service's log group. */
  readonly logStreamPrefix: string;
}

/** A named one-off command on a service's image, roles and network (e.g. a migration). */
export interface OneOffTaskModel {
  /** Key of `services.<name>.tasks`, e.g. `migrate`. */
  readonly name: string;
  readonly command: readonly string[];
  /** Task definition family (lib/physical-names.ts `oneOffTaskFamily`). */
  readonly family: string;
}

/** Physical names of one service's resources in one region. */
export interface ServiceNames {
  /** ECS service name, e.g. `helium-backend-service`. */
  readonly ecsService: string;
  /** Task definition family. */
  readonly family: string;
  readonly executionRole: string;
  readonly taskRole: string;
  /** CloudWatch log group of the service's containers. */
  readonly logGroup: string;
  /** `Name` tag of the target group; the group's physical name is generated (create-before-delete). */
  readonly targetGroupTag: string;
  readonly cpuScalingPolicy: string;
  readonly memoryScalingPolicy: string;
  readonly backlogScalingPolicy: string;
  readonly appContainer: string;
  readonly xrayContainer: string;
}

/** One ECS Fargate service in one region, fully resolved. */
export interface ServiceModel {
  /** Config name, e.g. `backend`. */
  readonly name: string;
  readonly environment: string;
  readonly region: string;
  /** Image reference with registry and tag or digest. */
  readonly image: string;
  /** ECR repository ARN in this region; the execution role may pull from it only. */
  readonly repositoryArn: string;
  readonly command?: readonly string[];
  /** Container port; absent for services without inbound traffic (the worker). */
  readonly port?: number;
  /** Fargate CPU units (1024 = 1 vCPU) and memory (MiB), a valid Fargate pair. */
  readonly cpu: number;
  readonly memory: number;
  /** Initial task count; autoscaling owns it afterwards. */
  readonly desiredCount: number;
  readonly scaling: ScalingModel;
  readonly queue: "none" | "producer" | "consumer";
  /** What the service connects to: `cache`, `database` or another service's name; nothing else is reachable. */
  readonly consumes: readonly string[];
  /** Keys of the region's secret injected with `valueFrom`. */
  readonly secretKeys: readonly string[];
  /** Plain, non-secret environment variables. */
  readonly environmentVariables: Readonly<Record<string, string>>;
  readonly readonlyRootFilesystem: boolean;
  readonly xray: boolean;
  readonly xrayImage: string;
  /** Object access to the region's files bucket (and its key). */
  readonly filesBucketAccess: boolean;
  /** Present when the service has routes. */
  readonly healthCheck?: HealthCheckModel;
  readonly deregistrationDelaySeconds: number;
  readonly routes: readonly RouteModel[];
  readonly names: ServiceNames;
  /** IAM path of the service's roles, `/helium/<env>/`. */
  readonly iamPath: string;
  /** Tags on every taggable child. */
  readonly tags: Readonly<Record<string, string>>;
  /** Where ECS places the tasks: Fargate on-demand and/or Spot, with base and weights. */
  readonly capacityProviderStrategy: readonly CapacityProviderStrategyModel[];
  /** Seconds ECS waits after SIGTERM before SIGKILL (app container); present for queue consumers. */
  readonly stopTimeoutSeconds?: number;
  /** Present when the service publishes or consumes another service through Service Connect. */
  readonly serviceConnect?: ServiceConnectModel;
  /** One-off commands, each with its own task definition. */
  readonly tasks: readonly OneOffTaskModel[];
  /** ECS Exec into the service's tasks, with session logging on the region's cluster. */
  readonly exec: boolean;
}

export type SubnetTier = "public" | "private" | "data";

export interface SubnetModel {
  readonly cidr: string;
  readonly availabilityZone: string;
}

export interface NetworkModel {
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  readonly subnets: Readonly<Record<SubnetTier, readonly SubnetModel[]>>;
  /** One NAT gateway per AZ, or one for the whole VPC. */
  readonly natGateways: "perAz" | "single";
  readonly interfaceEndpoints: readonly InterfaceEndpoint[];
  readonly flowLogGroup: string;
  readonly flowLogRole: string;
}

export interface CertificateModel {
  /** The certificate's primary name (≤ 64 characters: ACM's common name). */
  readonly domainName: string;
  readonly alternativeNames: readonly string[];
  /** Whether this region writes the DNS validation record (ACM shares it across regions). */
  readonly createValidationRecords: boolean;
  /**
   * Names only this region's certificate holds (the region's own API name in the API Gateway entry): this
   * region writes their validation records even when `createValidationRecords` is false. Defaults to none.
   */
  readonly regionalNames?: readonly string[];
}

export interface LoadBalancerModel {
  /** `helium-alb[-<env>]-<short>`, or `helium-alb-int[-<env>]-<short>` when internal (another resource, see `internal`). */
  readonly name: string;
  /**
   * Internal, in the private subnets, reachable only from the API Gateway VPC link (entry apiGateway); else
   * internet-facing behind Global Accelerator. `internal` forces replacement and the name is fixed, so the
   * internal ALB is another logical resource with another name: a switch creates it before deleting the old.
   */
  readonly internal: boolean;
  readonly idleTimeoutSeconds: number;
  readonly sslPolicy: string;
  readonly deletionProtection: boolean;
  readonly accessLogBucket: string;
  /** The access-log bucket's name is generated from `accessLogBucket` (outside production: no name held after a destroy). */
  readonly generatedBucketName: boolean;
  readonly certificate: CertificateModel;
  /** Container ports the load balancer forwards to, ascending. */
  readonly targetPorts: readonly number[];
  /**
   * The ALB's group gets no 0.0.0.0/0 ingress: the GlobalEdge opens it to Global Accelerator's own group
   * instead (EdgeModel `albIngressOnlyFromAccelerator`, docs/security.md).
   */
  readonly acceptOnlyFromAccelerator: boolean;
}

export interface QueueModel {
  readonly name: string;
  readonly dlqName: string;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly dlqRetentionSeconds: number;
  readonly maxReceiveCount: number;
}

export interface CacheModel {
  readonly replicationGroupId: string;
  readonly subnetGroupName: string;
  readonly engine: CacheEngine;
  readonly engineVersion: string;
  readonly nodeType: string;
  /** Primary plus replicas (1-6). */
  readonly numCacheClusters: number;
  readonly snapshotRetentionDays: number;
  /** Set when snapshots are kept: the snapshot taken when the group is deleted. */
  readonly finalSnapshotIdentifier?: string;
  readonly port: number;
}

/** Alarm thresholds of a region's database (config `helium:database.alarms`, defaults resolved). */
export interface DatabaseAlarmsModel {
  /** Average CPUUtilization, percent. */
  readonly cpuPercent: number;
  /** FreeStorageSpace below which the alarm fires, in bytes (the metric's unit). */
  readonly freeStorageBytes: number;
  /** DatabaseConnections above which the alarm fires. */
  readonly connections: number;
}

/** A region's RDS for PostgreSQL instance (config `helium:database`), fully resolved. */
export interface DatabaseModel {
  /**
   * Readable identifier from the name catalog, e.g. `helium-db-staging-mum`: the `Name` tag, and the prefix of the
   * generated DB instance identifier (`<this>-<suffix>`), so a replacement is created before the old instance is
   * deleted. At most 37 characters (63 minus the 26-character suffix).
   */
  readonly identifier: string;
  /** Readable parameter group name; the group's physical name is generated from it (create-before-delete). */
  readonly parameterGroupName: string;
  /** Readable DB subnet group name; the group's physical name is generated from it. */
  readonly subnetGroupName: string;
  readonly engine: "postgres";
  /** A major (`17`) or major.minor (`17.6`). */
  readonly engineVersion: string;
  /** DB parameter group family of the major, e.g. `postgres17`. */
  readonly parameterGroupFamily: string;
  readonly instanceClass: string;
  /** Initial gp3 storage, GiB. */
  readonly allocatedStorageGb: number;
  /** Storage autoscaling ceiling, GiB; absent: autoscaling off. */
  readonly maxAllocatedStorageGb?: number;
  readonly multiAz: boolean;
  /** 0-35 days. */
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  /**
   * Set when a final snapshot is taken on deletion (production). A snapshot identifier is held for as long as the
   * snapshot exists, so each instance's final snapshot is named `<this>-<random suffix>`: a later instance never
   * collides with an earlier one's snapshot. Absent: no final snapshot, nothing holds a name after a destroy.
   */
  readonly finalSnapshotPrefix?: string;
  /** Delete automated backups with the instance (outside production). */
  readonly deleteAutomatedBackups: boolean;
  /** DBName, the database consumers get as DB_NAME. */
  readonly dbName: string;
  /** Master user name; RDS generates the password and keeps it in Secrets Manager. */
  readonly username: string;
  readonly port: number;
  /** Rotation period of the RDS-managed master password; absent: rotation off. */
  readonly masterPasswordRotationDays?: number;
  readonly performanceInsights: boolean;
  /** Enhanced Monitoring interval, seconds; 0 is off. */
  readonly monitoringIntervalSeconds: number;
  /** Role RDS assumes to publish Enhanced Monitoring metrics (present when the interval is not 0). */
  readonly monitoringRoleName?: string;
  readonly alarms: DatabaseAlarmsModel;
}

export interface SecretModel {
  readonly name: string;
  /** 0 (deleted at once, so the name is free again) or 7-30 days. */
  readonly recoveryWindowInDays: number;
  /** Keys the secret holds: the platform's plus the configured app secrets. */
  readonly keys: readonly string[];
}

/** One region of an environment: its foundation and the services on it. */
export interface RegionModel {
  readonly environment: string;
  readonly production: boolean;
  /** AWS region code, e.g. `ap-south-1`. */
  readonly region: string;
  /** Lower-case city name, e.g. `mumbai`. */
  readonly regionName: string;
  /** Protect stateful resources from deletion. */
  readonly protect: boolean;
  readonly kmsAlias: string;
  readonly network: NetworkModel;
  readonly loadBalancer: LoadBalancerModel;
  readonly clusterName: string;
  readonly queue: QueueModel;
  readonly cache: CacheModel;
  /** The region's PostgreSQL; absent when the environment has no database (`helium:database` unset). */
  readonly database?: DatabaseModel;
  readonly filesBucket: {
    readonly name: string;
    /** The physical name is generated from `name` (outside production: no name held after a destroy). */
    readonly generatedName: boolean;
    readonly corsOrigins: readonly string[];
  };
  readonly secret: SecretModel;
  readonly logRetentionDays: number;
  readonly iamPath: string;
  readonly services: readonly ServiceModel[];
  /** Present when a service consumes another: the region's Cloud Map namespace for Service Connect. */
  readonly serviceConnect?: { readonly namespace: string };
  /** Present when a service opts in to ECS Exec: the cluster logs sessions, encrypted, to this log group. */
  readonly ecsExec?: { readonly sessionLogGroup: string };
}

/** The accelerator, its DNS name and the endpoint groups. */
export interface EdgeModel {
  readonly acceleratorName: string;
  /** Fully qualified API name, e.g. `api.he2.site`. */
  readonly apiFqdn: string;
  readonly hostedZoneId: string;
  /** Host names that services route on (other than the API name): each gets an alias record to the accelerator. */
  readonly hostRecords: readonly string[];
  /** The flow-log bucket in the home region; absent when flow logs are off. */
  readonly flowLogBucket?: string;
  /** The flow-log bucket's name is generated from `flowLogBucket` (outside production). */
  readonly generatedBucketName: boolean;
  readonly endpointGroups: readonly { readonly region: string; readonly trafficDialPercent: number }[];
  /**
   * Open each region's ALB group to the `GlobalAccelerator` security group GA creates in that VPC (ports 80
   * and 443), looked up once the endpoint group exists; the region then has no 0.0.0.0/0 ingress (RegionModel
   * `loadBalancer.acceptOnlyFromAccelerator`). Defaults to false.
   */
  readonly albIngressOnlyFromAccelerator?: boolean;
}

export interface ObservabilityModel {
  readonly alerts: AlertsConfig;
  readonly grafana: GrafanaConfig & { readonly workspaceRegion?: string };
  readonly tracing: TracingConfig;
}

/** One region's HTTP API, VPC link and DNS names (entry apiGateway). */
export interface ApiGatewayRegionModel {
  readonly region: string;
  /** This region's own API name, e.g. `api-dev-mum.he2.site`: its health check probes it, nothing else routes to it. */
  readonly regionalFqdn: string;
  readonly apiName: string;
  readonly vpcLinkName: string;
  /** Readable prefix of the VPC link's security group (its physical name is generated). */
  readonly vpcLinkSecurityGroup: string;
  /** Access-log group of the stage, encrypted with the region's key. */
  readonly accessLogGroup: string;
}

/** The API Gateway entry: an HTTP API per region behind latency-routed, health-checked DNS (docs/entry.md). */
export interface ApiGatewayModel {
  /** The environment's API name, served by every region, e.g. `api-dev.he2.site`. */
  readonly apiFqdn: string;
  readonly hostedZoneId: string;
  /** Host names services route on (other than the API name): each gets a custom domain and latency records per region. */
  readonly hostNames: readonly string[];
  /** Health route first, `$default` last (lib/http-api-routes.ts). */
  readonly routes: readonly HttpApiRoute[];
  /** Stage throttling per region: steady requests per second and burst. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly healthCheck: {
    readonly path: string;
    readonly intervalSeconds: 10 | 30;
    readonly failureThreshold: number;
  };
  /** Present when routes require a JWT. */
  readonly jwtAuthorizer?: { readonly issuer: string; readonly audience: readonly string[] };
  /** Throttled requests per alarm period above which the region's alarm fires. */
  readonly throttledRequestsAlarmThreshold: number;
  readonly logRetentionDays: number;
  /** One per environment region, in order. */
  readonly regions: readonly ApiGatewayRegionModel[];
}

/** One application environment, resolved. */
export interface EnvironmentModel {
  readonly stack: string;
  readonly environment: string;
  readonly production: boolean;
  /** `aws:region`: providers default to it; every regional resource names its own region. */
  readonly homeRegion: string;
  readonly account: string;
  readonly domain: string;
  readonly hostedZoneId: string;
  /** The image tag or digest every service runs. */
  readonly imageTag: string;
  /** Where `imageTag` came from: promotion, config or the rollback override (model/image.ts). */
  readonly imageSelection: ImageSelection;
  readonly protect: boolean;
  /** Provider default tags. */
  readonly tags: Readonly<Record<string, string>>;
  readonly regions: readonly RegionModel[];
  /** How traffic enters: Global Accelerator (`edge`) or API Gateway (`apiGateway`). */
  readonly entry: EntryMode;
  /** The accelerator; built only with entry `accelerator`. */
  readonly edge: EdgeModel;
  /** Present exactly when entry is `apiGateway`. */
  readonly apiGateway?: ApiGatewayModel;
  readonly observability: ObservabilityModel;
}
