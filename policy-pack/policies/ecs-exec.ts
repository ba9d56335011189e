/**
 * ECS Exec (`enableExecuteCommand`) opens a shell in a running task. It is acceptable only where every
 * session is encrypted and recorded: the service's cluster has an `executeCommandConfiguration` with a KMS
 * key (sessions encrypted between client and container) and `logging: "OVERRIDE"` to an encrypted CloudWatch
 * log group or S3 bucket (ECS developer guide, "Monitor Amazon ECS containers with ECS Exec": logging and
 * encryption of ECS Exec sessions). A preview reads unknown values (a key or group created in the same update)
 * as set: what matters here is whether the configuration names them.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { UNKNOWN, dependencyUrns, knownString, readPath, type ResourceNode } from "../lib/values";

export const ECS_SERVICE = "aws:ecs/service:Service";
export const ECS_CLUSTER = "aws:ecs/cluster:Cluster";

/** Set: a known non-empty string, or a value this preview does not know yet. */
const isSet = (value: unknown): boolean => value === UNKNOWN || knownString(value) !== undefined;

/** What is missing from a cluster's `configuration.executeCommandConfiguration`, as phrases; empty when complete. */
export function execSessionLoggingGaps(configuration: unknown): string[] {
  if (configuration === UNKNOWN) return [];
  if (configuration === undefined || configuration === null) {
    return ["has no executeCommandConfiguration: sessions are neither encrypted with a KMS key nor logged"];
  }
  const gaps: string[] = [];
  if (!isSet(readPath(configuration, "kmsKeyId"))) {
    gaps.push("does not encrypt sessions: executeCommandConfiguration has no kmsKeyId");
  }
  const logging = readPath(configuration, "logging");
  if (logging !== UNKNOWN && logging !== "OVERRIDE") {
    const shown = typeof logging === "string" ? logging : "DEFAULT";
    gaps.push(`does not send session logs to a destination of its own: logging is ${shown}, not OVERRIDE`);
    return gaps;
  }
  const log = readPath(configuration, "logConfiguration");
  const cloudWatch =
    isSet(readPath(log, "cloudWatchLogGroupName")) &&
    [true, UNKNOWN].includes(readPath(log, "cloudWatchEncryptionEnabled") as boolean | typeof UNKNOWN);
  const s3 =
    isSet(readPath(log, "s3BucketName")) &&
    [true, UNKNOWN].includes(readPath(log, "s3EncryptionEnabled") as boolean | typeof UNKNOWN);
  if (log !== UNKNOWN && !cloudWatch && !s3) {
    gaps.push(
      "does not write session logs encrypted: logConfiguration needs cloudWatchLogGroupName with cloudWatchEncryptionEnabled: true (or s3BucketName with s3EncryptionEnabled: true)",
    );
  }
  return gaps;
}

export const ecsExecSessionLogging: StackValidationPolicy = stackPolicy({
  name: "helium-ecs-exec-session-logging",
  description:
    "An ECS service with ECS Exec (enableExecuteCommand) runs on a cluster in the stack that encrypts sessions with a KMS key and logs them (logging OVERRIDE) to an encrypted CloudWatch log group or S3 bucket.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set services.<name>.exec: true (the program then configures the cluster), or give the cluster configuration.executeCommandConfiguration { kmsKeyId, logging: OVERRIDE, logConfiguration: { cloudWatchLogGroupName, cloudWatchEncryptionEnabled: true } }, or turn enableExecuteCommand off.",
  validate: (args, report) => {
    const nodes = args.resources as unknown as ResourceNode[];
    const clusters = new Map(nodes.filter((n) => n.type === ECS_CLUSTER).map((n) => [n.urn, n]));
    for (const service of nodes.filter((n) => n.type === ECS_SERVICE)) {
      const exec = readPath(service.props, "enableExecuteCommand");
      if (exec !== true && exec !== UNKNOWN) continue;
      const cluster = dependencyUrns(service, "cluster", [ECS_CLUSTER])
        .map((urn) => clusters.get(urn))
        .find((c): c is ResourceNode => c !== undefined);
      if (cluster === undefined) {
        report(
          service.urn,
          "enableExecuteCommand is on, but the service's cluster is not in this stack, so its session logging and encryption cannot be checked",
        );
        continue;
      }
      for (const gap of execSessionLoggingGaps(
        readPath(cluster.props, "configuration", "executeCommandConfiguration"),
      )) {
        report(service.urn, `enableExecuteCommand is on, but cluster ${cluster.name} ${gap}`);
      }
    }
  },
});

export const ecsExecPolicies = [ecsExecSessionLogging] as const;
