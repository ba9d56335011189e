/**
 * Deployments for the tests of the services' optional capabilities (Service Connect, capacity, one-off
 * tasks, ECS Exec): a HeliumRegion plus one HeliumService per service of a region model resolved from config
 * overrides, wired as stacks/environment.ts does, and the resources they registered.
 *
 * The shared helpers (Deployment, child, childrenOf, containersOf, specOf, rolePolicy) are ./fixtures.ts's.
 *
 * Import `../../harness/component` before this module (it installs the mocks).
 */
import * as assert from "node:assert/strict";
import type { RegionModel } from "../../../model/types/region";
import { TEST_ACCOUNT, environmentModel } from "../../fixtures/models";
import type { RecordedResource } from "../../../offline/types";
import { type Deployment, child, deploy as deployRegion } from "./fixtures";

export const ECS_SERVICE = "aws:ecs/service:Service";
export const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const ZONE_ID = "Z0123456789ABCDEFGHIJ";

/** Builds the region and its services from `model` (account TEST_ACCOUNT) and snapshots what they registered. */
export const deploy = (name: string, model: RegionModel): Promise<Deployment> =>
  deployRegion(name, model, { hostedZoneId: ZONE_ID }, TEST_ACCOUNT);

/** The staging-like region (Mumbai) of `helium:*` overrides, resolved by the real resolve step. */
export function stagingRegion(overrides: Record<string, unknown> = {}): RegionModel {
  return environmentModel(overrides).regions[0];
}

export const ofType = (d: Deployment, type: string): RecordedResource[] => d.recorded.filter((r) => r.type === type);

/** The service's own task definition (not its one-off ones). */
export const serviceTaskDefinition = (d: Deployment, service: string): RecordedResource =>
  child(d, service, TASK_DEFINITION, /-task-definition$/);

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
