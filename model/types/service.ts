/**
 * The resolved model (one ECS service): plain data produced by the pure resolve step (model/*.ts) from validated
 * config and the referenced stacks' outputs, and consumed by components. Every physical name, CIDR,
 * priority, port, key and threshold is decided in the resolve step; components derive nothing that can fail.
 * Nothing here is a Pulumi Output.
 */
import type { FargateCapacityProvider } from "../../lib/aws-constraints/ecs";

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
