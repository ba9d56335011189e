/**
 * Rolling-deploy time and failover detection per service: `npm run report:deploy [-- <stack>] [--start-seconds <n>]`.
 *
 * Without a stack it reports Helium's DEFAULT_SERVICES; with `staging` or `production` it reports the
 * services as that stack's Pulumi.<stack>.yaml configures them. Each row puts the service's modelled time
 * (its own health check and deregistration delay) next to the same model with AWS's defaults. The formula
 * is lib/deploy-model.ts's, printed with the table. A second table gives each target group's failover
 * detection and the region's (lib/failover-model.ts): how long Global Accelerator keeps sending users to a
 * region whose tasks died.
 */
import { DEFAULT_SERVICES } from "../config/service-defaults";
import { type ServicesSpec, servicesSchema } from "../config/services";
import { parseStackConfig } from "../config/stack";
import {
  AWS_DEFAULTS,
  DEFAULT_TASK_START_SECONDS,
  DEPLOY_MODEL_FORMULA,
  type DeployModelResult,
  deployInputFromSpec,
  deployInputWithAwsDefaults,
  modelRollingDeploy,
} from "../lib/deploy-model";
import { FAILOVER_MODEL_FORMULA, type RegionDetection, regionDetection } from "../lib/failover-model";
import { textTable } from "../lib/text-table";
import { readStackFile } from "../offline/pulumi-yaml";

export interface DeployReportRow {
  readonly service: string;
  readonly desiredCount: number;
  readonly loadBalanced: boolean;
  readonly tuned: DeployModelResult;
  readonly awsDefaults: DeployModelResult;
}

/** One row per enabled service, in name order. */
export function deployReportRows(
  services: ServicesSpec,
  taskStartSeconds: number = DEFAULT_TASK_START_SECONDS,
): DeployReportRow[] {
  return Object.keys(services)
    .sort()
    .filter((name) => services[name].enabled)
    .map((name) => {
      const spec = services[name];
      const tunedInput = deployInputFromSpec(spec, taskStartSeconds);
      return {
        service: name,
        desiredCount: tunedInput.desiredCount,
        loadBalanced: tunedInput.healthCheck !== undefined,
        tuned: modelRollingDeploy(tunedInput),
        awsDefaults: modelRollingDeploy(deployInputWithAwsDefaults(spec, taskStartSeconds)),
      };
    });
}

const breakdown = (r: DeployModelResult) => `${r.batches}×(${r.startSeconds}+${r.healthySeconds}+${r.drainSeconds})`;

export function renderDeployReport(
  title: string,
  rows: readonly DeployReportRow[],
  taskStartSeconds: number = DEFAULT_TASK_START_SECONDS,
): string {
  const header = ["service", "tasks", "ALB", "modelled", "breakdown", "AWS defaults", "breakdown", "saved"];
  const body = rows.map((r) => [
    r.service,
    String(r.desiredCount),
    r.loadBalanced ? "yes" : "no",
    `${r.tuned.totalSeconds} s`,
    breakdown(r.tuned),
    `${r.awsDefaults.totalSeconds} s`,
    breakdown(r.awsDefaults),
    `${r.awsDefaults.totalSeconds - r.tuned.totalSeconds} s`,
  ]);
  return [
    `Rolling-deploy time model: ${title}`,
    "",
    DEPLOY_MODEL_FORMULA,
    `start = ${taskStartSeconds} s (assumed image pull + start); breakdown = batches×(start+healthy+drain)`,
    `AWS defaults: interval ${AWS_DEFAULTS.intervalSeconds} s, healthy threshold ${AWS_DEFAULTS.healthyThreshold}, deregistration delay ${AWS_DEFAULTS.deregistrationDelaySeconds} s (services without an ALB are unaffected)`,
    "",
    // Every column left-aligned, as the model's breakdowns read left to right.
    ...textTable(header, body, header.length),
  ].join("\n");
}

/** The failover-detection figures of the enabled services. */
export function failoverReport(services: ServicesSpec): RegionDetection {
  return regionDetection(Object.fromEntries(Object.entries(services).filter(([, spec]) => spec.enabled)));
}

const seconds = (value: number | undefined) => (value === undefined ? "-" : `${value} s`);

/** The failover table and the region's figures, as printed after the deploy table. */
export function renderFailoverReport(detection: RegionDetection): string {
  const header = ["service", "interval", "unhealthy", "detection", "healthy", "recovery"];
  const body = detection.services.map((r) => [
    r.service,
    `${r.intervalSeconds} s`,
    String(r.unhealthyThreshold),
    `${r.detectionSeconds} s`,
    String(r.healthyThreshold),
    `${r.recoverySeconds} s`,
  ]);
  const awsDefault = AWS_DEFAULTS.intervalSeconds * AWS_DEFAULTS.unhealthyThreshold;
  const summary =
    detection.regionDeadSeconds === undefined
      ? ["No load-balanced service: the region's ALB has no target group, and nothing here moves traffic."]
      : [
          `Whole region dead: pulled after ${seconds(detection.regionDeadSeconds)}, set by the fastest-failing target group (${detection.regionDeadSetBy.join(", ")}).`,
          `One service dead: the whole region is pulled after that service's detection; at most ${seconds(detection.slowestServiceSeconds)} (${detection.slowestServiceBy.join(", ")}).`,
          `AWS defaults (interval ${AWS_DEFAULTS.intervalSeconds} s × unhealthy threshold ${AWS_DEFAULTS.unhealthyThreshold}) would take ${awsDefault} s. Not included: up to one timeout for a hung target, and Global Accelerator's own reaction time (no documented figure). See docs/failover.md.`,
        ];
  return [
    "Failover detection (Global Accelerator, one ALB endpoint per region)",
    "",
    FAILOVER_MODEL_FORMULA,
    "",
    // Every column left-aligned, as the model's breakdowns read left to right.
    ...textTable(header, body, header.length),
    "",
    ...summary,
  ].join("\n");
}

function servicesFor(stack: string | undefined): { title: string; services: ServicesSpec } {
  if (stack === undefined)
    return { title: "DEFAULT_SERVICES (config/service-defaults.ts)", services: servicesSchema.parse(DEFAULT_SERVICES) };
  const parsed = parseStackConfig({ stack, config: readStackFile(stack).config });
  if (parsed.role !== "environment") {
    throw new Error(
      `report:deploy: stack "${stack}" runs no ECS services; use staging or production, or no stack for the defaults`,
    );
  }
  return { title: `stack ${stack} (Pulumi.${stack}.yaml)`, services: parsed.config.services };
}

function main(argv: readonly string[]): void {
  const startIndex = argv.indexOf("--start-seconds");
  const taskStartSeconds = startIndex >= 0 ? Number(argv[startIndex + 1]) : DEFAULT_TASK_START_SECONDS;
  if (!Number.isFinite(taskStartSeconds) || taskStartSeconds < 0) {
    throw new Error(
      `report:deploy: --start-seconds ${argv[startIndex + 1]} is not allowed; give a number of seconds ≥ 0`,
    );
  }
  const positional = argv.filter((a, i) => !a.startsWith("--") && argv[i - 1] !== "--start-seconds");
  const { title, services } = servicesFor(positional[0]);
  console.log(renderDeployReport(title, deployReportRows(services, taskStartSeconds), taskStartSeconds));
  console.log("");
  console.log(renderFailoverReport(failoverReport(services)));
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}
