/**
 * HeliumService: one containerised service on ECS Fargate in one region, on a HeliumRegion.
 *
 * - Task definition: Fargate, ARM64 Linux, image by tag or digest, secrets by key from the region's secret
 *   pinned to its current version (containers.ts), awslogs, read-only root filesystem, X-Ray sidecar.
 * - Separate execution and task roles with inline policies scoped to exact ARNs (iam.ts).
 * - Service: private subnets, no public IP, its own security group, circuit breaker with rollback, 100/200
 *   rolling deploys, and `pulumi up` waits for steady state, so a rolled-back deployment fails the update.
 *   Tasks are placed by the model's capacity provider strategy (FARGATE and/or FARGATE_SPOT).
 * - Service Connect (service-connect.ts) when the service publishes or consumes another service; ECS Exec
 *   (`exec`) with the SSM channels on this service's task role only; one-off task definitions (tasks.ts).
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
import { type PolicyStatement, permissionPolicy, permissionProblems, serviceTrustPolicy } from "../../lib/iam";
import { InputError, type Problem } from "../../lib/input-error";
import { serviceProblems } from "../../model/service";
import type { ServiceModel } from "../../model/types/service";
import type { HeliumRegion } from "../region/HeliumRegion";
import { type ContainerReferences, TMP_VOLUME, containerDefinitions } from "./containers";
import { execStatements, executionRoleStatements, taskRoleStatements } from "./iam";
import { createAutoscaling } from "./scaling";
import { serviceConnectConfiguration } from "./service-connect";
import { type OneOffTask, createOneOffTasks } from "./tasks";

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
  | "serviceConnectNamespaceArn"
  | "execSessionLogGroupArn"
  | "database"
>;

export interface HeliumServiceArgs {
  /** The resolved service (model/service.ts `resolveService`). */
  readonly model: ServiceModel;
  /** The region foundation the service runs on. Must be the model's region and environment. */
  readonly foundation: ServiceFoundation;
  /** AWS account id: pins the roles' trust to this account. */
  readonly account: string;
}

/** The statements of the service's execution and task roles; undefined when the foundation has no log group for it. */
function roleStatements(
  args: HeliumServiceArgs,
): { readonly execution: PolicyStatement[]; readonly task: PolicyStatement[] } | undefined {
  const { model, foundation } = args;
  const logGroup = foundation.logGroups[model.name] as (typeof foundation.logGroups)[string] | undefined;
  if (logGroup === undefined) return undefined;
  return {
    execution: executionRoleStatements({
      repositoryArns: [model.repositoryArn],
      logGroupArn: logGroup.arn,
      secretArn: foundation.secretArn,
      kmsKeyArn: foundation.kmsKeyArn,
      region: model.region,
      injectsSecrets: model.secretKeys.length > 0,
      // A database consumer reads its database's RDS-managed secret (checked: the foundation then has one).
      ...(model.consumes.includes("database") && foundation.database?.masterUserSecretArn !== undefined
        ? { databaseSecretArn: foundation.database.masterUserSecretArn }
        : {}),
    }),
    task: [
      ...taskRoleStatements({
        queue: model.queue,
        queueArn: foundation.queueArn,
        filesBucketArn: foundation.filesBucketArn,
        kmsKeyArn: foundation.kmsKeyArn,
        region: model.region,
        filesBucketAccess: model.filesBucketAccess,
        xray: model.xray,
      }),
      // Checked in heliumServiceProblems: a service with exec has the region's session log group.
      ...(model.exec && foundation.execSessionLogGroupArn !== undefined
        ? execStatements({ sessionLogGroupArn: foundation.execSessionLogGroupArn, kmsKeyArn: foundation.kmsKeyArn })
        : []),
    ],
  };
}

/** Logical names of the service's role policies: the owners pack-config exemptions name. */
const executionPolicyName = (name: string) => `${name}-exec-policy`;
const taskPolicyName = (name: string) => `${name}-task-policy`;

/**
 * The rules of {@link serviceProblems}, the fit between the service and its foundation, and, when `name` (the
 * component's) is given, the policy pack's IAM rules on the roles' statements (lib/iam-rules.ts), so a
 * statement that breaks one registers nothing, at a first preview too.
 */
export function heliumServiceProblems(args: HeliumServiceArgs, name?: string): Problem[] {
  const { model, foundation } = args;
  const problems = serviceProblems(model, foundation.secretKeys).map((p) => ({ ...p, key: `model.${p.key}` }));
  if (model.region !== foundation.region || model.environment !== foundation.environment) {
    problems.push({
      key: "foundation",
      value: `${foundation.environment}/${foundation.region}`,
      allowed: `the region of the service (${model.environment}/${model.region})`,
    });
  }
  if (model.consumes.includes("database") && foundation.database === undefined) {
    problems.push({
      key: "model.consumes",
      value: model.consumes,
      allowed: 'no "database": the foundation has no database (helium:database is not set)',
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
  if (model.serviceConnect !== undefined && foundation.serviceConnectNamespaceArn === undefined) {
    problems.push({
      key: "foundation.serviceConnectNamespaceArn",
      value: undefined,
      allowed: `the region's Service Connect namespace (${model.serviceConnect.namespace}): the service joins it`,
    });
  }
  if (model.exec && foundation.execSessionLogGroupArn === undefined) {
    problems.push({
      key: "foundation.execSessionLogGroupArn",
      value: undefined,
      allowed: "the region's ECS Exec session log group: the service opts in to ECS Exec",
    });
  }
  const statements = roleStatements(args);
  if (name !== undefined && statements !== undefined) {
    problems.push(
      ...permissionProblems(executionPolicyName(name), statements.execution),
      ...permissionProblems(taskPolicyName(name), statements.task),
    );
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
  /** The service's security group: one-off tasks run in it too. */
  readonly securityGroupId: pulumi.Output<string>;
  /** One-off task definitions by task name (`migrate`); empty when the service declares none. */
  readonly oneOffTasks: Readonly<Record<string, OneOffTask>>;

  constructor(name: string, args: HeliumServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super(): bad input must not register even the component itself.
    const problems = heliumServiceProblems(args, name);
    if (problems.length > 0) throw new InputError(`HeliumService ${name}`, problems);
    super("helium:index:HeliumService", name, {}, opts);

    const { model, foundation, account } = args;
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
    const statements = roleStatements(args) as NonNullable<ReturnType<typeof roleStatements>>;
    new aws.iam.RolePolicy(
      executionPolicyName(name),
      {
        role: executionRole.name,
        name: "helium-execution",
        policy: permissionPolicy(executionPolicyName(name), statements.execution),
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
    const taskPolicies =
      statements.task.length > 0
        ? [
            new aws.iam.RolePolicy(
              taskPolicyName(name),
              {
                role: taskRole.name,
                name: "helium-task",
                policy: permissionPolicy(taskPolicyName(name), statements.task),
              },
              child,
            ),
          ]
        : [];
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
    this.oneOffTasks = createOneOffTasks(this, name, model, {
      references,
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      dependsOn: taskPolicies,
    });

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
          // A target group serves one load balancer only (TargetGroupAssociationLimit): behind the internal ALB
          // (entry apiGateway) groups take another prefix, so a switch creates new ones for the new ALB first.
          namePrefix: foundation.model.loadBalancer.internal
            ? `${model.name.slice(0, 4)}i-`
            : `${model.name.slice(0, 5)}-`,
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
