/**
 * Reviewed allow-lists for the IAM policies. Changing a list is a security review: add the entry, the
 * reason, and the source (the AWS Service Authorization Reference page for the action).
 */

/** X-Ray reads of Managed Grafana's role (components/observability/grafana.ts): no resource-level permissions. */
export const XRAY_READ_ACTIONS: readonly string[] = [
  "xray:BatchGetTraces",
  "xray:GetServiceGraph",
  "xray:GetTraceGraph",
  "xray:GetTraceSummaries",
  "xray:GetTimeSeriesServiceStatistics",
  "xray:GetInsightSummaries",
  "xray:GetGroups",
];

/**
 * What grafana:CreateWorkspace calls for IAM Identity Center authentication, then the Identity Center lookups
 * grafana:UpdatePermissions makes (AWSGrafanaWorkspacePermissionManagementV2); none has a resource scope.
 */
export const GRAFANA_IDENTITY_CENTER_ACTIONS: readonly string[] = [
  "sso:DescribeRegisteredRegions", // required by grafana:CreateWorkspace for IAM Identity Center auth
  "sso:CreateManagedApplicationInstance",
  "sso:GetSharedSsoConfiguration",
  // Identity Center lookups grafana:UpdatePermissions makes (AWSGrafanaWorkspacePermissionManagementV2).
  "sso:ListDirectoryAssociations",
  "sso:GetManagedApplicationInstance",
  "sso:ListProfiles",
  "sso:GetProfile",
  "sso:ListProfileAssociations",
  "sso-directory:DescribeUser",
  "sso-directory:DescribeGroup",
];

/**
 * What API Gateway calls, with the caller's permissions, to set up an HTTP API stage's access logs to CloudWatch
 * Logs: the log delivery and the account's Logs resource policy that lets it write
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html). Neither has a
 * resource type (Service Authorization Reference, CloudWatch Logs).
 */
export const API_ACCESS_LOG_DELIVERY_ACTIONS: readonly string[] = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
];

/**
 * Actions that support no resource-level permissions, so `"Resource": "*"` is the only possible form.
 * tests/lib/deploy-permissions-iam-data.test.ts checks every entry against AWS's IAM data (the Service
 * Authorization Reference): an entry must have no resource type there, or be listed with its reason in
 * {@link RESOURCE_LEVEL_EXCEPTIONS}. A wildcard entry stands for every action it matches, each checked.
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS: readonly string[] = [
  "ecr:GetAuthorizationToken", // registry-wide login token
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
  "cloudwatch:PutMetricData", // scoped with the cloudwatch:namespace condition instead
  "cloudwatch:GetMetricData",
  "cloudwatch:ListMetrics",
  "cloudwatch:DescribeAlarmsForMetric",
  "logs:DescribeLogGroups",
  // Read-only monitoring (Managed Grafana's role).
  "cloudwatch:GetMetricStatistics",
  "logs:GetQueryResults",
  "logs:StopQuery",
  ...XRAY_READ_ACTIONS,
  // The EC2 describes the program's roles use; not `ec2:Describe*`, which includes describes that AWS
  // scopes to resources (DescribeVpcAttribute, DescribeInstanceAttribute, …).
  "ec2:DescribeAccountAttributes",
  "ec2:DescribeAddresses",
  "ec2:DescribeAddressesAttribute",
  "ec2:DescribeAvailabilityZones",
  "ec2:DescribeFlowLogs",
  "ec2:DescribeInternetGateways",
  "ec2:DescribeNatGateways",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribePrefixLists",
  "ec2:DescribeRegions",
  "ec2:DescribeRouteTables",
  "ec2:DescribeSecurityGroupRules",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets",
  "ec2:DescribeTags",
  "ec2:DescribeVpcEndpoints",
  "ec2:DescribeVpcs",
  "ecs:DescribeTaskDefinition",
  "ecs:DeregisterTaskDefinition",
  "ecs:ListClusters",
  "elasticloadbalancing:Describe*", // every ELB describe is resource-less
  "application-autoscaling:Describe*",
  "sts:GetCallerIdentity",
  "tag:GetResources",
  "ssmmessages:CreateControlChannel", // ECS Exec
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
  // Service Connect namespaces (deploy roles): creating one and reading its tags name no resource.
  "servicediscovery:CreateHttpNamespace",
  "servicediscovery:ListTagsForResource",
  // Create/list actions of the per-environment deploy roles: a resource that does not exist yet (or a
  // list over all of them) cannot be named, so AWS authorizes these against "*".
  "kms:CreateKey",
  "kms:ListAliases",
  "acm:RequestCertificate",
  "acm:ListCertificates",
  "globalaccelerator:CreateAccelerator",
  "route53:ListHostedZones",
  "route53:CreateHealthCheck", // the API Gateway entry's regional health checks
  // HTTP API access logs: API Gateway creates the log delivery, and the account's CloudWatch Logs resource
  // policy that lets it write, with the caller's permissions (apigateway/latest/developerguide/http-api-logging.html).
  ...API_ACCESS_LOG_DELIVERY_ACTIONS,
  "grafana:CreateWorkspace",
  ...GRAFANA_IDENTITY_CENTER_ACTIONS,
];

/**
 * Entries of {@link ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS} for which AWS does define a resource type,
 * with the reason each stays. The test fails when an exception is no longer one (the data changed).
 * - `optional`: every resource type of the action is optional, and the calls we make name none of them;
 *   such a request is authorized against "*".
 * - `pending`: a resource type is required, so "*" is wrong; kept only until the named policy scopes it.
 */
export const RESOURCE_LEVEL_EXCEPTIONS: Readonly<
  Record<string, { readonly kind: "optional" | "pending"; readonly reason: string }>
> = {
  "cloudwatch:PutMetricData": {
    kind: "optional",
    reason: "only the optional resource type dataset; metrics themselves have no ARN",
  },
  "cloudwatch:GetMetricData": {
    kind: "optional",
    reason: "only the optional resource type dataset; metrics themselves have no ARN",
  },
  "cloudwatch:ListMetrics": {
    kind: "optional",
    reason: "only the optional resource type dataset; metrics themselves have no ARN",
  },
  "logs:GetQueryResults": {
    kind: "pending",
    reason:
      "requires log-group; components/Observability.ts grafanaReadPolicy grants it on * and should move it to its log-group statement",
  },
};

/** AWS-managed policies we accept, each narrow and owned by the service that needs it. */
export const ALLOWED_AWS_MANAGED_POLICIES: readonly string[] = [
  "service-role/AmazonECSTaskExecutionRolePolicy", // ECR pull + awslogs for the execution role only
  "AWSXRayDaemonWriteAccess", // X-Ray daemon sidecar: the write actions above, nothing else
];

/** Service principals a role in this program may trust. */
export const ALLOWED_SERVICE_PRINCIPALS: readonly string[] = [
  "ecs-tasks.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
  "grafana.amazonaws.com",
  "application-autoscaling.amazonaws.com",
  "monitoring.rds.amazonaws.com",
  "s3.amazonaws.com", // S3 replication
  "logs.amazonaws.com",
];

/** The GitHub Actions OIDC issuer host; trust on it must pin audience and a repo/branch subject. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";
