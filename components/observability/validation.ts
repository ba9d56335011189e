/**
 * The checks Observability runs on its arguments before it registers anything. Pure: arguments in, every
 * problem out, so one failed run names all of them. The config step runs the same schemas
 * (config/observability.ts), so a stack never reaches this point with bad settings; a component constructed
 * directly (a test, another program) still cannot create alarms AWS would reject.
 */
import type { z } from "zod";
import {
  MANAGED_GRAFANA_REGIONS,
  alertsSchema,
  grafanaRegionFor,
  grafanaSchema,
  tracingSchema,
} from "../../config/observability";
import { environmentName } from "../../config/primitives";
import { problemsFromZod } from "../../config/read";
import { type Problem, keyPath } from "../../lib/input-error";
import { awsNameError } from "../../lib/naming";
import { KNOWN_REGION_CODES, REGIONS, isKnownRegion } from "../../lib/regions";
import { grafanaRoleName } from "./names";
import type { ObservabilityArgs } from "./types";

/** Service names are part of alarm names (≤ 255 characters) and logical names; kept short and plain. */
const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** zod's problems for one settings section, keyed as the argument is written (`alerts.cpu.thresholdPercent`). */
function sectionProblems(section: string, schema: z.ZodType, value: unknown): Problem[] {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return [];
  return problemsFromZod(result.error, value, (path) =>
    keyPath(section, ...path.map((p) => (typeof p === "number" ? p : String(p)))),
  );
}

/**
 * Where the Grafana workspace goes: `grafana.workspaceRegion` when the resolve step chose it, else the
 * config rule (`grafana.region`, else the first environment region that offers Managed Grafana).
 * Undefined when Grafana is disabled.
 */
export function grafanaWorkspaceRegion(args: ObservabilityArgs): { region?: string } | { error: string } {
  if (!args.grafana.enabled) return {};
  if (args.grafana.workspaceRegion !== undefined) return { region: args.grafana.workspaceRegion };
  return grafanaRegionFor(
    args.grafana,
    args.regions.map((r) => r.region.region),
  );
}

/** Every problem with the arguments; empty when the component can be built. */
export function observabilityProblems(args: ObservabilityArgs): Problem[] {
  const problems: Problem[] = [];
  // Environments are data: any well-formed name is accepted, none is checked against a list.
  if (!environmentName.safeParse(args.environment).success) {
    problems.push({
      key: "environment",
      value: args.environment,
      allowed:
        "an environment name: 1-20 lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen",
    });
  } else {
    const roleError = awsNameError("iamRole", grafanaRoleName(args.environment));
    if (roleError !== undefined) problems.push({ key: "environment", value: args.environment, allowed: roleError });
  }

  if (args.regions.length === 0) {
    problems.push({
      key: "regions",
      value: [],
      allowed: "at least one region, the home region first (it holds the dashboard)",
    });
  }
  const codes = args.regions.map((r) => r.region.region);
  codes.forEach((code, i) => {
    if (!isKnownRegion(code)) {
      problems.push({
        key: keyPath("regions", i, "region", "region"),
        value: code,
        allowed: `a known AWS region: ${KNOWN_REGION_CODES.join(", ")} (add one in lib/regions.ts)`,
      });
    } else if (codes.indexOf(code) !== i) {
      problems.push({
        key: keyPath("regions", i, "region", "region"),
        value: code,
        allowed: `a region not listed before (regions[${codes.indexOf(code)}] is ${code}); each region is listed once`,
      });
    }
  });
  args.regions.forEach((r, i) => {
    const database = r.region.database;
    if (database !== undefined) {
      const { cpuPercent, freeStorageBytes, connections } = database.alarms;
      const at = (field: string) => keyPath("regions", i, "region", "database", "alarms", field);
      if (!(cpuPercent >= 0 && cpuPercent <= 100))
        problems.push({ key: at("cpuPercent"), value: cpuPercent, allowed: "a percentage in 0-100" });
      if (!(freeStorageBytes > 0))
        problems.push({ key: at("freeStorageBytes"), value: freeStorageBytes, allowed: "a number of bytes above 0" });
      if (!(Number.isInteger(connections) && connections >= 1))
        problems.push({
          key: at("connections"),
          value: connections,
          allowed: "a whole number of connections, 1 or more",
        });
    }
    (r.services ?? []).forEach((s, j) => {
      if (s.minTasks !== undefined && !(Number.isInteger(s.minTasks) && s.minTasks >= 0)) {
        problems.push({
          key: keyPath("regions", i, "services", j, "minTasks"),
          value: s.minTasks,
          allowed: "a whole number of tasks, 0 or more (the service's scaling minimum)",
        });
      }
    });
    const threshold = r.api?.throttledRequestsThreshold;
    if (threshold !== undefined && !(Number.isInteger(threshold) && threshold >= 0)) {
      problems.push({
        key: keyPath("regions", i, "api", "throttledRequestsThreshold"),
        value: threshold,
        allowed: "a whole number of requests, 0 or more",
      });
    }
    const names = (r.services ?? []).map((s) => s.name);
    names.forEach((service, j) => {
      const key = keyPath("regions", i, "services", j, "name");
      if (!SERVICE_NAME_PATTERN.test(service)) {
        problems.push({
          key,
          value: service,
          allowed: "1-32 lower-case letters, digits and hyphens, starting with a letter (it is part of alarm names)",
        });
      } else if (names.indexOf(service) !== j) {
        problems.push({
          key,
          value: service,
          allowed: `a service not listed before in ${r.region.region} (services[${names.indexOf(service)}]); each service is watched once per region`,
        });
      }
    });
  });

  // The same schemas as the config step: ranges, recovery below threshold, alarm windows, e-mail addresses.
  problems.push(...sectionProblems("alerts", alertsSchema, args.alerts));
  // workspaceRegion is the resolve step's addition, not a config key: checked here, not by the schema.
  const { workspaceRegion, ...grafana } = args.grafana;
  const grafanaProblems = sectionProblems("grafana", grafanaSchema, grafana);
  problems.push(...grafanaProblems);
  problems.push(...sectionProblems("tracing", tracingSchema, args.tracing));

  if (args.grafana.enabled && grafanaProblems.length === 0) {
    if (workspaceRegion !== undefined && REGIONS.get(workspaceRegion)?.managedGrafana !== true) {
      problems.push({
        key: "grafana.workspaceRegion",
        value: workspaceRegion,
        allowed: `a region that offers Amazon Managed Grafana: ${MANAGED_GRAFANA_REGIONS.join(", ")}`,
      });
    } else if (workspaceRegion === undefined && codes.length > 0) {
      const placement = grafanaWorkspaceRegion(args);
      if ("error" in placement) {
        problems.push({ key: "grafana.region", value: args.grafana.region, allowed: placement.error });
      }
    }
  }
  return problems;
}
