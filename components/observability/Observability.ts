/**
 * Observability: one environment's alerting, dashboard, Managed Grafana workspace and X-Ray settings
 * (the Helium seed's sections 6 and 10, plus what operators need beyond them). One module per concern:
 *
 * - topics.ts: an encrypted alert topic per region, with e-mail subscriptions;
 * - alarms.ts: per service, CPU and memory with recovery notices and running tasks below the minimum; per
 *   target group, unhealthy targets, no healthy target and p95 latency; per region, the ALB's target 5xx
 *   rate and its own 5xx, DLQ, queue age and Redis; per HTTP API (entry apiGateway, api-alarms.ts), 5xx
 *   rate, p95 latency and throttled requests. Every alarm sends an OK notice when it clears;
 *   CPU and memory send the seed's "back under 60 %" notice as alarms of their own;
 * - dashboard.ts: one CloudWatch dashboard in the home region covering every region;
 * - grafana.ts: the Managed Grafana workspace, its read-only role, admins from config, and (unless
 *   `grafana.provision` is false) its data sources and the Helium dashboard as code;
 * - tracing.ts: the X-Ray sampling rule and group of every region;
 * - validation.ts: the checks on the arguments, run before anything is registered.
 *
 * Every child is created by a module function with this component as its direct parent, so URNs are the
 * same as when all of it lived in one constructor.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../../lib/input-error";
import { type RegionAlarmContext, regionAlarms, serviceAlarms } from "./alarms";
import { apiAlarms } from "./api-alarms";
import { cloudWatchDashboard } from "./dashboard";
import { grafanaAdmins, grafanaProvisioning, grafanaWorkspace } from "./grafana";
import type { ObservabilityScope } from "./names";
import { alertTopic } from "./topics";
import { regionTracing, traceFilterExpression } from "./tracing";
import type { ObservabilityArgs, RegionAlerting } from "./types";
import { grafanaWorkspaceRegion, observabilityProblems } from "./validation";

export type {
  ObservabilityArgs,
  ObservabilityGrafanaSettings,
  ObservedApi,
  ObservedRegion,
  ObservedRegionResources,
  ObservedService,
  RegionAlerting,
} from "./types";
export { observabilityProblems } from "./validation";
export { SAMPLING_RULE_PRIORITY } from "./tracing";
export { grafanaReadPolicy } from "./grafana";
export { alertTopicPolicy } from "./topics";
export { grafanaRoleName } from "./names";

/** One environment's observability. See the module comment for what it creates and why. */
export class Observability extends pulumi.ComponentResource {
  /** Alert topic and alarms per region code. */
  readonly regions: Readonly<Record<string, RegionAlerting>>;
  readonly dashboardName: pulumi.Output<string>;
  /** Region of the dashboard (the home region). */
  readonly dashboardRegion: string;
  readonly grafanaWorkspaceId?: pulumi.Output<string>;
  readonly grafanaWorkspaceEndpoint?: pulumi.Output<string>;
  /** `https://<workspace endpoint>`: where people sign in (docs/grafana.md). */
  readonly grafanaUrl?: pulumi.Output<string>;
  readonly grafanaRoleArn?: pulumi.Output<string>;
  /** Region of the Grafana workspace, when enabled. */
  readonly grafanaRegion?: string;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super(): bad input must not register even the component itself.
    const problems = observabilityProblems(args);
    if (problems.length > 0) throw new InputError(`Observability ${name}`, problems);
    super("helium:index:Observability", name, {}, opts);

    const scope: ObservabilityScope = {
      parent: this,
      name,
      environment: args.environment,
      account: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
    };
    const { alerts } = args;

    const regions: Record<string, RegionAlerting> = {};
    for (const observed of args.regions) {
      const resources = observed.region;
      const region = resources.region;
      const topicArn = alertTopic(scope, region, resources.kmsKeyArn, alerts.emails);
      const context: RegionAlarmContext = { scope, region, alerts, topicArn, alarms: {} };
      for (const service of observed.services ?? []) serviceAlarms(context, resources, service);
      regionAlarms(context, resources);
      if (observed.api !== undefined) apiAlarms(context, observed.api);
      regions[region] = { topicArn, alarms: context.alarms };
    }
    this.regions = regions;

    const home = args.regions[0].region.region;
    this.dashboardName = cloudWatchDashboard(scope, home, args.regions, alerts);
    this.dashboardRegion = home;

    const placement = grafanaWorkspaceRegion(args);
    if ("region" in placement && placement.region !== undefined) {
      const grafana = grafanaWorkspace(
        scope,
        placement.region,
        args.regions.map((o) => o.region.region),
      );
      grafanaAdmins(scope, grafana, args.grafana);
      if (args.grafana.provision) {
        grafanaProvisioning(scope, grafana, {
          regions: args.regions,
          alerts,
          traceFilter: traceFilterExpression(args.environment, args.tracing),
          now: args.now ?? new Date(),
        });
      }
      this.grafanaWorkspaceId = grafana.workspace.id;
      this.grafanaWorkspaceEndpoint = grafana.workspace.endpoint;
      this.grafanaUrl = pulumi.interpolate`https://${grafana.workspace.endpoint}`;
      this.grafanaRoleArn = grafana.role.arn;
      this.grafanaRegion = grafana.region;
    }

    for (const observed of args.regions) regionTracing(scope, observed.region.region, args.tracing);

    this.registerOutputs({
      topicArns: Object.fromEntries(Object.entries(regions).map(([code, r]) => [code, r.topicArn])),
      dashboardName: this.dashboardName,
      grafanaWorkspaceEndpoint: this.grafanaWorkspaceEndpoint,
      grafanaUrl: this.grafanaUrl,
    });
  }
}
