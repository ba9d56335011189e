/**
 * Amazon Managed Grafana: one workspace per environment (AWS SSO sign-in, CloudWatch and X-Ray), with its
 * own read-only role. The workspace lives in one region that offers the service and reads every region of
 * the environment through that role.
 *
 * Usable on first login: admins come from config (IAM Identity Center ids, `grafana.adminUserIds` /
 * `adminGroupIds`), and, unless `grafana.provision` is false, the data sources and the Helium dashboard are
 * created as code through the workspace's own Grafana API (docs/grafana.md).
 *
 * The Grafana API is driven with `@pulumiverse/grafana`, the Pulumi bridge of Grafana's own Terraform
 * provider, kept by the pulumiverse community (Apache-2.0). `npm view @pulumiverse/grafana time` listed
 * 2.35.0-2.40.0 between 2026-07 and 2026-09-21 (2.40.0, the version package-lock.json holds); the registry mirror's
 * dates may be re-publish times, and the upstream repository shows regular upgrades to new
 * terraform-provider-grafana releases. Its plugin is fetched by the Pulumi CLI from GitHub releases
 * (`server: github://api.github.com/pulumiverse`); unit tests and the offline plan need none.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import type { AlertsModel, GrafanaModel } from "../../model/types/observability";
import {
  GRAFANA_DATA_SOURCE_TYPES,
  GRAFANA_TOKEN_SECONDS_TO_LIVE,
  grafanaDashboard,
  grafanaDataSourceName,
  grafanaDataSourceUid,
  grafanaTokenName,
} from "../../lib/grafana";
import { type PolicyStatement, permissionPolicy, serviceTrustPolicy } from "../../lib/iam";
import { XRAY_READ_ACTIONS } from "../../lib/iam-allowlists";
import { dashboardThresholds, resolveDashboardRegion } from "./dashboard";
import {
  type ObservabilityScope,
  environmentResourceName,
  grafanaRoleName,
  grafanaRolePath,
  regionPrefix,
} from "./names";
import type { ObservedRegion } from "./types";

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
        ...XRAY_READ_ACTIONS,
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
    {
      role: role.name,
      name: "monitoring-read-only",
      policy: permissionPolicy(`${scope.name}-grafana-read`, grafanaReadPolicy(env, scope.account)),
    },
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

/**
 * Grafana Admin for the configured IAM Identity Center users and groups (UpdatePermissions), so someone can
 * administer the workspace on first login. Nothing when neither list has an id.
 */
export function grafanaAdmins(scope: ObservabilityScope, ws: GrafanaWorkspace, settings: GrafanaModel): void {
  const { adminUserIds, adminGroupIds } = settings;
  if (adminUserIds.length === 0 && adminGroupIds.length === 0) return;
  new aws.grafana.RoleAssociation(
    `${scope.name}-grafana-admins`,
    {
      region: ws.region,
      workspaceId: ws.workspace.id,
      role: "ADMIN",
      ...(adminUserIds.length > 0 ? { userIds: [...adminUserIds] } : {}),
      ...(adminGroupIds.length > 0 ? { groupIds: [...adminGroupIds] } : {}),
    },
    { parent: scope.parent },
  );
}

/** What the provisioned data sources and dashboard show. */
export interface GrafanaContent {
  /** The environment's regions, home first: one CloudWatch and one X-Ray data source each. */
  readonly regions: readonly ObservedRegion[];
  readonly alerts: AlertsModel;
  /** X-Ray filter of the dashboard's trace panels (the environment's trace group filter). */
  readonly traceFilter: string;
  /** Picks the token's rotation window (lib/grafana.ts). */
  readonly now: Date;
}

/**
 * Data sources and the Helium dashboard, created through the workspace's Grafana API.
 *
 * Access: a workspace service account with the Grafana Admin role (creating data sources needs it), and a
 * token for it. The token is secret (the provider marks `auth` secret; the token's `key` output is marked
 * secret here too), lives 30 days (the API maximum) and is replaced by the first `pulumi up` of each 14-day
 * window (its name carries the window; a token cannot be updated, so any change replaces it), so it never
 * expires under a stack that is deployed at least every 16 days, and a later `pulumi up` heals an expired
 * one. See lib/grafana.ts.
 */
export function grafanaProvisioning(
  scope: ObservabilityScope,
  ws: GrafanaWorkspace,
  content: GrafanaContent,
): grafana.Provider {
  const serviceAccount = new aws.grafana.WorkspaceServiceAccount(
    `${scope.name}-grafana-provisioner`,
    { region: ws.region, workspaceId: ws.workspace.id, name: "pulumi-provisioner", grafanaRole: "ADMIN" },
    { parent: scope.parent },
  );
  const token = new aws.grafana.WorkspaceServiceAccountToken(
    `${scope.name}-grafana-provisioner-token`,
    {
      region: ws.region,
      workspaceId: ws.workspace.id,
      serviceAccountId: serviceAccount.serviceAccountId,
      name: grafanaTokenName(content.now),
      secondsToLive: GRAFANA_TOKEN_SECONDS_TO_LIVE,
    },
    { parent: scope.parent, additionalSecretOutputs: ["key"] },
  );
  // The workspace endpoint has no scheme (`g-….grafana-workspace.<region>.amazonaws.com`).
  const provider = new grafana.Provider(
    `${scope.name}-grafana`,
    { url: pulumi.interpolate`https://${ws.workspace.endpoint}`, auth: pulumi.secret(token.key) },
    { parent: scope.parent },
  );
  // Names and uids are fixed (the dashboard refers to the uids), and Grafana rejects a second data source
  // of the same name: a replacement must delete first, or it would fail (or delete what it just made).
  const onGrafana: pulumi.CustomResourceOptions = { parent: scope.parent, provider, deleteBeforeReplace: true };

  const dataSources = content.regions.flatMap((observed, index) => {
    const region = observed.region.region;
    return (["cloudwatch", "xray"] as const).map(
      (kind) =>
        new grafana.oss.DataSource(
          `${regionPrefix(scope, region)}-grafana-${kind}`,
          {
            type: GRAFANA_DATA_SOURCE_TYPES[kind],
            name: grafanaDataSourceName(kind, region),
            uid: grafanaDataSourceUid(kind, region),
            // The home region's CloudWatch is what a new panel starts with.
            isDefault: kind === "cloudwatch" && index === 0,
            // The workspace's IAM role (the read-only role above), in this region.
            jsonDataEncoded: JSON.stringify({ authType: "ec2_iam_role", defaultRegion: region }),
          },
          onGrafana,
        ),
    );
  });

  const { alerts } = content;
  new grafana.oss.Dashboard(
    `${scope.name}-grafana-dashboard`,
    {
      configJson: pulumi
        .all(content.regions.map(resolveDashboardRegion))
        .apply((resolved) =>
          JSON.stringify(
            grafanaDashboard(
              scope.environment,
              resolved,
              dashboardThresholds(alerts),
              alerts.periodSeconds,
              content.traceFilter,
            ),
          ),
        ),
      // The dashboard is code: a copy edited in the UI is replaced on the next `pulumi up`.
      overwrite: true,
      message: "Provisioned by Pulumi (Helium Observability)",
    },
    { ...onGrafana, dependsOn: dataSources },
  );
  return provider;
}
