/**
 * The execution and task roles of a HeliumService: their statements (from iam.ts, scoped to the service's
 * exact ARNs) and the roles with their inline policies. The validation runs the same statements through the
 * policy pack's IAM rules before anything registers (validation.ts).
 */
import * as aws from "../../lib/aws";
import type * as pulumi from "@pulumi/pulumi";
import { type PolicyStatement, permissionPolicy, serviceTrustPolicy } from "../../lib/iam";
import type { HeliumServiceArgs } from "./args";
import { execStatements, executionRoleStatements, taskRoleStatements } from "./iam";

/** The statements of the service's execution and task roles; undefined when the foundation has no log group for it. */
export function roleStatements(
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
export const executionPolicyName = (name: string) => `${name}-exec-policy`;
export const taskPolicyName = (name: string) => `${name}-task-policy`;

/** The service's roles and their policies; the task definition waits for `taskPolicies`. */
export interface ServiceRoles {
  readonly executionRole: aws.iam.Role;
  readonly taskRole: aws.iam.Role;
  /** The task role's inline policy; empty when the task role has no statements. */
  readonly taskPolicies: aws.iam.RolePolicy[];
}

/** The execution and task roles, children of `parent` (the HeliumService named `name`). */
export function createRoles(parent: pulumi.Resource, name: string, args: HeliumServiceArgs): ServiceRoles {
  const { model, account } = args;
  const { region } = model;
  const child: pulumi.CustomResourceOptions = { parent };
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
  return { executionRole, taskRole, taskPolicies };
}
