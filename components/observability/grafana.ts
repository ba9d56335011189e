/**
 * Amazon Managed Grafana: one workspace per environment (AWS SSO sign-in, CloudWatch and X-Ray), with its
 * own read-only role. The workspace lives in one region that offers the service and reads every region of
 * the environment through that role.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type PolicyStatement, policyDocument, serviceTrustPolicy } from "../../lib/iam";
import { type ObservabilityScope, environmentResourceName, grafanaRoleName, grafanaRolePath } from "./names";

/**
 * Read-only monitoring permissions of the Grafana workspace role: CloudWatch metrics and alarms, the
 * environment's log groups, and X-Ray traces. No write action, no `*` action. `Resource: "*"` appears only
 * in the statement of actions that have no resource-level permissions (IAM Service Authorization Reference).
 */
export function grafanaReadPolicy(environment: string, account: pulumi.Input<string>): PolicyStatement[] {
  return [
    {
      Sid: "MetricsReadNoResourceLevelPermissions",
      Effect: "Allow",
      Action: [
        "cloudwatch:GetMetricData",
        "cloudwatch:GetMetricStatistics",
        "cloudwatch:ListMetrics",
        "cloudwatch:DescribeAlarmsForMetric",
        "logs:DescribeLogGroups",
        "logs:GetQueryResults",
        "logs:StopQuery",
        "ec2:DescribeRegions",
        "tag:GetResources",
        "xray:BatchGetTraces",
        "xray:GetServiceGraph",
        "xray:GetTraceGraph",
        "xray:GetTraceSummaries",
        "xray:GetTimeSeriesServiceStatistics",
        "xray:GetInsightSummaries",
        "xray:GetGroups",
      ],
      Resource: "*",
    },
    {
      Sid: "AlarmsRead",
      Effect: "Allow",
      Action: ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"],
      Resource: pulumi.interpolate`arn:aws:cloudwatch:*:${account}:alarm:*`,
    },
    {
      Sid: "EnvironmentLogsRead",
      Effect: "Allow",
      Action: ["logs:StartQuery", "logs:GetLogGroupFields", "logs:GetLogEvents", "logs:FilterLogEvents"],
      Resource: [
        pulumi.interpolate`arn:aws:logs:*:${account}:log-group:/helium/${environment}/*`,
        pulumi.interpolate`arn:aws:logs:*:${account}:log-group:/helium/${environment}/*:log-stream:*`,
      ],
    },
    {
      Sid: "TraceGroupsRead",
      Effect: "Allow",
      Action: ["xray:GetGroup"],
      Resource: pulumi.interpolate`arn:aws:xray:*:${account}:group/*`,
    },
  ];
}

/** What the rest of the component needs of the workspace. */
export interface GrafanaWorkspace {
  readonly workspace: aws.grafana.Workspace;
  readonly role: aws.iam.Role;
  readonly region: string;
}

/** The workspace and its read-only role, in `region`, watching `watchedRegions`. */
export function grafanaWorkspace(
  scope: ObservabilityScope,
  region: string,
  watchedRegions: readonly string[],
): GrafanaWorkspace {
  const env = scope.environment;
  const role = new aws.iam.Role(
    `${scope.name}-grafana-role`,
    {
      name: grafanaRoleName(env),
      path: grafanaRolePath(env),
      description: `Amazon Managed Grafana (Helium ${env}): read-only CloudWatch, logs and X-Ray`,
      assumeRolePolicy: serviceTrustPolicy("grafana.amazonaws.com", scope.account),
    },
    { parent: scope.parent },
  );
  const readPolicy = new aws.iam.RolePolicy(
    `${scope.name}-grafana-read`,
    { role: role.name, name: "monitoring-read-only", policy: policyDocument(grafanaReadPolicy(env, scope.account)) },
    { parent: scope.parent },
  );
  const workspace = new aws.grafana.Workspace(
    `${scope.name}-grafana`,
    {
      region,
      name: environmentResourceName(env),
      description: `Helium ${env}: CloudWatch metrics and X-Ray traces of ${watchedRegions.join(", ")}`,
      accountAccessType: "CURRENT_ACCOUNT",
      authenticationProviders: ["AWS_SSO"],
      // CUSTOMER_MANAGED: we bring the role (roleArn above). CreateWorkspace: "The ability for Amazon Managed
      // Grafana to create and update IAM roles on behalf of the user is supported only in the Amazon Managed
      // Grafana console, where this value may be set to SERVICE_MANAGED. Use only the CUSTOMER_MANAGED
      // permission type when creating a workspace with the API, CLI or CloudFormation."
      // https://docs.aws.amazon.com/grafana/latest/APIReference/API_CreateWorkspace.html (permissionType)
      permissionType: "CUSTOMER_MANAGED",
      dataSources: ["CLOUDWATCH", "XRAY"],
      roleArn: role.arn,
    },
    { parent: scope.parent, dependsOn: [readPolicy] },
  );
  return { workspace, role, region };
}
