/**
 * Inputs for Observability tests: region foundations and services as plain structural values (what
 * HeliumRegion and HeliumService expose), so these tests do not depend on how those components build them,
 * and resolved settings as the resolve step hands them over (schema defaults applied).
 *
 * Import the harness (tests/harness/component) before this module in a test file.
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type {
  ObservabilityArgs,
  ObservedRegionResources,
  ObservedService,
} from "../../../components/observability/Observability";
import { alertsSchema, grafanaSchema, tracingSchema } from "../../../config/observability";
import { regionInfo } from "../../../lib/regions";

export const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
export const TOPIC = "aws:sns/topic:Topic";
export const EMAILS = ["ops@he2.site", "oncall@he2.site"];

/** The environment part of a name: `""` in production, `-<env>` elsewhere (the seed's naming). */
const infix = (environment: string) => (environment === "production" ? "" : `-${environment}`);

/** `helium-<region name>[-<env>]-cluster`, as HeliumRegion names its cluster. */
export function clusterNameOf(environment: string, region: string): string {
  return `helium-${regionInfo(region).name}${infix(environment)}-cluster`;
}

/** `helium-<service>[-<env>]-service`, as HeliumService names its ECS service. */
export function serviceNameOf(environment: string, service: string): string {
  return `helium-${service}${infix(environment)}-service`;
}

/**
 * A region's foundation as HeliumRegion exposes it. Identifiers are Outputs (as HeliumRegion's are), so the
 * component's Output handling is exercised; their values are what AWS would return.
 */
export function foundation(environment: string, region: string): ObservedRegionResources {
  const short = regionInfo(region).short;
  return {
    region,
    kmsKeyArn: pulumi.output(`arn:aws:kms:${region}:123456789012:key/0000aaaa-${short}`),
    albArnSuffix: pulumi.output(`app/helium-alb${infix(environment)}-${short}/50dc6c495c0c9188`),
    clusterName: pulumi.output(clusterNameOf(environment, region)),
    queueName: pulumi.output(`helium-work${infix(environment)}-${short}`),
    dlqName: pulumi.output(`helium-work-dlq${infix(environment)}-${short}`),
    redisReplicationGroupId: pulumi.output(`helium-redis${infix(environment)}-${short}`),
  };
}

/** `targetgroup/<name>/<id>` of a balanced service, as HeliumService exposes it. */
export function targetGroupSuffix(service: string, region: string): string {
  return `targetgroup/helium-${service}-${regionInfo(region).short}/0123456789abcdef`;
}

/** The default services' scaling minimums (config/service-defaults.ts): backend 2, worker 1, frontend 2. */
export const MIN_TASKS = { backend: 2, worker: 1, frontend: 2 } as const;

/** Backend and frontend behind the ALB, the worker not: as HeliumService exposes them. */
export function services(environment: string, region: string): ObservedService[] {
  const cluster = clusterNameOf(environment, region);
  const name = (service: string) => serviceNameOf(environment, service);
  return [
    {
      name: "backend",
      serviceName: pulumi.output(name("backend")),
      clusterName: pulumi.output(cluster),
      targetGroupArnSuffix: pulumi.output(targetGroupSuffix("backend", region)),
      minTasks: MIN_TASKS.backend,
    },
    {
      name: "worker",
      serviceName: pulumi.output(name("worker")),
      clusterName: pulumi.output(cluster),
      minTasks: MIN_TASKS.worker,
    },
    {
      name: "frontend",
      serviceName: pulumi.output(name("frontend")),
      clusterName: pulumi.output(cluster),
      targetGroupArnSuffix: pulumi.output(targetGroupSuffix("frontend", region)),
      minTasks: MIN_TASKS.frontend,
    },
  ];
}

/** Settings as config hands them over: the given keys, everything else defaulted by the schemas. */
export function settings(
  input: {
    alerts?: z.input<typeof alertsSchema>;
    grafana?: z.input<typeof grafanaSchema>;
    tracing?: z.input<typeof tracingSchema>;
  } = {},
): Pick<ObservabilityArgs, "alerts" | "grafana" | "tracing"> {
  return {
    alerts: alertsSchema.parse(input.alerts ?? {}),
    grafana: grafanaSchema.parse(input.grafana ?? {}),
    tracing: tracingSchema.parse(input.tracing ?? {}),
  };
}

/** An environment over the given regions, each with the default services. */
export function environmentArgs(
  environment: string,
  regions: readonly string[],
  input: Parameters<typeof settings>[0] = {},
): ObservabilityArgs {
  return {
    environment,
    regions: regions.map((region) => ({
      region: foundation(environment, region),
      services: services(environment, region),
    })),
    ...settings(input),
  };
}
