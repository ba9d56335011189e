/**
 * HeliumService: one containerised service on ECS Fargate in one region, on a HeliumRegion.
 *
 * - Task definition: Fargate, ARM64 Linux, validated CPU/memory pair, image by tag or digest, secrets from
 *   the region's Secrets Manager secret by key (`valueFrom`), awslogs, read-only root filesystem with a
 *   writable /tmp volume, non-privileged, and the X-Ray daemon sidecar.
 * - Separate execution and task roles with inline policies scoped to exact ARNs; no managed policies.
 * - Service: private subnets, no public IP, the task SG, circuit breaker with rollback, 100/200 rolling
 *   deploys, ECS Exec off, tags propagated. Autoscaling owns the desired count after creation.
 * - For services with routes: an IP target group with fast, safe health checks and a listener rule on the
 *   region's HTTPS listener.
 * - Autoscaling: CPU and memory target tracking; queue consumers also track SQS backlog per task.
 *
 * Everything is declared by a `ServiceSpec` (config/services.ts): a new service is config, not code.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../config/services";
import { PLATFORM_SECRET_KEYS } from "../config/stacks";
import { DEPLOYMENT_MAXIMUM_PERCENT, DEPLOYMENT_MINIMUM_HEALTHY_PERCENT } from "../lib/deploy-model";
import { fargateSizeError } from "../lib/fargate";
import { type PolicyStatement, policyDocument, serviceTrustPolicy } from "../lib/iam";
import { type Environment, assertAwsName, ecsServiceName, iamRolePath, regionalName } from "../lib/naming";
import { MAX_LISTENER_PRIORITY } from "../lib/routing";
import type { HeliumRegion } from "./HeliumRegion";

/** X-Ray daemon image, pinned: `latest` would change the sidecar under a running service without a deploy. */
export const XRAY_DAEMON_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.3.14";
export const XRAY_DAEMON_PORT = 2000;
/** On awsvpc every container of a task shares one network namespace, so the app reaches the sidecar on localhost. */
export const XRAY_DAEMON_ADDRESS = `127.0.0.1:${XRAY_DAEMON_PORT}`;
/** Backlog target defaults when a consumer has no `queueScaling` (the schema's defaults). */
const DEFAULT_QUEUE_SCALING = { acceptableLatencySeconds: 300, secondsPerMessage: 2 } as const;
const TMP_VOLUME = "tmp";

/** `<registry>/<repository>:<tag>` or `<registry>/<repository>@sha256:<64 hex>`. */
const IMAGE_PATTERN =
  /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[a-f0-9]{64})$/;

export interface HeliumServiceArgs {
  /** Environment; must equal the region's. It is part of every name outside production. */
  readonly environment: Environment;
  /** Config name of the service, e.g. `backend` (the key in `helium:services`). */
  readonly serviceName: string;
  /** The validated service declaration. */
  readonly spec: ServiceSpec;
  /** The region foundation the service runs on (cluster, subnets, SG, listener, queue, bucket, secret, logs). */
  readonly region: HeliumRegion;
  /** Image by tag or digest, e.g. `<acct>.dkr.ecr.<region>.amazonaws.com/helium-backend:v42` or `…@sha256:<digest>`. */
  readonly image: pulumi.Input<string>;
  /** ARNs of the ECR repositories the image comes from; the execution role may pull from these only. */
  readonly repositoryArns: pulumi.Input<string>[];
  /** Listener-rule priority per `spec.routes` entry (lib/routing.ts `assignRoutePriorities`). Required when the service has routes. */
  readonly routePriorities?: readonly number[];
  /**
   * Keys the region's secret declares. `spec.secrets` must be a subset, checked before anything is registered
   * (and again against the region's `secretKeys` at deploy time). Defaults to PLATFORM_SECRET_KEYS.
   */
  readonly declaredSecretKeys?: readonly string[];
  /** Object access to the files bucket (and its KMS key). Defaults to true for queue producers and consumers (backend, worker), false otherwise. */
  readonly filesBucketAccess?: boolean;
  /** ECS Exec (shell into tasks). Defaults to false: it needs SSM permissions and bypasses the deploy path. */
  readonly enableExecuteCommand?: boolean;
  /** X-Ray daemon image. Defaults to {@link XRAY_DAEMON_IMAGE} (pinned). Must not be `:latest`. */
  readonly xrayDaemonImage?: string;
  /** Extra tags on every taggable child. Defaults to none. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Validation of everything AWS or our conventions would reject; throws before any child exists. */
export function validateHeliumServiceArgs(name: string, args: HeliumServiceArgs): void {
  const { spec, serviceName } = args;
  const where = `HeliumService ${name}`;
  if (args.environment !== args.region.environment) {
    throw new Error(
      `${where}: environment "${args.environment}" differs from the region's environment "${args.region.environment}"; a service runs in its own environment's region`,
    );
  }
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(serviceName)) {
    throw new Error(
      `${where}: serviceName "${serviceName}" is not allowed; use 1-20 lower-case letters, digits and hyphens, starting with a letter`,
    );
  }
  const sizeError = fargateSizeError(spec.cpu, spec.memory);
  if (sizeError) throw new Error(`${where}: spec.cpu/spec.memory (${spec.cpu}/${spec.memory}): ${sizeError}`);
  if (spec.port !== undefined && (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535)) {
    throw new Error(`${where}: spec.port ${spec.port} is not allowed; a port is an integer in 1-65535`);
  }
  if (spec.port === XRAY_DAEMON_PORT && spec.xray) {
    throw new Error(
      `${where}: spec.port ${spec.port} collides with the X-Ray daemon's UDP/TCP port ${XRAY_DAEMON_PORT}; choose another port or set xray: false`,
    );
  }
  const { min, max } = spec.scaling;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < 1 || min > max) {
    throw new Error(
      `${where}: spec.scaling.min ${min} / spec.scaling.max ${max} are not allowed; need integers with 0 ≤ min ≤ max and max ≥ 1`,
    );
  }
  const desired = spec.desiredCount ?? min;
  if (desired < min || desired > max) {
    throw new Error(`${where}: spec.desiredCount ${desired} is outside spec.scaling ${min}-${max}`);
  }
  if (spec.queue === "consumer" && min < 1) {
    throw new Error(
      `${where}: spec.scaling.min ${min} is not allowed for a queue consumer; backlog per task (visible ÷ running) is undefined with no running task, so min must be ≥ 1`,
    );
  }
  if (spec.queueScaling !== undefined && spec.queue !== "consumer") {
    throw new Error(
      `${where}: spec.queueScaling is set but spec.queue is "${spec.queue}"; backlog scaling is only for queue: "consumer"`,
    );
  }
  const declared = args.declaredSecretKeys ?? PLATFORM_SECRET_KEYS;
  for (const key of spec.secrets) {
    if (!declared.includes(key)) {
      throw new Error(
        `${where}: spec.secrets contains "${key}", which the region's secret does not declare; declared keys: ${declared.join(", ")}`,
      );
    }
  }
  const plainSecretNames = Object.keys(spec.environment).filter((k) => spec.secrets.includes(k));
  if (plainSecretNames.length > 0) {
    throw new Error(
      `${where}: spec.environment sets ${plainSecretNames.join(", ")}, which ${plainSecretNames.length > 1 ? "are secrets" : "is a secret"}; secrets are injected with valueFrom only, never as plain values`,
    );
  }
  if (spec.routes.length > 0) {
    if (spec.port === undefined)
      throw new Error(`${where}: spec.routes is set but spec.port is missing; a load-balanced service needs a port`);
    if (spec.healthCheck === undefined)
      throw new Error(
        `${where}: spec.routes is set but spec.healthCheck is missing; a load-balanced service needs a health check path`,
      );
    const priorities = args.routePriorities ?? [];
    if (priorities.length !== spec.routes.length) {
      throw new Error(
        `${where}: routePriorities has ${priorities.length} entr${priorities.length === 1 ? "y" : "ies"} (${priorities.join(", ") || "none"}) but spec.routes has ${spec.routes.length}; pass one per route from assignRoutePriorities`,
      );
    }
    priorities.forEach((p, i) => {
      if (!Number.isInteger(p) || p < 1 || p > MAX_LISTENER_PRIORITY) {
        throw new Error(
          `${where}: routePriorities[${i}] ${p} is not allowed; priorities are integers 1-${MAX_LISTENER_PRIORITY}`,
        );
      }
      if (priorities.indexOf(p) !== i)
        throw new Error(
          `${where}: routePriorities[${i}] ${p} duplicates routePriorities[${priorities.indexOf(p)}]; each listener rule needs its own priority`,
        );
    });
  }
  if (typeof args.image === "string" && !IMAGE_PATTERN.test(args.image)) {
    throw new Error(
      `${where}: image "${args.image}" is not allowed; expected <registry>/<repository>:<tag> or <registry>/<repository>@sha256:<64 hex digits>`,
    );
  }
  if (typeof args.image === "string" && args.image.endsWith(":latest")) {
    throw new Error(
      `${where}: image "${args.image}" uses the mutable tag latest; deploy an immutable tag or a digest so rollbacks are exact`,
    );
  }
  const xrayImage = args.xrayDaemonImage ?? XRAY_DAEMON_IMAGE;
  if (
    spec.xray &&
    (!/:[A-Za-z0-9_][A-Za-z0-9._-]*$|@sha256:[a-f0-9]{64}$/.test(xrayImage) || xrayImage.endsWith(":latest"))
  ) {
    throw new Error(
      `${where}: xrayDaemonImage "${xrayImage}" is not pinned; use a version tag (e.g. ${XRAY_DAEMON_IMAGE}) or a digest, never latest`,
    );
  }
  if (args.region.logGroups[serviceName] === undefined) {
    throw new Error(
      `${where}: serviceName "${serviceName}" has no log group in region ${args.region.region}; HeliumRegion creates one per entry of its services (has: ${Object.keys(args.region.logGroups).join(", ") || "none"})`,
    );
  }
  const env = args.environment;
  const region = args.region.region;
  assertAwsName("iamRole", executionRoleName(env, region, serviceName), `${where}: execution role name`);
  assertAwsName("iamRole", taskRoleName(env, region, serviceName), `${where}: task role name`);
  assertAwsName("ecsService", ecsServiceName(env, serviceName), `${where}: ECS service name`);
  if (spec.routes.length > 0 && spec.port !== undefined) {
    assertAwsName(
      "targetGroup",
      targetGroupName(env, region, serviceName, spec.port),
      `${where}: target group name (shorten the service name)`,
    );
  }
}

export const executionRoleName = (env: Environment, region: string, service: string) =>
  regionalName(env, region, `${service}-exec`);
export const taskRoleName = (env: Environment, region: string, service: string) =>
  regionalName(env, region, `${service}-task`);
export const taskFamily = (env: Environment, region: string, service: string) => regionalName(env, region, service);
/**
 * The port is part of the name: a port change replaces the target group, and the replacement (created
 * before the old one is deleted) needs a name that does not collide.
 */
export const targetGroupName = (env: Environment, region: string, service: string, port: number) =>
  regionalName(env, region, `${service}-${port}`);
export const appContainerName = (service: string) => `helium-${service}`;
export const xrayContainerName = (service: string) => `helium-${service}-xray`;

/** Target backlog per task for SQS scaling: how many messages one task clears within the acceptable latency. */
export function backlogPerTaskTarget(queueScaling: ServiceSpec["queueScaling"]): number {
  const { acceptableLatencySeconds, secondsPerMessage } = queueScaling ?? DEFAULT_QUEUE_SCALING;
  return acceptableLatencySeconds / secondsPerMessage;
}

/** Execution-role statements: what ECS itself needs to start the task (pull, log, fetch secrets). */
export function executionRoleStatements(refs: {
  readonly repositoryArns: pulumi.Input<string>[];
  readonly logGroupArn: pulumi.Input<string>;
  readonly secretArn: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly region: string;
  readonly injectsSecrets: boolean;
}): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      Sid: "PullServiceImages",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: refs.repositoryArns,
    },
    // GetAuthorizationToken is account-wide: it has no resource-level permissions, so `*` is the only valid resource.
    { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "WriteServiceLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: pulumi.interpolate`${refs.logGroupArn}:log-stream:*`,
    },
  ];
  if (refs.injectsSecrets) {
    statements.push(
      { Sid: "ReadBackendSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: refs.secretArn },
      {
        Sid: "DecryptBackendSecret",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: refs.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${refs.region}.amazonaws.com` } },
      },
    );
  }
  return statements;
}

/** Task-role statements: what the application needs at run time, nothing more. */
export function taskRoleStatements(refs: {
  readonly queue: ServiceSpec["queue"];
  readonly queueArn: pulumi.Input<string>;
  readonly filesBucketArn: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly region: string;
  readonly filesBucketAccess: boolean;
  readonly xray: boolean;
}): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (refs.queue === "producer") {
    statements.push({
      Sid: "SendWork",
      Effect: "Allow",
      Action: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
      Resource: refs.queueArn,
    });
  } else if (refs.queue === "consumer") {
    statements.push({
      Sid: "ConsumeWork",
      Effect: "Allow",
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
      Resource: refs.queueArn,
    });
  }
  if (refs.filesBucketAccess) {
    statements.push(
      {
        Sid: "FilesObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: pulumi.interpolate`${refs.filesBucketArn}/*`,
      },
      { Sid: "FilesList", Effect: "Allow", Action: "s3:ListBucket", Resource: refs.filesBucketArn },
      {
        // The bucket is SSE-KMS with the region key: reading needs Decrypt, writing needs GenerateDataKey.
        Sid: "FilesEncryption",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: refs.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${refs.region}.amazonaws.com` } },
      },
    );
  }
  if (refs.xray) {
    // X-Ray's write and sampling APIs have no resource-level permissions: `*` is the only valid resource.
    statements.push({
      Sid: "XRayWrite",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
      Resource: "*",
    });
  }
  return statements;
}

interface KeyValue {
  readonly name: string;
  readonly value: string;
}

/** Container definitions as plain data (JSON-serialised by the task definition). */
export function containerDefinitions(input: {
  readonly serviceName: string;
  readonly spec: ServiceSpec;
  readonly image: string;
  readonly xrayImage: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly secretArn: string;
  readonly queueUrl: string;
  readonly filesBucketName: string | undefined;
}): Record<string, unknown>[] {
  const { spec, serviceName } = input;
  const logs = (prefix: string) => ({
    logDriver: "awslogs",
    options: {
      "awslogs-group": input.logGroupName,
      "awslogs-region": input.region,
      "awslogs-stream-prefix": prefix,
      // Non-blocking: a CloudWatch hiccup must not stall the app's stdout writes.
      mode: "non-blocking",
      "max-buffer-size": "25m",
    },
  });
  const environment: KeyValue[] = [
    ...Object.entries(spec.environment).map(([name, value]) => ({ name, value })),
    ...(spec.queue !== "none" ? [{ name: "HELIUM_QUEUE_URL", value: input.queueUrl }] : []),
    ...(input.filesBucketName !== undefined ? [{ name: "HELIUM_FILES_BUCKET", value: input.filesBucketName }] : []),
    ...(spec.xray ? [{ name: "AWS_XRAY_DAEMON_ADDRESS", value: XRAY_DAEMON_ADDRESS }] : []),
  ].sort((a, b) => a.name.localeCompare(b.name));

  const app: Record<string, unknown> = {
    name: appContainerName(serviceName),
    image: input.image,
    essential: true,
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.port !== undefined ? { portMappings: [{ containerPort: spec.port, protocol: "tcp", name: "http" }] } : {}),
    environment,
    // `<secret arn>:<json key>::` — ECS resolves one JSON key of the secret's current version at task start.
    secrets: spec.secrets.map((key) => ({ name: key, valueFrom: `${input.secretArn}:${key}::` })),
    readonlyRootFilesystem: spec.readonlyRootFilesystem,
    privileged: false,
    ...(spec.readonlyRootFilesystem
      ? { mountPoints: [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }] }
      : {}),
    // An init process forwards SIGTERM and reaps zombies, so draining tasks shut down cleanly.
    linuxParameters: { initProcessEnabled: true },
    logConfiguration: logs(serviceName),
    ...(spec.xray ? { dependsOn: [{ containerName: xrayContainerName(serviceName), condition: "START" }] } : {}),
  };
  if (!spec.xray) return [app];

  const xray: Record<string, unknown> = {
    name: xrayContainerName(serviceName),
    image: input.xrayImage,
    // Not essential: losing traces must not take the service down; the health check makes a dead daemon visible.
    essential: false,
    cpu: 32,
    memoryReservation: 64,
    portMappings: [{ containerPort: XRAY_DAEMON_PORT, protocol: "udp" }],
    environment: [{ name: "AWS_REGION", value: input.region }],
    readonlyRootFilesystem: true,
    privileged: false,
    // The image has no shell, so the check execs the binary itself (exec form, not CMD-SHELL).
    healthCheck: { command: ["CMD", "/xray", "--version"], interval: 30, timeout: 5, retries: 3, startPeriod: 10 },
    logConfiguration: logs("xray"),
  };
  return [app, xray];
}

/** One ECS Fargate service. See the module comment for what it creates. */
export class HeliumService extends pulumi.ComponentResource {
  /** Config name, e.g. `backend`. */
  readonly name: string;
  readonly region: string;
  /** ECS service name, e.g. `helium-backend-service`. */
  readonly serviceName: pulumi.Output<string>;
  readonly serviceArn: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly taskDefinitionArn: pulumi.Output<string>;
  /** Undefined for services without routes. */
  readonly targetGroupArn: pulumi.Output<string> | undefined;
  /** `targetgroup/<name>/<id>`: the `TargetGroup` dimension of ALB metrics. Undefined without routes. */
  readonly targetGroupArnSuffix: pulumi.Output<string> | undefined;
  readonly taskRoleArn: pulumi.Output<string>;
  readonly executionRoleArn: pulumi.Output<string>;

  constructor(name: string, args: HeliumServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super(): bad input must not register even the component itself.
    validateHeliumServiceArgs(name, args);
    super("helium:index:HeliumService", name, {}, opts);

    const { spec, serviceName, region: foundation } = args;
    const env = args.environment;
    const region = foundation.region;
    const child: pulumi.CustomResourceOptions = { parent: this };
    const tags = { "helium:service": serviceName, "helium:environment": env, ...(args.tags ?? {}) };
    const logGroup = foundation.logGroups[serviceName];
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const filesBucketAccess = args.filesBucketAccess ?? spec.queue !== "none";
    const balanced = spec.routes.length > 0;

    this.name = serviceName;
    this.region = region;

    // ── Roles ─────────────────────────────────────────────────────────────────────────────────────────
    const trust = serviceTrustPolicy("ecs-tasks.amazonaws.com", account);
    const executionRole = new aws.iam.Role(
      `${name}-exec`,
      {
        name: executionRoleName(env, region, serviceName),
        path: iamRolePath(env),
        description: `Helium ${env} ${serviceName} in ${region}: ECS pulls the image, writes logs and reads the secret`,
        assumeRolePolicy: trust,
        tags,
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-exec-policy`,
      {
        role: executionRole.name,
        name: "helium-execution",
        policy: policyDocument(
          executionRoleStatements({
            repositoryArns: args.repositoryArns,
            logGroupArn: logGroup.arn,
            secretArn: foundation.secretArn,
            kmsKeyArn: foundation.kmsKeyArn,
            region,
            injectsSecrets: spec.secrets.length > 0,
          }),
        ),
      },
      child,
    );
    const taskRole = new aws.iam.Role(
      `${name}-task`,
      {
        name: taskRoleName(env, region, serviceName),
        path: iamRolePath(env),
        description: `Helium ${env} ${serviceName} in ${region}: the application's own permissions`,
        assumeRolePolicy: trust,
        tags,
      },
      child,
    );
    const taskStatements = taskRoleStatements({
      queue: spec.queue,
      queueArn: foundation.queueArn,
      filesBucketArn: foundation.filesBucketArn,
      kmsKeyArn: foundation.kmsKeyArn,
      region,
      filesBucketAccess,
      xray: spec.xray,
    });
    const taskPolicies =
      taskStatements.length > 0
        ? [
            new aws.iam.RolePolicy(
              `${name}-task-policy`,
              { role: taskRole.name, name: "helium-task", policy: policyDocument(taskStatements) },
              child,
            ),
          ]
        : [];
    this.executionRoleArn = executionRole.arn;
    this.taskRoleArn = taskRole.arn;

    // ── Task definition ───────────────────────────────────────────────────────────────────────────────
    const xrayImage = args.xrayDaemonImage ?? XRAY_DAEMON_IMAGE;
    const definitions = pulumi
      .all([
        pulumi.output(args.image),
        logGroup.name,
        foundation.secretArn,
        foundation.secretKeys,
        foundation.queueUrl,
        foundation.filesBucketName,
      ])
      .apply(([image, logGroupName, secretArn, secretKeys, queueUrl, bucketName]) => {
        // The region secret's actual keys, known only at deploy time: a second line of defence behind declaredSecretKeys.
        const missing = spec.secrets.filter((k) => !secretKeys.includes(k));
        if (missing.length > 0) {
          throw new Error(
            `HeliumService ${name}: spec.secrets contains ${missing.join(", ")}, which the region's secret does not hold; it holds: ${secretKeys.join(", ")}`,
          );
        }
        if (!IMAGE_PATTERN.test(image)) {
          throw new Error(
            `HeliumService ${name}: image "${image}" is not allowed; expected <registry>/<repository>:<tag> or <registry>/<repository>@sha256:<64 hex digits>`,
          );
        }
        return JSON.stringify(
          containerDefinitions({
            serviceName,
            spec,
            image,
            xrayImage,
            region,
            logGroupName,
            secretArn,
            queueUrl,
            filesBucketName: filesBucketAccess ? bucketName : undefined,
          }),
        );
      });
    const taskDefinition = new aws.ecs.TaskDefinition(
      `${name}-task-definition`,
      {
        region,
        family: taskFamily(env, region, serviceName),
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(spec.cpu),
        memory: String(spec.memory),
        runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        volumes: spec.readonlyRootFilesystem ? [{ name: TMP_VOLUME }] : [],
        containerDefinitions: definitions,
        tags,
      },
      { parent: this, dependsOn: taskPolicies },
    );
    this.taskDefinitionArn = taskDefinition.arn;

    // ── Load balancing ────────────────────────────────────────────────────────────────────────────────
    let targetGroup: aws.lb.TargetGroup | undefined;
    const listenerRules: aws.lb.ListenerRule[] = [];
    if (balanced && spec.port !== undefined && spec.healthCheck !== undefined) {
      const health = spec.healthCheck;
      targetGroup = new aws.lb.TargetGroup(
        `${name}-tg`,
        {
          region,
          name: targetGroupName(env, region, serviceName, spec.port),
          targetType: "ip",
          protocol: "HTTP",
          port: spec.port,
          vpcId: foundation.vpcId,
          healthCheck: {
            enabled: true,
            protocol: "HTTP",
            port: "traffic-port",
            path: health.path,
            matcher: health.matcher,
            // Defaults 10 s × 2 healthy: a new task takes traffic ~20 s after it starts answering (AWS: 30 s × 5 = 150 s).
            interval: health.intervalSeconds,
            timeout: health.timeoutSeconds,
            healthyThreshold: health.healthyThreshold,
            unhealthyThreshold: health.unhealthyThreshold,
          },
          // Default 30 s (AWS: 300 s). Requests to Helium's API are short (well under the ALB's 60 s idle
          // timeout), so 30 s lets in-flight requests finish while a deploy or scale-in does not wait 5 minutes
          // per batch. ECS only stops a task after draining, so this never cuts a request that is within it.
          deregistrationDelay: spec.deregistrationDelaySeconds,
          tags: { ...tags, Name: targetGroupName(env, region, serviceName, spec.port) },
        },
        child,
      );
      spec.routes.forEach((route, i) => {
        const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
        if (route.hostHeaders) conditions.push({ hostHeader: { values: route.hostHeaders } });
        if (route.pathPatterns) conditions.push({ pathPattern: { values: route.pathPatterns } });
        listenerRules.push(
          new aws.lb.ListenerRule(
            `${name}-rule-${i + 1}`,
            {
              region,
              listenerArn: foundation.httpsListenerArn,
              priority: (args.routePriorities as readonly number[])[i],
              conditions,
              actions: [{ type: "forward", targetGroupArn: (targetGroup as aws.lb.TargetGroup).arn }],
              tags,
            },
            child,
          ),
        );
      });
    }
    this.targetGroupArn = targetGroup?.arn;
    this.targetGroupArnSuffix = targetGroup?.arnSuffix;

    // ── Service ───────────────────────────────────────────────────────────────────────────────────────
    const service = new aws.ecs.Service(
      `${name}-service`,
      {
        region,
        name: ecsServiceName(env, serviceName),
        cluster: foundation.clusterArn,
        taskDefinition: taskDefinition.arn,
        // Initial size only: autoscaling owns desiredCount afterwards (ignoreChanges below).
        desiredCount: spec.desiredCount ?? spec.scaling.min,
        launchType: "FARGATE",
        platformVersion: "LATEST",
        networkConfiguration: {
          subnets: foundation.privateSubnetIds,
          securityGroups: [foundation.taskSecurityGroupId],
          assignPublicIp: false,
        },
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: DEPLOYMENT_MINIMUM_HEALTHY_PERCENT,
        deploymentMaximumPercent: DEPLOYMENT_MAXIMUM_PERCENT,
        ...(targetGroup && spec.healthCheck && spec.port !== undefined
          ? {
              loadBalancers: [
                {
                  targetGroupArn: targetGroup.arn,
                  containerName: appContainerName(serviceName),
                  containerPort: spec.port,
                },
              ],
              healthCheckGracePeriodSeconds: spec.healthCheck.gracePeriodSeconds,
            }
          : {}),
        enableExecuteCommand: args.enableExecuteCommand ?? false,
        enableEcsManagedTags: true,
        propagateTags: "SERVICE",
        // The circuit breaker decides success; blocking `pulumi up` on steady state only slows multi-region deploys.
        waitForSteadyState: false,
        tags,
      },
      {
        parent: this,
        ignoreChanges: ["desiredCount"],
        // A target group must be attached to the load balancer (through a rule) before a service may use it.
        dependsOn: listenerRules,
      },
    );
    this.serviceName = service.name;
    this.serviceArn = service.arn;
    this.clusterName = foundation.clusterName;

    // ── Autoscaling ───────────────────────────────────────────────────────────────────────────────────
    // Cooldowns (spec.scaling): scale-out 60 s by default, to react to load within about a minute; scale-in
    // 300 s by default, to shed capacity slowly and avoid flapping. Target tracking scales in only when the
    // metric stays below target, and never below min.
    const target = new aws.appautoscaling.Target(
      `${name}-scaling-target`,
      {
        region,
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${foundation.clusterName}/${service.name}`,
        minCapacity: spec.scaling.min,
        maxCapacity: spec.scaling.max,
        tags,
      },
      child,
    );
    const cooldowns = {
      scaleOutCooldown: spec.scaling.scaleOutCooldownSeconds,
      scaleInCooldown: spec.scaling.scaleInCooldownSeconds,
    };
    const policy = (
      suffix: string,
      configuration: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration,
    ) =>
      new aws.appautoscaling.Policy(
        `${name}-${suffix}`,
        {
          region,
          name: `${ecsServiceName(env, serviceName)}-${suffix}`,
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          targetTrackingScalingPolicyConfiguration: configuration,
        },
        child,
      );
    policy("cpu", {
      predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
      targetValue: spec.scaling.cpuTargetPercent,
      ...cooldowns,
    });
    policy("memory", {
      predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageMemoryUtilization" },
      targetValue: spec.scaling.memoryTargetPercent,
      ...cooldowns,
    });
    if (spec.queue === "consumer") {
      // Backlog per task = visible messages ÷ running tasks, computed by CloudWatch metric math inside the
      // target-tracking policy: no Lambda publishing a custom metric (Copilot's approach), and proportional
      // rather than CDK QueueProcessingService's coarse step scaling.
      policy("backlog", {
        targetValue: backlogPerTaskTarget(spec.queueScaling),
        ...cooldowns,
        customizedMetricSpecification: {
          metrics: [
            {
              id: "visible",
              label: "Visible messages",
              returnData: false,
              metricStat: {
                stat: "Sum",
                metric: {
                  namespace: "AWS/SQS",
                  metricName: "ApproximateNumberOfMessagesVisible",
                  dimensions: [{ name: "QueueName", value: foundation.queueName }],
                },
              },
            },
            {
              id: "running",
              label: "Running tasks",
              returnData: false,
              metricStat: {
                stat: "Average",
                metric: {
                  namespace: "ECS/ContainerInsights",
                  metricName: "RunningTaskCount",
                  dimensions: [
                    { name: "ClusterName", value: foundation.clusterName },
                    { name: "ServiceName", value: service.name },
                  ],
                },
              },
            },
            { id: "backlog_per_task", label: "Backlog per task", expression: "visible / running", returnData: true },
          ],
        },
      });
    }

    this.registerOutputs({
      name: this.name,
      region: this.region,
      serviceName: this.serviceName,
      serviceArn: this.serviceArn,
      clusterName: this.clusterName,
      taskDefinitionArn: this.taskDefinitionArn,
      targetGroupArn: this.targetGroupArn,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
      taskRoleArn: this.taskRoleArn,
      executionRoleArn: this.executionRoleArn,
    });
  }
}
