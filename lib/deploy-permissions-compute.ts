/**
 * Compute of a deploy role: the load balancer (generated names: scoped by tags), ECS clusters, services and
 * task definitions (fixed names, lib/naming.ts), their autoscaling, and the environment's IAM roles.
 */
import type { PolicyStatement } from "./iam";
import {
  type DeployScope,
  allow,
  claimsUntagged,
  clusterName,
  createsTagged,
  environmentRoles,
  inRegions,
  nameInfix,
  perRegion,
  regionalArn,
  taggedFor,
} from "./deploy-permissions-scope";
import { regionInfo } from "./regions";

const ELB = {
  loadBalancer: "loadbalancer/app/*",
  listener: "listener/app/*",
  rule: "listener-rule/app/*",
  targetGroup: "targetgroup/*",
} as const;
const elb = (scope: DeployScope, ...resources: ReadonlyArray<(typeof ELB)[keyof typeof ELB]>) =>
  resources.map((resource) => regionalArn(scope, "elasticloadbalancing", resource));

/** Load balancer, listeners, rules and target groups, all tagged for the environment. */
export function loadBalancingStatements(scope: DeployScope): PolicyStatement[] {
  const all = elb(scope, ELB.loadBalancer, ELB.listener, ELB.rule, ELB.targetGroup);
  return [
    allow(
      "ElbCreateTagged",
      ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      elb(scope, ELB.loadBalancer, ELB.targetGroup),
      createsTagged(scope),
    ),
    allow(
      "ElbListenersAndRulesOnTagged",
      ["elasticloadbalancing:CreateListener", "elasticloadbalancing:CreateRule"],
      elb(scope, ELB.loadBalancer, ELB.listener),
      taggedFor(scope),
    ),
    allow(
      "ElbManageTagged",
      [
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:DeleteRule",
        "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:RemoveTags",
      ],
      all,
      taggedFor(scope),
    ),
    // Tags given to a create call also need AddTags on the new resource, for that call only.
    allow("ElbTagOnCreate", ["elasticloadbalancing:AddTags"], all, {
      StringEquals: {
        "elasticloadbalancing:CreateAction": [
          "CreateLoadBalancer",
          "CreateTargetGroup",
          "CreateListener",
          "CreateRule",
        ],
        "aws:RequestedRegion": [...scope.regions],
      },
    }),
    // SetRulePriorities has no condition keys: account, regions and resource type are all AWS offers.
    allow("ElbRulePriorities", ["elasticloadbalancing:SetRulePriorities"], elb(scope, ELB.rule), inRegions(scope)),
  ];
}

/**
 * What the services' optional capabilities add (docs/ecs.md): the Service Connect namespaces (generated ids:
 * by tags; creating and tagging name no resource), and running a one-off task on one of the environment's
 * task definitions in one of its clusters, and watching it stop (scripts/run-task.ts, CI's migration step).
 */
export function capabilityStatements(scope: DeployScope): PolicyStatement[] {
  // Exact cluster ARNs: a condition value is compared as written (ArnEquals), not as an ARN pattern.
  const clusters = scope.regions.map(
    (region) => `arn:aws:ecs:${region}:${scope.account}:cluster/${clusterName(scope.environment, region)}`,
  );
  return [
    allow(
      "ServiceConnectNamespacesTagged",
      [
        "servicediscovery:GetNamespace",
        "servicediscovery:UpdateHttpNamespace",
        "servicediscovery:DeleteNamespace",
        "servicediscovery:GetOperation",
      ],
      regionalArn(scope, "servicediscovery", "namespace/*"),
      taggedFor(scope),
    ),
    // CreateHttpNamespace has no resource type: the request's tags (the provider's default tags, given on
    // create) scope it. TagResource/UntagResource are not granted: without a resource type they could re-tag
    // another environment's namespace; the tags never change after create.
    allow(
      "ServiceConnectNamespaceCreateNoResourceScope",
      ["servicediscovery:CreateHttpNamespace"],
      "*",
      createsTagged(scope),
    ),
    allow(
      "ServiceConnectNamespaceTagReadsNoResourceScope",
      ["servicediscovery:ListTagsForResource"],
      "*",
      inRegions(scope),
    ),
    allow(
      "EcsRunOneOffTasks",
      ["ecs:RunTask"],
      perRegion(
        scope,
        "ecs",
        (region) => `task-definition/helium-*${nameInfix(scope.environment)}-${regionInfo(region).short}:*`,
      ),
      { ArnEquals: { "ecs:cluster": clusters }, StringEquals: { "aws:RequestedRegion": [...scope.regions] } },
    ),
    allow(
      "EcsWatchOneOffTasks",
      ["ecs:DescribeTasks"],
      perRegion(scope, "ecs", (region) => `task/${clusterName(scope.environment, region)}/*`),
      inRegions(scope),
    ),
  ];
}

/** ECS clusters and services by name, task definitions by family and tags, their autoscaling, and roles. */
export function containerStatements(scope: DeployScope): PolicyStatement[] {
  const infix = nameInfix(scope.environment);
  const scalableTargets = regionalArn(scope, "application-autoscaling", "scalable-target/*");
  const taskDefinitions = perRegion(
    scope,
    "ecs",
    (region) => `task-definition/helium-*${infix}-${regionInfo(region).short}:*`,
  );
  return [
    allow(
      "EcsClustersAndServicesByName",
      [
        "ecs:CreateCluster",
        "ecs:DeleteCluster",
        "ecs:UpdateCluster",
        "ecs:PutClusterCapacityProviders",
        "ecs:DescribeClusters",
        "ecs:CreateService",
        "ecs:UpdateService",
        "ecs:DeleteService",
        "ecs:DescribeServices",
        "ecs:TagResource",
        "ecs:UntagResource",
      ],
      [
        ...perRegion(scope, "ecs", (region) => `cluster/${clusterName(scope.environment, region)}`),
        // ECS service names are unique per cluster, and each cluster belongs to one environment.
        ...perRegion(scope, "ecs", (region) => `service/${clusterName(scope.environment, region)}/*`),
      ],
      inRegions(scope),
    ),
    // Families are helium-<service>[-<env>]-<short>; production's bare names need the tag to tell them apart.
    allow("EcsTaskDefinitionsTagged", ["ecs:RegisterTaskDefinition"], taskDefinitions, createsTagged(scope)),
    allow("EcsTaskDefinitionTagOnCreate", ["ecs:TagResource"], taskDefinitions, {
      StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition", "aws:RequestedRegion": [...scope.regions] },
    }),
    // Scalable-target ARNs carry a generated id: tags tell the environment's apart. Registering is also how
    // an existing target is updated, hence in both statements.
    allow(
      "EcsServiceScalingTagged",
      [
        "application-autoscaling:RegisterScalableTarget",
        "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:PutScalingPolicy",
        "application-autoscaling:DeleteScalingPolicy",
        "application-autoscaling:TagResource",
      ],
      scalableTargets,
      taggedFor(scope),
    ),
    allow(
      "EcsServiceScalingCreate",
      ["application-autoscaling:RegisterScalableTarget", "application-autoscaling:TagResource"],
      scalableTargets,
      claimsUntagged(scope),
    ),
    allow(
      "ReadsAndTaskDefinitionRemovalHaveNoResourceScope",
      [
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeListenerCertificates",
        "ecs:DeregisterTaskDefinition",
        "ecs:DescribeTaskDefinition",
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DescribeScalingPolicies",
      ],
      "*",
      inRegions(scope),
    ),
    {
      Sid: "PassOnlyThisEnvironmentsRolesToTheirServices",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: environmentRoles(scope),
      Condition: {
        StringEquals: {
          "iam:PassedToService": [
            "ecs-tasks.amazonaws.com",
            "vpc-flow-logs.amazonaws.com",
            "grafana.amazonaws.com",
            // RDS Enhanced Monitoring's role (components/region/Database.ts).
            "monitoring.rds.amazonaws.com",
          ],
        },
      },
    },
    allow(
      "ThisEnvironmentsRoles",
      [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:PutRolePolicy",
        "iam:GetRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
      ],
      environmentRoles(scope),
    ),
  ];
}
