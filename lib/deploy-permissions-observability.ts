/**
 * Observability of a deploy role: alarms, the dashboard, log groups, alert topics and X-Ray by their fixed
 * names (lib/naming.ts), and the Managed Grafana workspace (generated id: scoped by tags).
 */
import type { PolicyStatement } from "./iam";
import { API_ACCESS_LOG_DELIVERY_ACTIONS, GRAFANA_IDENTITY_CENTER_ACTIONS } from "./iam-allowlists";
import {
  type DeployScope,
  accountArn,
  allow,
  claimsUntagged,
  createsTagged,
  environmentPath,
  inRegions,
  nameInfix,
  perRegion,
  regionalArn,
  regionalName,
  taggedFor,
} from "./deploy-permissions-scope";
import { regionInfo } from "./regions";

export function observabilityStatements(scope: DeployScope): PolicyStatement[] {
  const env = scope.environment;
  const grafana = regionalArn(scope, "grafana", "/workspaces/*");
  return [
    allow(
      "AlarmsAndDashboardByName",
      [
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:TagResource",
        "cloudwatch:ListTagsForResource",
        "cloudwatch:PutDashboard",
        "cloudwatch:DeleteDashboards",
        "cloudwatch:GetDashboard",
      ],
      [
        // Alarm names are helium-<what>[-<env>]-<short> (lib/alarms.ts): open-ended per service.
        ...perRegion(scope, "cloudwatch", (region) => `alarm:helium-*${nameInfix(env)}-${regionInfo(region).short}`),
        accountArn(scope, "cloudwatch", `dashboard/helium-${env}`),
      ],
      inRegions(scope),
    ),
    allow(
      "LogGroupsUnderTheEnvironmentPath",
      [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:AssociateKmsKey",
        "logs:DisassociateKmsKey",
        "logs:TagResource",
        "logs:UntagResource",
        "logs:ListTagsForResource",
        // The API Gateway entry's throttled-requests filter on its access logs (RegionalHttpApi).
        "logs:PutMetricFilter",
        "logs:DeleteMetricFilter",
        "logs:DescribeMetricFilters",
      ],
      regionalArn(scope, "logs", `log-group:${environmentPath(env)}*`),
      inRegions(scope),
    ),
    allow(
      "AlertTopicsByName",
      [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:GetTopicAttributes",
        "sns:SetTopicAttributes",
        "sns:Subscribe",
        "sns:Unsubscribe",
        "sns:GetSubscriptionAttributes",
        "sns:SetSubscriptionAttributes",
        "sns:TagResource",
        "sns:ListTagsForResource",
      ],
      // The topic, and its subscriptions (<topic ARN>:<id>).
      perRegion(scope, "sns", (region) => `${regionalName(env, region, "alerts")}*`),
      inRegions(scope),
    ),
    allow(
      "TracingByName",
      [
        "xray:CreateSamplingRule",
        "xray:UpdateSamplingRule",
        "xray:DeleteSamplingRule",
        "xray:CreateGroup",
        "xray:UpdateGroup",
        "xray:DeleteGroup",
        "xray:GetGroup",
        "xray:TagResource",
      ],
      [regionalArn(scope, "xray", `sampling-rule/helium-${env}`), regionalArn(scope, "xray", `group/helium-${env}/*`)],
      inRegions(scope),
    ),
    allow(
      "GrafanaWorkspaceTagged",
      [
        "grafana:DescribeWorkspace",
        "grafana:UpdateWorkspace",
        "grafana:DeleteWorkspace",
        "grafana:UpdateWorkspaceAuthentication",
        "grafana:DescribeWorkspaceAuthentication",
        "grafana:TagResource",
        // Provisioning (components/observability/grafana.ts): the service account and token Pulumi uses to
        // reach the workspace's Grafana API, and the admins' role association.
        "grafana:CreateWorkspaceServiceAccount",
        "grafana:DeleteWorkspaceServiceAccount",
        "grafana:ListWorkspaceServiceAccounts",
        "grafana:CreateWorkspaceServiceAccountToken",
        "grafana:DeleteWorkspaceServiceAccountToken",
        "grafana:ListWorkspaceServiceAccountTokens",
        "grafana:UpdatePermissions",
        "grafana:ListPermissions",
      ],
      grafana,
      taggedFor(scope),
    ),
    // API Gateway sets up an HTTP API stage's access logs to CloudWatch Logs with the caller's permissions
    // ("Configure logging for HTTP APIs", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html);
    // log deliveries and the account's Logs resource policy have no resource type (Service Authorization
    // Reference, CloudWatch Logs: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html).
    allow("ApiAccessLogDeliveryNoResourceScope", [...API_ACCESS_LOG_DELIVERY_ACTIONS], "*", inRegions(scope)),
    allow("GrafanaWorkspaceTagOnCreate", ["grafana:TagResource"], grafana, claimsUntagged(scope)),
    allow("GrafanaCreationHasNoResourceScope", ["grafana:CreateWorkspace"], "*", createsTagged(scope)),
    allow(
      "ReadsAndSsoSetupHaveNoResourceScope",
      ["logs:DescribeLogGroups", "xray:GetSamplingRules", ...GRAFANA_IDENTITY_CENTER_ACTIONS],
      "*",
      inRegions(scope),
    ),
  ];
}
