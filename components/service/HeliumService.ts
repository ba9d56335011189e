/**
 * HeliumService: one containerised service on ECS Fargate in one region, on a HeliumRegion.
 *
 * - Task definition: Fargate, ARM64 Linux, image by tag or digest, secrets by key from the region's secret
 *   pinned to its current version (containers.ts), awslogs, read-only root filesystem, X-Ray sidecar.
 * - Separate execution and task roles with inline policies scoped to exact ARNs (roles.ts, iam.ts).
 * - Service: private subnets, no public IP, its own security group, circuit breaker with rollback, 100/200
 *   rolling deploys, and `pulumi up` waits for steady state, so a rolled-back deployment fails the update.
 *   Tasks are placed by the model's capacity provider strategy (FARGATE and/or FARGATE_SPOT).
 * - Service Connect (service-connect.ts) when the service publishes or consumes another service; ECS Exec
 *   (`exec`) with the SSM channels on this service's task role only; one-off task definitions (tasks.ts).
 * - For services with routes: an IP target group with a generated name (replaceable create-before-delete)
 *   and listener rules at the priorities the resolve step fixed (load-balancing.ts).
 * - Autoscaling (scaling.ts): CPU and memory target tracking; queue consumers also track backlog per task.
 *
 * Args (args.ts) are the resolved ServiceModel and its foundation; the constructor checks them first
 * (validation.ts), with the resolve step's own rules.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEPLOYMENT_MAXIMUM_PERCENT, DEPLOYMENT_MINIMUM_HEALTHY_PERCENT } from "../../lib/deploy-model";
import { InputError } from "../../lib/input-error";
import type { HeliumServiceArgs } from "./args";
import { type ContainerReferences, containerDefinitions, fargatePlatform } from "./containers";
import { createLoadBalancing } from "./load-balancing";
import { createRoles } from "./roles";
import { createAutoscaling } from "./scaling";
import { serviceConnectConfiguration } from "./service-connect";
import { heliumServiceProblems } from "./validation";
import { type OneOffTask, createOneOffTasks } from "./tasks";

/**
 * How long `pulumi up` waits for a deployment to reach steady state (or fail) before it gives up. Covers a
 * full 100/200 rollout with image pulls, health checks and draining; the provider's default is 20 minutes.
 */
export const STEADY_STATE_TIMEOUT = "30m";

/** One ECS Fargate service. See the module comment for what it creates. */
export class HeliumService extends pulumi.ComponentResource {
  /** Config name, e.g. `backend`. */
  readonly name: string;
  readonly region: string;
  /** Fewest tasks autoscaling keeps. */
  readonly minTasks: number;
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
  /** The service's security group: one-off tasks run in it too. */
  readonly securityGroupId: pulumi.Output<string>;
  /** One-off task definitions by task name (`migrate`); empty when the service declares none. */
  readonly oneOffTasks: Readonly<Record<string, OneOffTask>>;

  constructor(name: string, args: HeliumServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super(): bad input must not register even the component itself.
    const problems = heliumServiceProblems(args, name);
    if (problems.length > 0) throw new InputError(`HeliumService ${name}`, problems);
    super("helium:index:HeliumService", name, {}, opts);

    const { model, foundation } = args;
    const { region } = model;
    // Set for a database consumer only (checked above: the foundation then has a database).
    const database = model.consumes.includes("database")
      ? { instance: foundation.database?.instance, secretArn: foundation.database?.masterUserSecretArn }
      : undefined;
    const child: pulumi.CustomResourceOptions = { parent: this };
    const logGroup = foundation.logGroups[model.name];
    this.name = model.name;
    this.region = region;
    this.minTasks = model.scaling.min;

    // ── Roles ─────────────────────────────────────────────────────────────────────────────────────────
    const { executionRole, taskRole, taskPolicies } = createRoles(this, name, args);
    this.executionRoleArn = executionRole.arn;
    this.taskRoleArn = taskRole.arn;

    // ── Task definition ───────────────────────────────────────────────────────────────────────────────
    const references: pulumi.Output<ContainerReferences> = pulumi
      .all([
        logGroup.name,
        foundation.secretArn,
        foundation.secretVersionId,
        foundation.queueUrl,
        foundation.filesBucketName,
        database?.secretArn,
      ])
      .apply(([logGroupName, secretArn, secretVersionId, queueUrl, filesBucketName, databaseSecretArn]) => ({
        logGroupName,
        secretArn,
        secretVersionId,
        queueUrl,
        filesBucketName,
        ...(databaseSecretArn !== undefined ? { databaseSecretArn } : {}),
      }));
    const definitions = references.apply((refs) => JSON.stringify(containerDefinitions(model, refs)));
    const taskDefinition = new aws.ecs.TaskDefinition(
      `${name}-task-definition`,
      {
        region,
        family: model.names.family,
        ...fargatePlatform(model),
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        containerDefinitions: definitions,
        tags: model.tags,
      },
      { ...child, dependsOn: taskPolicies },
    );
    this.taskDefinitionArn = taskDefinition.arn;
    this.oneOffTasks = createOneOffTasks(this, name, model, {
      references,
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      dependsOn: taskPolicies,
    });

    // ── Load balancing ────────────────────────────────────────────────────────────────────────────────
    const { targetGroup, listenerRules } = createLoadBalancing(this, name, model, foundation);
    const health = model.healthCheck;
    this.targetGroupArn = targetGroup?.arn;
    this.targetGroupArnSuffix = targetGroup?.arnSuffix;

    // ── Service ───────────────────────────────────────────────────────────────────────────────────────
    // Checked in heliumServiceProblems: a service in Service Connect has the region's namespace.
    const connect =
      foundation.serviceConnectNamespaceArn === undefined
        ? undefined
        : serviceConnectConfiguration(model, foundation.serviceConnectNamespaceArn, logGroup.name);
    const service = new aws.ecs.Service(
      `${name}-service`,
      {
        region,
        name: model.names.ecsService,
        cluster: foundation.clusterArn,
        taskDefinition: taskDefinition.arn,
        // Initial size only: autoscaling owns desiredCount afterwards (ignoreChanges below).
        desiredCount: model.desiredCount,
        // A strategy instead of launchType: FARGATE and FARGATE_SPOT by base and weight. The provider updates a
        // strategy in place only with forceNewDeployment (terraform-provider-aws #43533; the plan fails without
        // it), and ECS then rolls every task onto the new placement; this also moves a service created with
        // launchType FARGATE onto the strategy without replacing it (launchType is optional and computed, so
        // leaving it out is no change). docs/ecs.md "Capacity" has the sources and what an operator sees.
        capacityProviderStrategies: model.capacityProviderStrategy.map((item) => ({ ...item })),
        forceNewDeployment: true,
        // Fargate Spot on ARM64 needs platform version 1.4.0 or later; LATEST is 1.4.0.
        platformVersion: "LATEST",
        networkConfiguration: {
          subnets: foundation.privateSubnetIds,
          securityGroups: [foundation.serviceSecurityGroupIds[model.name]],
          assignPublicIp: false,
        },
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: DEPLOYMENT_MINIMUM_HEALTHY_PERCENT,
        deploymentMaximumPercent: DEPLOYMENT_MAXIMUM_PERCENT,
        ...(targetGroup !== undefined && health !== undefined && model.port !== undefined
          ? {
              loadBalancers: [
                { targetGroupArn: targetGroup.arn, containerName: model.names.appContainer, containerPort: model.port },
              ],
              healthCheckGracePeriodSeconds: health.gracePeriodSeconds,
            }
          : {}),
        ...(connect !== undefined ? { serviceConnectConfiguration: connect } : {}),
        enableExecuteCommand: model.exec,
        enableEcsManagedTags: true,
        propagateTags: "SERVICE",
        // Since terraform-provider-aws v6.4.0 (#43434, bundled by @pulumi/aws 7) the wait checks the deployment's
        // own status: a circuit-breaker rollback (ROLLBACK_SUCCESSFUL) is an error, so a bad deploy fails `up`.
        waitForSteadyState: true,
        tags: model.tags,
      },
      {
        parent: this,
        ignoreChanges: ["desiredCount"],
        customTimeouts: { create: STEADY_STATE_TIMEOUT, update: STEADY_STATE_TIMEOUT },
        // Listener rules attach the target group to the load balancer, which a service requires; the secret's
        // value (and through it the cache it describes) must exist before the first task reads it, and a
        // database consumer's database must be available before its first task connects.
        dependsOn: [
          ...listenerRules,
          foundation.secretVersion,
          ...(database?.instance !== undefined ? [database.instance] : []),
        ],
      },
    );
    this.serviceName = service.name;
    this.serviceArn = service.arn;
    this.clusterName = foundation.clusterName;
    this.securityGroupId = foundation.serviceSecurityGroupIds[model.name];

    createAutoscaling(this, name, model, {
      clusterName: foundation.clusterName,
      serviceName: service.name,
      queueName: foundation.queueName,
    });

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
      securityGroupId: this.securityGroupId,
      oneOffTasks: Object.fromEntries(Object.entries(this.oneOffTasks).map(([task, t]) => [task, t.taskDefinitionArn])),
    });
  }
}
