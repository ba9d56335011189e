/**
 * What a `pulumi up` of an application environment (staging, production) needs, and no more: the deploy
 * role that GitHub Actions assumes gets exactly these statements.
 *
 * - Mutating actions are scoped to this account, the environment's regions and Helium's name prefixes
 *   (`helium-*`, `/helium/*`, `helium/*`) wherever the service supports resource-level permissions.
 * - `Resource: "*"` appears only for actions that AWS does not scope to resources (Describe/List calls,
 *   create calls whose ARN does not exist yet such as kms:CreateKey) — each group says so.
 * - Grouped by concern into separate customer-managed policies, because one managed policy holds at most
 *   6,144 characters.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "./iam";
import { type Environment, iamRolePath } from "./naming";

export interface DeployScope {
  /** The environment the role deploys: it may manage and pass only roles under that environment's IAM path. */
  readonly environment: Environment;
  readonly account: string;
  readonly regions: readonly string[];
  /** Route 53 hosted zone the environment writes records in. */
  readonly hostedZoneId: string;
}

export type DeployPolicyGroup = "network" | "compute" | "data" | "edge" | "observability";

/** ECR push rights for the pipeline that builds images: the home-region repositories only. */
export function imagePushStatements(repositoryArns: readonly pulumi.Input<string>[]): PolicyStatement[] {
  return [
    {
      Sid: "PushToHeliumRepositories",
      Effect: "Allow",
      Action: [
        "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
        "ecr:PutImage", "ecr:BatchGetImage", "ecr:DescribeImages",
      ],
      Resource: [...repositoryArns],
    },
    { Sid: "RegistryLoginHasNoResourceScope", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
  ];
}

const inRegions = (scope: DeployScope, service: string, resource: string) =>
  scope.regions.map((region) => `arn:aws:${service}:${region}:${scope.account}:${resource}`);

/** Every role the environment's program creates lives under its IAM path (lib/naming.ts iamRolePath). */
const environmentRoles = (scope: DeployScope) => `arn:aws:iam::${scope.account}:role${iamRolePath(scope.environment)}*`;

const requestedRegions = (scope: DeployScope) => ({ StringEquals: { "aws:RequestedRegion": [...scope.regions] } });

/** The deploy statements per policy group. */
export function deployPolicyStatements(scope: DeployScope): Record<DeployPolicyGroup, PolicyStatement[]> {
  return {
    network: [
      {
        Sid: "Ec2NetworkInEnvironmentRegions",
        Effect: "Allow",
        Action: [
          "ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute",
          "ec2:CreateInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway", "ec2:DeleteInternetGateway",
          "ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:CreateNatGateway", "ec2:DeleteNatGateway",
          "ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute",
          "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup",
          "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
          "ec2:ModifySecurityGroupRules", "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
          "ec2:CreateVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:ModifyVpcEndpoint", "ec2:CreateFlowLogs", "ec2:DeleteFlowLogs",
          "ec2:CreateTags", "ec2:DeleteTags",
        ],
        Resource: inRegions(scope, "ec2", "*"),
      },
      {
        Sid: "Ec2ReadsHaveNoResourceScope",
        Effect: "Allow",
        Action: [
          "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeSubnets", "ec2:DescribeInternetGateways", "ec2:DescribeAddresses",
          "ec2:DescribeAddressesAttribute", "ec2:DescribeNatGateways", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups",
          "ec2:DescribeSecurityGroupRules", "ec2:DescribeVpcEndpoints", "ec2:DescribeFlowLogs", "ec2:DescribeAvailabilityZones",
          "ec2:DescribeNetworkInterfaces", "ec2:DescribePrefixLists", "ec2:DescribeAccountAttributes", "ec2:DescribeTags",
        ],
        Resource: "*",
        Condition: requestedRegions(scope),
      },
    ],
    compute: [
      {
        Sid: "LoadBalancing",
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes",
          "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets", "elasticloadbalancing:CreateListener",
          "elasticloadbalancing:DeleteListener", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:CreateRule",
          "elasticloadbalancing:DeleteRule", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
          "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:ModifyTargetGroup",
          "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
        ],
        Resource: inRegions(scope, "elasticloadbalancing", "*"),
      },
      {
        Sid: "EcsClustersAndServices",
        Effect: "Allow",
        Action: [
          "ecs:CreateCluster", "ecs:DeleteCluster", "ecs:UpdateCluster", "ecs:PutClusterCapacityProviders", "ecs:DescribeClusters",
          "ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService", "ecs:DescribeServices", "ecs:TagResource", "ecs:UntagResource",
          "application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget",
          "application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy", "application-autoscaling:TagResource",
        ],
        Resource: [...inRegions(scope, "ecs", "*"), ...inRegions(scope, "application-autoscaling", "scalable-target/*")],
      },
      {
        Sid: "ReadsAndTaskDefinitionsHaveNoResourceScope",
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags",
          "elasticloadbalancing:DescribeListenerCertificates", "ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition",
          "ecs:DescribeTaskDefinition", "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies",
        ],
        Resource: "*",
        Condition: requestedRegions(scope),
      },
      {
        Sid: "PassOnlyThisEnvironmentsRolesToTheirServices",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: environmentRoles(scope),
        Condition: { StringEquals: { "iam:PassedToService": ["ecs-tasks.amazonaws.com", "vpc-flow-logs.amazonaws.com", "grafana.amazonaws.com"] } },
      },
      {
        Sid: "ThisEnvironmentsRoles",
        Effect: "Allow",
        Action: [
          "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole",
          "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
          "iam:ListInstanceProfilesForRole",
        ],
        Resource: environmentRoles(scope),
      },
    ],
    data: [
      {
        Sid: "QueuesCacheSecrets",
        Effect: "Allow",
        Action: [
          "sqs:CreateQueue", "sqs:DeleteQueue", "sqs:SetQueueAttributes", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:TagQueue",
          "sqs:UntagQueue", "sqs:ListQueueTags", "elasticache:CreateReplicationGroup", "elasticache:ModifyReplicationGroup",
          "elasticache:DeleteReplicationGroup", "elasticache:DescribeReplicationGroups", "elasticache:CreateCacheSubnetGroup",
          "elasticache:ModifyCacheSubnetGroup", "elasticache:DeleteCacheSubnetGroup", "elasticache:DescribeCacheSubnetGroups",
          "elasticache:DescribeCacheClusters", "elasticache:AddTagsToResource", "elasticache:RemoveTagsFromResource", "elasticache:ListTagsForResource",
          "secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue",
          "secretsmanager:GetSecretValue", "secretsmanager:UpdateSecret", "secretsmanager:TagResource", "secretsmanager:GetResourcePolicy",
        ],
        Resource: [
          ...inRegions(scope, "sqs", "helium-*"),
          ...inRegions(scope, "elasticache", "*"),
          ...inRegions(scope, "secretsmanager", "secret:helium/*"),
        ],
      },
      {
        Sid: "HeliumBuckets",
        Effect: "Allow",
        Action: [
          "s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketAcl", "s3:GetBucketTagging", "s3:PutBucketTagging",
          "s3:GetBucketVersioning", "s3:PutBucketVersioning", "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration",
          "s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock", "s3:GetBucketOwnershipControls", "s3:PutBucketOwnershipControls",
          "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:GetBucketCORS", "s3:PutBucketCORS",
          "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration",
        ],
        Resource: "arn:aws:s3:::helium-*",
      },
      {
        Sid: "RegionKeys",
        Effect: "Allow",
        Action: [
          "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation", "kms:ScheduleKeyDeletion",
          "kms:TagResource", "kms:ListResourceTags", "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias", "kms:CreateGrant",
          "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey",
        ],
        Resource: [...inRegions(scope, "kms", "key/*"), ...inRegions(scope, "kms", "alias/helium-*")],
      },
      {
        Sid: "KeyCreationHasNoResourceScope",
        Effect: "Allow",
        Action: ["kms:CreateKey", "kms:ListAliases"],
        Resource: "*",
        Condition: requestedRegions(scope),
      },
    ],
    edge: [
      {
        Sid: "CertificatesAndRecords",
        Effect: "Allow",
        Action: [
          "acm:DeleteCertificate", "acm:DescribeCertificate", "acm:AddTagsToCertificate", "acm:ListTagsForCertificate", "acm:RemoveTagsFromCertificate",
          "route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:GetHostedZone", "route53:GetChange",
        ],
        Resource: [...inRegions(scope, "acm", "certificate/*"), `arn:aws:route53:::hostedzone/${scope.hostedZoneId}`, "arn:aws:route53:::change/*"],
      },
      {
        Sid: "Accelerator",
        Effect: "Allow",
        Action: [
          "globalaccelerator:UpdateAccelerator", "globalaccelerator:DeleteAccelerator", "globalaccelerator:DescribeAccelerator",
          "globalaccelerator:UpdateAcceleratorAttributes", "globalaccelerator:DescribeAcceleratorAttributes", "globalaccelerator:CreateListener",
          "globalaccelerator:UpdateListener", "globalaccelerator:DeleteListener", "globalaccelerator:DescribeListener",
          "globalaccelerator:CreateEndpointGroup", "globalaccelerator:UpdateEndpointGroup", "globalaccelerator:DeleteEndpointGroup",
          "globalaccelerator:DescribeEndpointGroup", "globalaccelerator:TagResource", "globalaccelerator:UntagResource",
          "globalaccelerator:ListTagsForResource",
        ],
        Resource: `arn:aws:globalaccelerator::${scope.account}:accelerator/*`,
      },
      {
        Sid: "CreateCallsWithoutResourceScope",
        Effect: "Allow",
        Action: ["acm:RequestCertificate", "acm:ListCertificates", "globalaccelerator:CreateAccelerator", "route53:ListHostedZones", "sts:GetCallerIdentity"],
        Resource: "*",
      },
    ],
    observability: [
      {
        Sid: "AlarmsTopicsLogsTracing",
        Effect: "Allow",
        Action: [
          "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:TagResource", "cloudwatch:ListTagsForResource",
          "cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards", "cloudwatch:GetDashboard",
          "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:AssociateKmsKey", "logs:DisassociateKmsKey",
          "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource",
          "sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe",
          "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:TagResource", "sns:ListTagsForResource",
          "xray:CreateSamplingRule", "xray:UpdateSamplingRule", "xray:DeleteSamplingRule", "xray:CreateGroup", "xray:UpdateGroup",
          "xray:DeleteGroup", "xray:GetGroup", "xray:TagResource",
          "grafana:DescribeWorkspace", "grafana:UpdateWorkspace", "grafana:DeleteWorkspace", "grafana:UpdateWorkspaceAuthentication",
          "grafana:DescribeWorkspaceAuthentication", "grafana:TagResource",
        ],
        Resource: [
          ...inRegions(scope, "cloudwatch", "alarm:helium-*"),
          `arn:aws:cloudwatch::${scope.account}:dashboard/helium-*`,
          ...inRegions(scope, "logs", "log-group:/helium/*"),
          ...inRegions(scope, "sns", "helium-*"),
          ...inRegions(scope, "xray", "*"),
          ...inRegions(scope, "grafana", "/workspaces/*"),
        ],
      },
      {
        Sid: "ReadsAndWorkspaceCreationHaveNoResourceScope",
        Effect: "Allow",
        Action: ["logs:DescribeLogGroups", "xray:GetSamplingRules", "grafana:CreateWorkspace", "sso:DescribeRegisteredRegions", "sso:CreateManagedApplicationInstance", "sso:GetSharedSsoConfiguration"],
        Resource: "*",
        Condition: requestedRegions(scope),
      },
    ],
  };
}

/** Characters IAM counts against a managed policy's 6,144 limit (whitespace is not counted). */
export function policySize(document: string): number {
  return document.replace(/\s/g, "").length;
}
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;
