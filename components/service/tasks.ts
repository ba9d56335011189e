/**
 * One-off tasks of a service (`services.<name>.tasks`, e.g. `migrate`): one task definition each, on the
 * service's image, execution and task roles, CPU/memory and secrets, running the task's command. Nothing runs
 * them here: CI (scripts/run-task.ts) starts them with RunTask in the service's subnets and security group,
 * from the stack outputs, before the service is updated (docs/ecs.md).
 *
 * Their logical names end in `-one-off-<task>`, so a targeted `pulumi up` can register exactly these
 * definitions for a new image before the rest of the stack is updated (see ONE_OFF_TARGET_GLOB).
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceModel } from "../../model/types/service";
import { type ContainerReferences, fargatePlatform, oneOffContainerDefinitions } from "./containers";

/** Logical-name marker of a one-off task definition: `<service component>-one-off-<task>`. */
export const ONE_OFF_MARKER = "-one-off-";

/**
 * `pulumi up --target` glob (Pulumi's `*` matches within one URN part, `**` across parts) that matches the
 * one-off task definitions of `stack`, and nothing else: the type is the last of the URN's type chain.
 */
export function oneOffTargetGlob(stack: string, project = "helium"): string {
  return `urn:pulumi:${stack}::${project}::**$aws:ecs/taskDefinition:TaskDefinition::*${ONE_OFF_MARKER}*`;
}

/** What the task definitions reference besides the model. */
export interface OneOffTaskArgs {
  readonly references: pulumi.Input<ContainerReferences>;
  readonly executionRoleArn: pulumi.Input<string>;
  readonly taskRoleArn: pulumi.Input<string>;
  /** Resources the definitions wait for (the roles' policies). */
  readonly dependsOn: pulumi.Resource[];
}

/** A registered one-off task definition. */
export interface OneOffTask {
  readonly family: string;
  readonly taskDefinitionArn: pulumi.Output<string>;
  /** Container whose exit code is the task's result. */
  readonly containerName: string;
}

/** Registers the service's one-off task definitions as children of `parent`; by task name. */
export function createOneOffTasks(
  parent: pulumi.Resource,
  name: string,
  model: ServiceModel,
  args: OneOffTaskArgs,
): Record<string, OneOffTask> {
  const tasks: Record<string, OneOffTask> = {};
  for (const task of model.tasks) {
    const definition = new aws.ecs.TaskDefinition(
      `${name}${ONE_OFF_MARKER}${task.name}`,
      {
        region: model.region,
        family: task.family,
        ...fargatePlatform(model),
        executionRoleArn: args.executionRoleArn,
        taskRoleArn: args.taskRoleArn,
        containerDefinitions: pulumi
          .output(args.references)
          .apply((refs) => JSON.stringify(oneOffContainerDefinitions(model, task, refs))),
        tags: { ...model.tags, "helium:one-off-task": task.name },
      },
      { parent, dependsOn: args.dependsOn },
    );
    tasks[task.name] = {
      family: task.family,
      taskDefinitionArn: definition.arn,
      containerName: model.names.appContainer,
    };
  }
  return tasks;
}
