/**
 * HeliumService: one containerised service on ECS Fargate in one region, on a HeliumRegion.
 *
 * - Task definition: Fargate, ARM64 Linux, image by tag or digest, secrets by key from the region's secret
 *   pinned to its current version (containers.ts), awslogs, read-only root filesystem, X-Ray sidecar.
 * - Separate execution and task roles with inline policies scoped to exact ARNs (iam.ts).
 * - Service: private subnets, no public IP, its own security group, circuit breaker with rollback, 100/200
 *   rolling deploys, and `pulumi up` waits for steady state, so a rolled-back deployment fails the update.
 * - For services with routes: an IP target group with a generated name (replaceable create-before-delete)
 *   and listener rules at the priorities the resolve step fixed.
 * - Autoscaling (scaling.ts): CPU and memory target tracking; queue consumers also track backlog per task.
 *
 * Args are the resolved {@link ServiceModel}; the constructor checks it with the resolve step's own rules.
 */
import * as aws from "../../lib/aws";
import { isDeepStrictEqual } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { DEPLOYMENT_MAXIMUM_PERCENT, DEPLOYMENT_MINIMUM_HEALTHY_PERCENT } from "../../lib/deploy-model";
import { policyDocument, serviceTrustPolicy } from "../../lib/iam";
import { InputError, type Problem } from "../../lib/input-error";
import { serviceProblems } from "../../model/service";
import type { ServiceModel } from "../../model/types";
import type { HeliumRegion } from "../region/HeliumRegion";
import { TMP_VOLUME, containerDefinitions } from "./containers";
import { executionRoleStatements, taskRoleStatements } from "./iam";
import { createAutoscaling } from "./scaling";

/**
 * How long `pulumi up` waits for a deployment to reach steady state (or fail) before it gives up. Covers a
 * full 100/200 rollout with image pulls, health checks and draining; the provider's default is 20 minutes.
 */
export const STEADY_STATE_TIMEOUT = "30m";

/** What a service needs of its region; a {@link HeliumRegion} provides all of it. */
export type ServiceFoundation = Pick<
  HeliumRegion,
  | "region"
  | "environment"
  | "vpcId"
  | "privateSubnetIds"
  | "serviceSecurityGroupIds"
  | "httpsListenerArn"
  | "clusterArn"
  | "clusterName"
  | "queueArn"
  | "queueUrl"
  | "queueName"
  | "filesBucketArn"
  | "filesBucketName"
  | "kmsKeyArn"
  | "secretArn"
  | "secretVersionId"
  | "secretVersion"
  | "secretKeys"
  | "logGroups"
  | "model"
>;

export interface HeliumServiceArgs {
  /** The resolved service (model/service.ts `resolveService`). */
  readonly model: ServiceModel;
  /** The region foundation the service runs on. Must be the model's region and environment. */
  readonly foundation: ServiceFoundation;
  /** AWS account id: pins the roles' trust to this account. */
  readonly account: string;
}

/** The rules of {@link serviceProblems} plus the fit between the service and its foundation. */
export function heliumServiceProblems(args: HeliumServiceArgs): Problem[] {
  const { model, foundation } = args;
  const problems = serviceProblems(model, foundation.secretKeys).map((p) => ({ ...p, key: `model.${p.key}` }));
  if (model.region !== foundation.region || model.environment !== foundation.environment) {
    problems.push({
      key: "foundation",
      value: `${foundation.environment}/${foundation.region}`,
      allowed: `the region of the service (${model.environment}/${model.region})`,
    });
  }
  // The foundation opened network paths (ports, cache, peers) for the services of its model: this one must be
  // among them as it was then, or its target group, ports or connections would not match what is open.
  const built = foundation.model.services.find((s) => s.name === model.name);
  if (built !== undefined && !isDeepStrictEqual(built, model)) {
    for (const field of ["port", "consumes", "routes"] as const) {
      // A field already reported by the service's own rules is not reported twice.
      const reported = problems.some((p) => p.key === `model.${field}` || p.key.startsWith(`model.${field}[`));
      if (!reported && !isDeepStrictEqual(built[field], model[field])) {
        problems.push({
          key: `model.${field}`,
          value: model[field],
          allowed: `the ${field} the foundation opened paths for: ${JSON.stringify(built[field])} (rebuild the region with this service)`,
        });
      }
    }
  }
  if (foundation.logGroups[model.name] === undefined || foundation.serviceSecurityGroupIds[model.name] === undefined) {
    problems.push({
      key: "model.name",
      value: model.name,
      allowed: `a service the foundation was built for (${Object.keys(foundation.logGroups).join(", ") || "none"})`,
    });
  }
  return problems;
}

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

  constructor(name: string, args: HeliumServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super(): bad input must not register even the component itself.
    const problems = heliumServiceProblems(args);
    if (problems.length > 0) throw new InputError(`HeliumService ${name}`, problems);
    super("helium:index:HeliumService", name, {}, opts);

    const { model, foundation, account } = args;
    const { region } = model;
    const child: pulumi.CustomResourceOptions = { parent: this };
    const logGroup = foundation.logGroups[model.name];
    this.name = model.name;
    this.region = region;
    this.minTasks = model.scaling.min;

    // ── Roles ─────────────────────────────────────────────────────────────────────────────────────────
    const trust = serviceTrustPolicy("ecs-tasks.amazonaws.com", account);
    const executionRole = new aws.iam.Role(
      `${name}-exec`,
      {
        name: model.names.executionRole,
        path: model.iamPath,
        description: `Helium ${model.environment} ${model.name} in ${region}: ECS pulls the image, writes logs and reads the secret`,
        assumeRolePolicy: trust,
        tags: model.tags,
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
            repositoryArns: [model.repositoryArn],
            logGroupArn: logGroup.arn,
            secretArn: foundation.secretArn,
            kmsKeyArn: foundation.kmsKeyArn,
            region,
            injectsSecrets: model.secretKeys.length > 0,
          }),
        ),
      },
      child,
    );
    const taskRole = new aws.iam.Role(
      `${name}-task`,
      {
        name: model.names.taskRole,
        path: model.iamPath,
        description: `Helium ${model.environment} ${model.name} in ${region}: the application's own permissions`,
        assumeRolePolicy: trust,
        tags: model.tags,
      },
      child,
    );
    const taskStatements = taskRoleStatements({
      queue: model.queue,
      queueArn: foundation.queueArn,
      filesBucketArn: foundation.filesBucketArn,
      kmsKeyArn: foundation.kmsKeyArn,
      region,
      filesBucketAccess: model.filesBucketAccess,
      xray: model.xray,
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
    const definitions = pulumi
      .all([
        logGroup.name,
        foundation.secretArn,
        foundation.secretVersionId,
        foundation.queueUrl,
        foundation.filesBucketName,
      ])
      .apply(([logGroupName, secretArn, secretVersionId, queueUrl, filesBucketName]) =>
        JSON.stringify(
          containerDefinitions(model, { logGroupName, secretArn, secretVersionId, queueUrl, filesBucketName }),
        ),
      );
    const taskDefinition = new aws.ecs.TaskDefinition(
      `${name}-task-definition`,
      {
        region,
        family: model.names.family,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(model.cpu),
        memory: String(model.memory),
        runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        volumes: model.readonlyRootFilesystem ? [{ name: TMP_VOLUME }] : [],
        containerDefinitions: definitions,
        tags: model.tags,
      },
      { ...child, dependsOn: taskPolicies },
    );
    this.taskDefinitionArn = taskDefinition.arn;

    // ── Load balancing ────────────────────────────────────────────────────────────────────────────────
    const health = model.healthCheck;
    let targetGroup: aws.lb.TargetGroup | undefined;
    const listenerRules: aws.lb.ListenerRule[] = [];
    if (model.routes.length > 0 && model.port !== undefined && health !== undefined) {
      targetGroup = new aws.lb.TargetGroup(
        `${name}-tg`,
        {
          region,
          // A generated name (this prefix + a unique suffix, 32 characters): a port or protocol change replaces
          // the group, and only a new name lets the new group exist before the old, still attached, is deleted.
          namePrefix: `${model.name.slice(0, 5)}-`,
          targetType: "ip",
          protocol: "HTTP",
          port: model.port,
          vpcId: foundation.vpcId,
          healthCheck: {
            enabled: true,
            protocol: "HTTP",
            port: "traffic-port",
            path: health.path,
            matcher: health.matcher,
            interval: health.intervalSeconds,
            timeout: health.timeoutSeconds,
            healthyThreshold: health.healthyThreshold,
            unhealthyThreshold: health.unhealthyThreshold,
          },
          // Requests to Helium are short (well under the ALB's idle timeout), so a short drain lets in-flight
          // requests finish without a deploy waiting AWS's default 300 s per batch.
          deregistrationDelay: model.deregistrationDelaySeconds,
          tags: { ...model.tags, Name: model.names.targetGroupTag },
        },
        child,
      );
      const group = targetGroup;
      model.routes.forEach((route, i) => {
        const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
        if (route.hostHeaders !== undefined) conditions.push({ hostHeader: { values: [...route.hostHeaders] } });
        if (route.pathPatterns !== undefined) conditions.push({ pathPattern: { values: [...route.pathPatterns] } });
        listenerRules.push(
          new aws.lb.ListenerRule(
            `${name}-rule-${i + 1}`,
            {
              region,
              listenerArn: foundation.httpsListenerArn,
              priority: route.priority,
              conditions,
              actions: [{ type: "forward", targetGroupArn: group.arn }],
              tags: model.tags,
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
        name: model.names.ecsService,
        cluster: foundation.clusterArn,
        taskDefinition: taskDefinition.arn,
        // Initial size only: autoscaling owns desiredCount afterwards (ignoreChanges below).
        desiredCount: model.desiredCount,
        launchType: "FARGATE",
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
        enableExecuteCommand: false,
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
        // value (and through it the cache it describes) must exist before the first task reads it.
        dependsOn: [...listenerRules, foundation.secretVersion],
      },
    );
    this.serviceName = service.name;
    this.serviceArn = service.arn;
    this.clusterName = foundation.clusterName;

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
    });
  }
}
