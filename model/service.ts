/**
 * Resolve step for services: a validated service declaration (config/services.ts) in one region becomes a
 * {@link ServiceModel}, and {@link serviceProblems} states every rule a ServiceModel must meet. The same
 * function runs at the end of the resolve step and in the HeliumService constructor, so a component built
 * directly (as a library user would) is held to the rules config is.
 */
import { ONE_OFF_TASK_NAME_PATTERN } from "../config/service-capabilities";
import type { ServiceSpec } from "../config/services";
import { fargateSizeError } from "../lib/fargate";
import { ecrImageUri } from "../lib/images";
import type { Problem } from "../lib/input-error";
import { type AwsNameKind, SERVICE_NAME_PATTERN, awsNameError, iamRolePath } from "../lib/naming";
import {
  capacityProviderStrategyProblems,
  fargateStopTimeoutProblem,
  serviceConnectDiscoveryNameProblem,
  serviceConnectDnsNameProblem,
} from "../lib/aws-constraints/ecs";
import { oneOffTaskFamily, serviceNames, serviceRegionNames } from "../lib/physical-names";
import {
  APP_PORT_NAME,
  DATABASE_CREDENTIAL_KEYS,
  DATABASE_SECRET_KEYS,
  DEFAULT_MAX_PROCESSING_SECONDS,
  XRAY_DAEMON_IMAGE,
  XRAY_DAEMON_PORT,
  consumerStopTimeoutSeconds,
} from "../lib/platform";
import { MAX_LISTENER_PRIORITY } from "../lib/routing";
import type { RouteModel, ServiceConnectModel, ServiceModel } from "./types/service";

/** Backlog target defaults when a consumer has no `queueScaling` (the schema's defaults). */
const DEFAULT_QUEUE_SCALING = { acceptableLatencySeconds: 300, secondsPerMessage: 2 } as const;

/** `<registry>/<repository>:<tag>` or `<registry>/<repository>@sha256:<64 hex>`. */
export const ECR_IMAGE_PATTERN =
  /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[a-f0-9]{64})$/;
const PINNED_IMAGE_PATTERN = /:[A-Za-z0-9_][A-Za-z0-9._-]*$|@sha256:[a-f0-9]{64}$/;

/** Target backlog per task for SQS scaling: how many messages one task clears within the acceptable latency. */
export function backlogPerTaskTarget(queueScaling: ServiceSpec["queueScaling"]): number {
  const { acceptableLatencySeconds, secondsPerMessage } = queueScaling ?? DEFAULT_QUEUE_SCALING;
  return acceptableLatencySeconds / secondsPerMessage;
}

/** What resolving a service needs besides its declaration. */
export interface ServiceContext {
  readonly environment: string;
  readonly region: string;
  readonly registryId: string;
  readonly imageTag: string;
  readonly repositoryArn: string;
  /** Listener-rule priorities of the service's routes, one per route (lib/routing.ts). */
  readonly priorities: readonly number[];
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The environment's Cloud Map namespace when Service Connect is on (a service consumes another); the
   * service joins it when it has a port (and publishes it) or consumes a service. Defaults to none.
   */
  readonly serviceConnectNamespace?: string;
  /** `queue.maxProcessingSeconds`: a queue consumer's stop timeout follows it. Defaults to 60. */
  readonly maxProcessingSeconds?: number;
  /** Names of the environment's enabled services: a `consumes` entry naming one is a service. Defaults to none. */
  readonly serviceNames?: readonly string[];
}

/** A service-to-service path: `consumer` calls `provider` on `port`. Security groups open exactly these. */
export interface ServicePath {
  readonly consumer: string;
  readonly provider: string;
  readonly port: number;
}

/** The paths among `services`: each `consumes` entry naming another of them that has a port, in declaration order. */
export function servicePaths(services: readonly ServiceModel[]): ServicePath[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  return services.flatMap((consumer) =>
    consumer.consumes.flatMap((target) => {
      const provider = byName.get(target);
      return provider !== undefined && provider !== consumer && provider.port !== undefined
        ? [{ consumer: consumer.name, provider: provider.name, port: provider.port }]
        : [];
    }),
  );
}

/** Service Connect of a service, or undefined when it neither publishes a port nor consumes a service. */
function serviceConnectOf(
  name: string,
  spec: ServiceSpec,
  discoveryName: string,
  context: ServiceContext,
): ServiceConnectModel | undefined {
  const namespace = context.serviceConnectNamespace;
  if (namespace === undefined) return undefined;
  const consumesService = spec.consumes.some((c) => c !== name && (context.serviceNames ?? []).includes(c));
  if (spec.port === undefined && !consumesService) return undefined;
  return {
    namespace,
    ...(spec.port !== undefined
      ? { publish: { portName: APP_PORT_NAME, discoveryName, dnsName: discoveryName, port: spec.port } }
      : {}),
    logStreamPrefix: "service-connect",
  };
}

/** A service declaration in one region, resolved. Derives names; validation is {@link serviceProblems}. */
export function resolveService(name: string, spec: ServiceSpec, context: ServiceContext): ServiceModel {
  const { environment: env, region } = context;
  const names = serviceNames(env, name);
  const regional = serviceRegionNames(env, region, name, spec.port);
  const serviceConnect = serviceConnectOf(name, spec, names.discoveryName, context);
  const routes: RouteModel[] = spec.routes.map((route, i) => ({
    priority: context.priorities[i] ?? 0,
    ...(route.hostHeaders !== undefined ? { hostHeaders: route.hostHeaders } : {}),
    ...(route.pathPatterns !== undefined ? { pathPatterns: route.pathPatterns } : {}),
  }));
  return {
    name,
    environment: env,
    region,
    image: ecrImageUri(context.registryId, region, spec.repository, context.imageTag),
    repositoryArn: context.repositoryArn,
    ...(spec.command !== undefined ? { command: spec.command } : {}),
    ...(spec.port !== undefined ? { port: spec.port } : {}),
    cpu: spec.cpu,
    memory: spec.memory,
    desiredCount: spec.desiredCount ?? spec.scaling.min,
    scaling: {
      min: spec.scaling.min,
      max: spec.scaling.max,
      cpuTargetPercent: spec.scaling.cpuTargetPercent,
      memoryTargetPercent: spec.scaling.memoryTargetPercent,
      scaleOutCooldownSeconds: spec.scaling.scaleOutCooldownSeconds,
      scaleInCooldownSeconds: spec.scaling.scaleInCooldownSeconds,
      ...(spec.queue === "consumer" ? { backlogPerTaskTarget: backlogPerTaskTarget(spec.queueScaling) } : {}),
    },
    queue: spec.queue,
    consumes: spec.consumes,
    // A database consumer gets where the database is from the backend secret (DB_HOST, DB_PORT, DB_NAME).
    secretKeys: spec.consumes.includes("database")
      ? [...spec.secrets, ...DATABASE_SECRET_KEYS.filter((k) => !spec.secrets.includes(k))]
      : spec.secrets,
    environmentVariables: spec.environment,
    readonlyRootFilesystem: spec.readonlyRootFilesystem,
    xray: spec.xray,
    xrayImage: XRAY_DAEMON_IMAGE,
    // Backend and worker handle uploads and jobs; a service that touches no queue needs no bucket.
    filesBucketAccess: spec.queue !== "none",
    ...(spec.routes.length > 0 && spec.healthCheck !== undefined ? { healthCheck: spec.healthCheck } : {}),
    deregistrationDelaySeconds: spec.deregistrationDelaySeconds,
    routes,
    names: {
      ecsService: names.ecsService,
      family: regional.taskFamily,
      executionRole: regional.executionRole,
      taskRole: regional.taskRole,
      logGroup: names.logGroup,
      targetGroupTag: regional.targetGroup ?? regional.taskFamily,
      cpuScalingPolicy: names.cpuScalingPolicy,
      memoryScalingPolicy: names.memoryScalingPolicy,
      backlogScalingPolicy: names.backlogScalingPolicy,
      appContainer: names.appContainer,
      xrayContainer: names.xrayContainer,
    },
    iamPath: iamRolePath(env),
    tags: { ...context.tags, "helium:service": name, "helium:environment": env },
    capacityProviderStrategy: spec.capacityProviderStrategy.map((item) => ({ ...item })),
    ...(spec.queue === "consumer"
      ? {
          stopTimeoutSeconds: consumerStopTimeoutSeconds(
            context.maxProcessingSeconds ?? DEFAULT_MAX_PROCESSING_SECONDS,
          ),
        }
      : {}),
    ...(serviceConnect !== undefined ? { serviceConnect } : {}),
    tasks: Object.entries(spec.tasks).map(([task, command]) => ({
      name: task,
      command: [...command],
      family: oneOffTaskFamily(env, region, name, task),
    })),
    exec: spec.exec,
  };
}

const NAME_KINDS: Readonly<Record<keyof ServiceModel["names"], AwsNameKind>> = {
  ecsService: "ecsService",
  family: "ecsTaskFamily",
  executionRole: "iamRole",
  taskRole: "iamRole",
  logGroup: "logGroup",
  targetGroupTag: "tagValue",
  cpuScalingPolicy: "appAutoscalingPolicy",
  memoryScalingPolicy: "appAutoscalingPolicy",
  backlogScalingPolicy: "appAutoscalingPolicy",
  appContainer: "ecsContainer",
  xrayContainer: "ecsContainer",
};

/**
 * Every rule a resolved service must meet, as problems keyed by the model's field names (e.g. `port`,
 * `routes[0].priority`). `declaredSecretKeys` are the keys the region's secret holds.
 */
export function serviceProblems(model: ServiceModel, declaredSecretKeys: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const add = (key: string, value: unknown, allowed: string) => problems.push({ key, value, allowed });
  if (!SERVICE_NAME_PATTERN.test(model.name)) {
    add("name", model.name, "1-20 lower-case letters, digits and hyphens, starting with a letter");
  }
  const sizeError = fargateSizeError(model.cpu, model.memory);
  if (sizeError !== undefined) add("cpu", { cpu: model.cpu, memory: model.memory }, sizeError);
  if (model.port !== undefined && (!Number.isInteger(model.port) || model.port < 1 || model.port > 65535)) {
    add("port", model.port, "an integer port in 1-65535");
  }
  if (model.port === XRAY_DAEMON_PORT && model.xray) {
    add("port", model.port, `a port other than ${XRAY_DAEMON_PORT} (the X-Ray daemon's), or xray: false`);
  }
  const { min, max } = model.scaling;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < 1 || min > max) {
    add("scaling", { min, max }, "integers with 0 ≤ min ≤ max and max ≥ 1");
  }
  if (model.desiredCount < min || model.desiredCount > max) {
    add("desiredCount", model.desiredCount, `a count within scaling ${min}-${max}`);
  }
  if (model.routes.length > 0 && min < 1) {
    // Global Accelerator pulls a region when any of its ALB's target groups has no healthy target (docs/failover.md).
    add(
      "scaling.min",
      min,
      "at least 1 for a load-balanced service: an empty target group takes the whole region out of the accelerator",
    );
  }
  if (model.queue === "consumer" && min < 1) {
    add(
      "scaling.min",
      min,
      "at least 1 for a queue consumer: backlog per task (visible ÷ running) needs a running task",
    );
  }
  const declared = new Set(declaredSecretKeys);
  model.secretKeys.forEach((key, i) => {
    if (!declared.has(key))
      add(`secretKeys[${i}]`, key, `a key the region's secret holds: ${[...declared].join(", ")}`);
  });
  const plain = Object.keys(model.environmentVariables).filter((k) => model.secretKeys.includes(k));
  if (plain.length > 0) {
    add("environmentVariables", plain, "no secret key as a plain variable: secrets are injected with valueFrom only");
  }
  if (model.consumes.includes("database")) {
    // The credentials come from the RDS-managed secret under these names; nothing else may define them.
    const credentials = Object.keys(DATABASE_CREDENTIAL_KEYS);
    const taken = [...model.secretKeys, ...Object.keys(model.environmentVariables)].filter((k) =>
      credentials.includes(k),
    );
    if (taken.length > 0) {
      add(
        "secretKeys",
        taken,
        `no ${credentials.join(" or ")} of its own: a database consumer gets them from the RDS-managed secret`,
      );
    }
  }
  if (model.routes.length > 0) {
    if (model.port === undefined) add("port", undefined, "a port: a service with routes is load-balanced");
    if (model.healthCheck === undefined)
      add("healthCheck", undefined, "a health check: a service with routes is load-balanced");
    const priorities = model.routes.map((r) => r.priority);
    model.routes.forEach((route, i) => {
      if (!Number.isInteger(route.priority) || route.priority < 1 || route.priority > MAX_LISTENER_PRIORITY) {
        add(`routes[${i}].priority`, route.priority, `an integer 1-${MAX_LISTENER_PRIORITY}`);
      } else if (priorities.indexOf(route.priority) !== i) {
        add(
          `routes[${i}].priority`,
          route.priority,
          `a priority not used by routes[${priorities.indexOf(route.priority)}]: one listener holds each priority once`,
        );
      }
    });
  }
  if (!ECR_IMAGE_PATTERN.test(model.image)) {
    add("image", model.image, "<registry>/<repository>:<tag> or <registry>/<repository>@sha256:<64 hex digits>");
  } else if (model.image.endsWith(":latest")) {
    add("image", model.image, "an immutable tag or a digest, not latest: rollbacks must be exact");
  }
  if (model.xray && (!PINNED_IMAGE_PATTERN.test(model.xrayImage) || model.xrayImage.endsWith(":latest"))) {
    add("xrayImage", model.xrayImage, `a version tag (e.g. ${XRAY_DAEMON_IMAGE}) or a digest, never latest`);
  }
  for (const [field, kind] of Object.entries(NAME_KINDS)) {
    const value = model.names[field as keyof ServiceModel["names"]];
    const error = awsNameError(kind, value);
    if (error !== undefined) add(`names.${field}`, value, error);
  }
  problems.push(...capabilityProblems(model));
  return problems;
}

/** The rules of capacity, stop timeout, Service Connect, one-off tasks and ECS Exec. */
function capabilityProblems(model: ServiceModel): Problem[] {
  const problems: Problem[] = [];
  const add = (key: string, value: unknown, allowed: string) => problems.push({ key, value, allowed });
  for (const p of capacityProviderStrategyProblems(model.capacityProviderStrategy)) {
    add(`capacityProviderStrategy${p.key}`, p.value, p.allowed);
  }
  if (model.stopTimeoutSeconds !== undefined) {
    const allowed = fargateStopTimeoutProblem(model.stopTimeoutSeconds);
    if (allowed !== undefined) add("stopTimeoutSeconds", model.stopTimeoutSeconds, allowed);
  }
  const publish = model.serviceConnect?.publish;
  if (publish !== undefined) {
    const discovery = serviceConnectDiscoveryNameProblem(publish.discoveryName);
    if (discovery !== undefined) add("serviceConnect.publish.discoveryName", publish.discoveryName, discovery);
    const dns = serviceConnectDnsNameProblem(publish.dnsName);
    if (dns !== undefined) add("serviceConnect.publish.dnsName", publish.dnsName, dns);
    if (publish.port !== model.port)
      add("serviceConnect.publish.port", publish.port, `the service's port (${model.port})`);
    if (publish.portName !== APP_PORT_NAME)
      add("serviceConnect.publish.portName", publish.portName, `the app container's port mapping, ${APP_PORT_NAME}`);
  } else if (model.serviceConnect !== undefined && model.port !== undefined) {
    add(
      "serviceConnect.publish",
      undefined,
      "the service's port, published: a service with a port in the namespace serves it",
    );
  }
  const families = new Set<string>([model.names.family]);
  model.tasks.forEach((task, i) => {
    if (!ONE_OFF_TASK_NAME_PATTERN.test(task.name)) {
      add(`tasks[${i}].name`, task.name, "1-20 lower-case letters, digits and hyphens, starting with a letter");
    }
    if (task.command.length === 0 || task.command.some((word) => word.length === 0)) {
      add(`tasks[${i}].command`, task.command, "a command of one or more non-empty words");
    }
    const familyError = awsNameError("ecsTaskFamily", task.family);
    if (familyError !== undefined) add(`tasks[${i}].family`, task.family, familyError);
    if (families.has(task.family))
      add(`tasks[${i}].family`, task.family, "a family no other task definition of the service uses");
    families.add(task.family);
  });
  return problems;
}
