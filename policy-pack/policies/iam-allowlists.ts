/**
 * Reviewed allow-lists for the IAM policies. Changing a list is a security review: add the entry, the
 * reason, and the source (the AWS Service Authorization Reference page for the action).
 */

/**
 * Actions that support no resource-level permissions, so `"Resource": "*"` is the only possible form.
 * Each was checked against the "Resource types" column of the Service Authorization Reference.
 * Wildcards here are limited to read-only `Describe*`/`List*` families that are all resource-less.
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
  // Read-only monitoring (Managed Grafana's role): the Resource types column is empty for each.
  "cloudwatch:GetMetricStatistics",
  "logs:GetQueryResults",
  "logs:StopQuery",
  "xray:BatchGetTraces",
  "xray:GetServiceGraph",
  "xray:GetTraceGraph",
  "xray:GetTraceSummaries",
  "xray:GetTimeSeriesServiceStatistics",
  "xray:GetInsightSummaries",
  "xray:GetGroups",
  "ec2:Describe*", // read-only describes have no resource-level permissions
  "ecs:DescribeTaskDefinition",
  "ecs:RegisterTaskDefinition",
  "ecs:DeregisterTaskDefinition",
  "ecs:ListClusters",
  "elasticloadbalancing:Describe*",
  "application-autoscaling:Describe*",
  "sts:GetCallerIdentity",
  "tag:GetResources",
  "ssmmessages:CreateControlChannel", // ECS Exec
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
  // Create/list actions of the per-environment deploy roles: a resource that does not exist yet (or a
  // list over all of them) cannot be named, so AWS authorizes these against "*".
  "kms:CreateKey",
  "kms:ListAliases",
  "acm:RequestCertificate",
  "acm:ListCertificates",
  "globalaccelerator:CreateAccelerator",
  "route53:ListHostedZones",
  "grafana:CreateWorkspace",
  "sso:DescribeRegisteredRegions", // required by grafana:CreateWorkspace for IAM Identity Center auth
  "sso:CreateManagedApplicationInstance",
  "sso:GetSharedSsoConfiguration",
];

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
