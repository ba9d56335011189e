/**
 * Container definitions of one service's task, as plain data (the task definition serialises them): the app
 * container and, when enabled, the X-Ray daemon sidecar; and of its one-off tasks: the app container alone,
 * running the task's command. Pure: every value is resolved before this runs.
 */
import { APP_PORT_NAME, DATABASE_CREDENTIAL_KEYS, XRAY_DAEMON_PORT } from "../../lib/platform";
import type { OneOffTaskModel, ServiceModel } from "../../model/types/service";

/** On awsvpc every container of a task shares one network namespace, so the app reaches the sidecar on localhost. */
export const XRAY_DAEMON_ADDRESS = `127.0.0.1:${XRAY_DAEMON_PORT}`;
/** The writable scratch volume mounted at /tmp when the root filesystem is read-only. */
export const TMP_VOLUME = "tmp";

/** Values known only once the region's resources exist. */
export interface ContainerReferences {
  readonly logGroupName: string;
  readonly secretArn: string;
  /**
   * Version id of the secret's value. `valueFrom` names it, so the task definition changes — and the service
   * rolls — when the secret's value changes, and no task reads a value older or newer than the deploy's.
   */
  readonly secretVersionId: string;
  readonly queueUrl: string;
  readonly filesBucketName: string;
  /**
   * The RDS-managed master user secret, for a database consumer: DB_USER and DB_PASSWORD come from its `username`
   * and `password` keys, unpinned (its current version), so a rotated password reaches every task that starts
   * after the rotation. Defaults to none.
   */
  readonly databaseSecretArn?: string;
}

interface KeyValue {
  readonly name: string;
  readonly value: string;
}

/**
 * `<secret arn>:<json key>:<version stage>:<version id>` (ECS "Pass sensitive data to a container":
 * `arn:aws:secretsmanager:region:aws_account_id:secret:secret-name:json-key:version-stage:version-id`).
 */
export function secretValueFrom(secretArn: string, key: string, versionId: string): string {
  return `${secretArn}:${key}::${versionId}`;
}

/**
 * The platform part of every task definition of a service, its own and its one-off tasks': Fargate on ARM64
 * Linux, awsvpc, the service's CPU and memory, and the writable /tmp volume when the root filesystem is
 * read-only. One place, so a one-off task (a migration) runs on exactly what the service runs on.
 */
export function fargatePlatform(model: Pick<ServiceModel, "cpu" | "memory" | "readonlyRootFilesystem">) {
  return {
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: String(model.cpu),
    memory: String(model.memory),
    runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
    volumes: model.readonlyRootFilesystem ? [{ name: TMP_VOLUME }] : [],
  };
}

export function containerDefinitions(model: ServiceModel, refs: ContainerReferences): Record<string, unknown>[] {
  const logs = (prefix: string) => ({
    logDriver: "awslogs",
    options: {
      "awslogs-group": refs.logGroupName,
      "awslogs-region": model.region,
      "awslogs-stream-prefix": prefix,
      // Non-blocking: a CloudWatch hiccup must not stall the app's stdout writes.
      mode: "non-blocking",
      "max-buffer-size": "25m",
    },
  });
  const environment: KeyValue[] = [
    ...Object.entries(model.environmentVariables).map(([name, value]) => ({ name, value })),
    ...(model.queue !== "none" ? [{ name: "HELIUM_QUEUE_URL", value: refs.queueUrl }] : []),
    ...(model.filesBucketAccess ? [{ name: "HELIUM_FILES_BUCKET", value: refs.filesBucketName }] : []),
    ...(model.xray ? [{ name: "AWS_XRAY_DAEMON_ADDRESS", value: XRAY_DAEMON_ADDRESS }] : []),
  ].sort((a, b) => a.name.localeCompare(b.name));

  const app: Record<string, unknown> = {
    name: model.names.appContainer,
    image: model.image,
    essential: true,
    ...(model.command !== undefined ? { command: model.command } : {}),
    ...(model.port !== undefined
      ? {
          portMappings: [
            {
              containerPort: model.port,
              protocol: "tcp",
              name: APP_PORT_NAME,
              // Published through Service Connect: HTTP lets the agent report HTTP metrics and retry.
              ...(model.serviceConnect?.publish !== undefined ? { appProtocol: "http" } : {}),
            },
          ],
        }
      : {}),
    environment,
    secrets: [
      ...model.secretKeys.map((key) => ({
        name: key,
        valueFrom: secretValueFrom(refs.secretArn, key, refs.secretVersionId),
      })),
      ...(refs.databaseSecretArn !== undefined && model.consumes.includes("database")
        ? Object.entries(DATABASE_CREDENTIAL_KEYS).map(([name, key]) => ({
            name,
            valueFrom: secretValueFrom(refs.databaseSecretArn as string, key, ""),
          }))
        : []),
    ],
    readonlyRootFilesystem: model.readonlyRootFilesystem,
    privileged: false,
    ...(model.readonlyRootFilesystem
      ? { mountPoints: [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }] }
      : {}),
    // An init process forwards SIGTERM and reaps zombies, so draining tasks shut down cleanly.
    linuxParameters: { initProcessEnabled: true },
    // A queue consumer finishes the message in hand after SIGTERM (deploy, scale-in, Spot interruption).
    ...(model.stopTimeoutSeconds !== undefined ? { stopTimeout: model.stopTimeoutSeconds } : {}),
    logConfiguration: logs(model.name),
    ...(model.xray ? { dependsOn: [{ containerName: model.names.xrayContainer, condition: "START" }] } : {}),
  };
  if (!model.xray) return [app];

  const xray: Record<string, unknown> = {
    name: model.names.xrayContainer,
    image: model.xrayImage,
    // Not essential: losing traces must not take the service down; the health check makes a dead daemon visible.
    essential: false,
    cpu: 32,
    memoryReservation: 64,
    portMappings: [{ containerPort: XRAY_DAEMON_PORT, protocol: "udp" }],
    environment: [{ name: "AWS_REGION", value: model.region }],
    readonlyRootFilesystem: true,
    privileged: false,
    // The image has no shell, so the check execs the binary itself (exec form, not CMD-SHELL).
    healthCheck: { command: ["CMD", "/xray", "--version"], interval: 30, timeout: 5, retries: 3, startPeriod: 10 },
    logConfiguration: logs("xray"),
  };
  return [app, xray];
}

/**
 * The one container of one-off task `task`: the service's app container (image, environment, secrets,
 * read-only root filesystem) running the task's command, with no port and no X-Ray sidecar: it exits when the
 * command does, and its logs go to the service's log group under the prefix `<service>-task-<name>`.
 */
export function oneOffContainerDefinitions(
  model: ServiceModel,
  task: OneOffTaskModel,
  refs: ContainerReferences,
): Record<string, unknown>[] {
  const { port: _port, stopTimeoutSeconds: _stop, serviceConnect: _connect, ...rest } = model;
  const [app] = containerDefinitions({ ...rest, command: task.command, xray: false }, refs);
  const logConfiguration = app.logConfiguration as { logDriver: string; options: Record<string, string> };
  return [
    {
      ...app,
      logConfiguration: {
        ...logConfiguration,
        options: { ...logConfiguration.options, "awslogs-stream-prefix": oneOffLogStreamPrefix(model, task) },
      },
    },
  ];
}

/** awslogs stream prefix of a one-off task's container: `<service>-task-<name>`. */
export function oneOffLogStreamPrefix(model: Pick<ServiceModel, "name">, task: Pick<OneOffTaskModel, "name">): string {
  return `${model.name}-task-${task.name}`;
}
