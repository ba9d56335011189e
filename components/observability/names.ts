/**
 * Physical names of everything Observability creates, and the scope its modules build in. Names live in one
 * place so a reviewer can see that none of them depends on anything but the environment and the region.
 */
import type * as pulumi from "@pulumi/pulumi";
import { alarmName } from "../../lib/alarms";
import { iamRolePath, regionalName } from "../../lib/naming";
import { regionInfo } from "../../lib/regions";

/** What every module of the component needs: where children hang and what they are named after. */
export interface ObservabilityScope {
  /**
   * The Observability component. Every child takes it as its direct parent, so a child's URN is
   * `helium:index:Observability$<type>::<logical name>` whichever module built it.
   */
  readonly parent: pulumi.Resource;
  /** The component's name: the prefix of every child's logical name. */
  readonly name: string;
  readonly environment: string;
  /** This account's id, for policies pinned to it. */
  readonly account: pulumi.Output<string>;
}

/** `<component>-<region short>`: the logical-name prefix of a region's children. */
export function regionPrefix(scope: ObservabilityScope, region: string): string {
  return `${scope.name}-${regionInfo(region).short}`;
}

/** `helium-alerts[-<env>]-<region short>`. */
export function alertTopicName(environment: string, region: string): string {
  return regionalName(environment, region, "alerts", "snsTopic");
}

/** `helium-<thing>[-<env>]-<region short>`, e.g. `helium-backend-cpu-high-sg`. */
export function observabilityAlarmName(environment: string, region: string, thing: string): string {
  return alarmName(environment, region, thing);
}

/** `helium-<env>`: the CloudWatch dashboard, the Grafana workspace and dashboard, X-Ray rule and group. */
export function environmentResourceName(environment: string): string {
  return `helium-${environment}`;
}

/** `helium-grafana-<env>`: the Grafana workspace's role. */
export function grafanaRoleName(environment: string): string {
  return `helium-grafana-${environment}`;
}

/** `/helium/<env>/`: the environment's IAM path, so only its own deploy role may pass the role. */
export function grafanaRolePath(environment: string): string {
  return iamRolePath(environment);
}
