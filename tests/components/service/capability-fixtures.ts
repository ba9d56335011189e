/**
 * Deployments for the tests of the services' optional capabilities (Service Connect, capacity, one-off
 * tasks, ECS Exec): a HeliumRegion plus one HeliumService per service of a region model resolved from config
 * overrides, wired as stacks/environment.ts does, and the resources they registered.
 *
 * Import `../../harness/component` before this module (it installs the mocks).
 */
import { descendantsOf, oneOf, policyDocument, recorder, settle } from "../../harness/component";
import * as assert from "node:assert/strict";
import { HeliumRegion } from "../../../components/region/HeliumRegion";
import { HeliumService } from "../../../components/service/HeliumService";
import type { RegionModel } from "../../../model/types/region";
import type { ServiceModel } from "../../../model/types/service";
import { TEST_ACCOUNT, environmentModel } from "../../fixtures/models";
import type { RecordedResource } from "../../../offline/types";

export const SERVICE = "helium:index:HeliumService";
export const ECS_SERVICE = "aws:ecs/service:Service";
export const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const ZONE_ID = "Z0123456789ABCDEFGHIJ";

export interface Deployment {
  readonly name: string;
  readonly model: RegionModel;
  readonly region: HeliumRegion;
  readonly services: Record<string, HeliumService>;
  readonly recorded: readonly RecordedResource[];
}

/** Builds the region and its services from `model` and snapshots what they registered. */
export async function deploy(name: string, model: RegionModel): Promise<Deployment> {
  recorder.reset();
  const region = new HeliumRegion(name, { model, account: TEST_ACCOUNT, hostedZoneId: ZONE_ID });
  const services: Record<string, HeliumService> = {};
  for (const service of model.services) {
    services[service.name] = new HeliumService(
      `${name}-${service.name}`,
      { model: service, foundation: region, account: TEST_ACCOUNT },
      { parent: region },
    );
  }
  await settle();
  return { name, model, region, services, recorded: [...recorder.resources] };
}

/** The staging-like region (Mumbai) of `helium:*` overrides, resolved by the real resolve step. */
export function stagingRegion(overrides: Record<string, unknown> = {}): RegionModel {
  return environmentModel(overrides).regions[0];
}

export function serviceOf(d: Pick<Deployment, "model">, service: string): ServiceModel {
  const found = d.model.services.find((s) => s.name === service);
  assert.ok(found, `no service ${service}`);
  return found;
}

/** Everything registered under one service's component. */
export const childrenOf = (d: Deployment, service: string): RecordedResource[] =>
  descendantsOf(oneOf(SERVICE, new RegExp(`^${d.name}-${service}$`), d.recorded).urn, d.recorded);

/** The single child of one service of `type` whose name matches. */
export const child = (d: Deployment, service: string, type: string, name?: RegExp): RecordedResource =>
  oneOf(type, name, childrenOf(d, service));

export const ofType = (d: Deployment, type: string): RecordedResource[] => d.recorded.filter((r) => r.type === type);

export interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly portMappings?: Array<Record<string, unknown>>;
  readonly environment: Array<{ name: string; value: string }>;
  readonly secrets?: Array<{ name: string; valueFrom: string }>;
  readonly stopTimeout?: number;
  readonly dependsOn?: unknown;
  readonly logConfiguration: { logDriver: string; options: Record<string, string> };
}

export function containersOf(taskDefinition: RecordedResource): ContainerDefinition[] {
  return JSON.parse(String(taskDefinition.inputs.containerDefinitions)) as ContainerDefinition[];
}

/** The service's own task definition (not its one-off ones). */
export const serviceTaskDefinition = (d: Deployment, service: string): RecordedResource =>
  child(d, service, TASK_DEFINITION, /-task-definition$/);

export const taskRolePolicy = (d: Deployment, service: string) =>
  policyDocument(child(d, service, "aws:iam/rolePolicy:RolePolicy", /-task-policy$/).inputs.policy);

/** Every statement action of a policy document, flattened. */
export function actionsOf(document: { Statement: Array<Record<string, unknown>> }): string[] {
  return document.Statement.flatMap((s): unknown[] =>
    Array.isArray(s.Action) ? (s.Action as unknown[]) : [s.Action],
  ).map((a) => String(a));
}

/** Runs `build`, expecting an InputError; returns its message. */
export function inputErrorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    assert.equal((error as Error).name, "InputError", String(error));
    return (error as Error).message;
  }
  assert.fail("expected an InputError");
}
