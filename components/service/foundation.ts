/**
 * What the region's foundation creates for the services' capabilities, only when a service uses them:
 * - the Cloud Map HTTP namespace of Service Connect (`helium[-<env>]`, one per environment and region),
 *   created when a service consumes another;
 * - ECS Exec session logging: a KMS-encrypted log group and the cluster's `executeCommandConfiguration`
 *   (logging OVERRIDE to that group, sessions encrypted with the region key), when a service sets `exec`.
 * HeliumRegion calls these; the resources are its children, like the services' log groups.
 */
import * as aws from "../../lib/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { RegionModel } from "../../model/types/region";

/** The namespace's ARN, or undefined when the region's model has no Service Connect. */
export function createServiceConnectNamespace(
  parent: pulumi.Resource,
  name: string,
  model: RegionModel,
): pulumi.Output<string> | undefined {
  if (model.serviceConnect === undefined) return undefined;
  const namespace = new aws.servicediscovery.HttpNamespace(
    `${name}-service-connect`,
    {
      region: model.region,
      name: model.serviceConnect.namespace,
      description: `Helium ${model.environment} ${model.region}: Service Connect names of the services`,
    },
    { parent },
  );
  return namespace.arn;
}

/** ECS Exec session logging of the region's cluster. */
export interface EcsExecLogging {
  readonly logGroupArn: pulumi.Output<string>;
  readonly clusterConfiguration: aws.types.input.ecs.ClusterConfiguration;
}

/** The session log group and the cluster configuration that uses it, or undefined without ECS Exec. */
export function createEcsExecLogging(
  parent: pulumi.Resource,
  name: string,
  model: RegionModel,
  kmsKeyArn: pulumi.Input<string>,
): EcsExecLogging | undefined {
  if (model.ecsExec === undefined) return undefined;
  const group = new aws.cloudwatch.LogGroup(
    `${name}-ecs-exec-logs`,
    {
      region: model.region,
      name: model.ecsExec.sessionLogGroup,
      retentionInDays: model.logRetentionDays,
      kmsKeyId: kmsKeyArn,
    },
    { parent },
  );
  return {
    logGroupArn: group.arn,
    clusterConfiguration: {
      executeCommandConfiguration: {
        // Sessions are encrypted with the region key between the client and the container, and every
        // command and its output is written to the encrypted log group (OVERRIDE: this group, not the default).
        kmsKeyId: kmsKeyArn,
        logging: "OVERRIDE",
        logConfiguration: { cloudWatchLogGroupName: group.name, cloudWatchEncryptionEnabled: true },
      },
    },
  };
}
