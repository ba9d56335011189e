/**
 * Autoscaling of one ECS service: CPU and memory target tracking, and for queue consumers SQS backlog per
 * task (visible messages ÷ running tasks) computed by CloudWatch metric math inside the target-tracking
 * policy: no Lambda publishing a custom metric (Copilot's approach), and proportional rather than CDK
 * QueueProcessingService's coarse step scaling.
 *
 * Cooldowns: scale-out 60 s by default, to react to load within about a minute; scale-in 300 s by default,
 * to shed capacity slowly and avoid flapping. Target tracking scales in only when the metric stays below
 * target, and never below min.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceModel } from "../../model/types/service";

export interface ScalingTargets {
  readonly clusterName: pulumi.Input<string>;
  readonly serviceName: pulumi.Input<string>;
  readonly queueName: pulumi.Input<string>;
}

/** Creates the scalable target and its policies as children of `parent`, named `<name>-…`. */
export function createAutoscaling(
  parent: pulumi.Resource,
  name: string,
  model: ServiceModel,
  targets: ScalingTargets,
): void {
  const child = { parent };
  const region = model.region;
  const { scaling } = model;
  const target = new aws.appautoscaling.Target(
    `${name}-scaling-target`,
    {
      region,
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${targets.clusterName}/${targets.serviceName}`,
      minCapacity: scaling.min,
      maxCapacity: scaling.max,
      tags: model.tags,
    },
    child,
  );
  const cooldowns = {
    scaleOutCooldown: scaling.scaleOutCooldownSeconds,
    scaleInCooldown: scaling.scaleInCooldownSeconds,
  };
  const policy = (
    suffix: "cpu" | "memory" | "backlog",
    configuration: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration,
  ) =>
    new aws.appautoscaling.Policy(
      `${name}-${suffix}`,
      {
        region,
        name: model.names[`${suffix}ScalingPolicy`],
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
    targetValue: scaling.cpuTargetPercent,
    ...cooldowns,
  });
  policy("memory", {
    predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageMemoryUtilization" },
    targetValue: scaling.memoryTargetPercent,
    ...cooldowns,
  });
  if (scaling.backlogPerTaskTarget === undefined) return;
  policy("backlog", {
    targetValue: scaling.backlogPerTaskTarget,
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
              dimensions: [{ name: "QueueName", value: targets.queueName }],
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
                { name: "ClusterName", value: targets.clusterName },
                { name: "ServiceName", value: targets.serviceName },
              ],
            },
          },
        },
        { id: "backlog_per_task", label: "Backlog per task", expression: "visible / running", returnData: true },
      ],
    },
  });
}
