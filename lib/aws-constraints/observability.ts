/**
 * X-Ray and Managed Grafana constraints on values that come from config. Sources:
 * https://docs.aws.amazon.com/xray/latest/api/API_SamplingRule.html, API_CreateGroup.html (botocore
 * `xray/2016-04-12` SamplingRule, GroupName) and
 * https://docs.aws.amazon.com/grafana/latest/APIReference/API_CreateWorkspace.html (botocore
 * `grafana/2020-08-18` WorkspaceName, Description).
 */
import { awsNameAllowed } from "../aws-name-rules";
import type { Problem } from "../input-error";
import { integerInRange, lengthInRange, numberInRange } from "./ranges";

/** The config-controlled fields of an X-Ray sampling rule. */
export interface SamplingRuleSettings {
  /** Share of requests traced after the reservoir, 0-1. */
  readonly fixedRate: number;
  /** Requests per second always traced, an integer ≥ 0. */
  readonly reservoirSize: number;
  /** Rule priority, 1-9999 (lower is evaluated first). */
  readonly priority?: number;
  /** Matched service name, at most 64 characters (`*` and `?` wildcards). */
  readonly serviceName?: string;
  /** Matched service type, at most 64 characters. */
  readonly serviceType?: string;
  /** Matched host, at most 64 characters. */
  readonly host?: string;
  /** Matched HTTP method, at most 10 characters. */
  readonly httpMethod?: string;
  /** Matched URL path, at most 128 characters. */
  readonly urlPath?: string;
  /** Matched resource ARN, at most 500 characters. */
  readonly resourceArn?: string;
}

/**
 * A sampling rule's ranges (botocore SamplingRule): FixedRate 0-1, ReservoirSize ≥ 0, Priority 1-9999,
 * ServiceName/ServiceType/Host ≤ 64, HTTPMethod ≤ 10, URLPath ≤ 128, ResourceARN ≤ 500. Keys are the field names.
 */
export function xraySamplingRuleProblems(rule: SamplingRuleSettings): Problem[] {
  const checks: ReadonlyArray<readonly [keyof SamplingRuleSettings, string | undefined]> = [
    ["fixedRate", numberInRange(rule.fixedRate, 0, 1)],
    ["reservoirSize", integerInRange(rule.reservoirSize, 0, Number.MAX_SAFE_INTEGER) && "an integer ≥ 0"],
    ["priority", rule.priority === undefined ? undefined : integerInRange(rule.priority, 1, 9999)],
    ["serviceName", rule.serviceName === undefined ? undefined : lengthInRange(rule.serviceName, 0, 64)],
    ["serviceType", rule.serviceType === undefined ? undefined : lengthInRange(rule.serviceType, 0, 64)],
    ["host", rule.host === undefined ? undefined : lengthInRange(rule.host, 0, 64)],
    ["httpMethod", rule.httpMethod === undefined ? undefined : lengthInRange(rule.httpMethod, 0, 10)],
    ["urlPath", rule.urlPath === undefined ? undefined : lengthInRange(rule.urlPath, 0, 128)],
    ["resourceArn", rule.resourceArn === undefined ? undefined : lengthInRange(rule.resourceArn, 0, 500)],
  ];
  return checks.flatMap(([key, allowed]) => (allowed === undefined ? [] : [{ key, value: rule[key], allowed }]));
}

/** An X-Ray group name: 1-32 characters, not `Default` (see lib/aws-name-catalog.ts `xrayGroup`). */
export function xrayGroupNameProblem(name: string): string | undefined {
  return awsNameAllowed("xrayGroup", name);
}

/** An X-Ray sampling rule name: 1-32 characters, not `Default` (see lib/aws-name-catalog.ts `xraySamplingRule`). */
export function xraySamplingRuleNameProblem(name: string): string | undefined {
  return awsNameAllowed("xraySamplingRule", name);
}

/** A Managed Grafana workspace name: `[a-zA-Z0-9-._~]{1,255}` (botocore WorkspaceName). */
export function grafanaWorkspaceNameProblem(name: string): string | undefined {
  return awsNameAllowed("grafanaWorkspace", name);
}

/** A Managed Grafana workspace description: at most 2,048 characters (botocore Description). */
export function grafanaWorkspaceDescriptionProblem(description: string): string | undefined {
  return lengthInRange(description, 0, 2048);
}
