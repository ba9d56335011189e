/**
 * In-process harness for component unit tests. Importing this module installs the recording mocks, so it
 * must be the FIRST import of a test file (before any component), as Pulumi's unit-testing guide requires.
 *
 *   import { recorder, settle, resourcesOfType } from "../harness/component";
 *   import { HeliumRegion } from "../../components/HeliumRegion";
 *
 * Mocha loads every test file into one process, so the recorder is shared: call `recorder.reset()` in a
 * `beforeEach` and `await settle()` after constructing components, then assert on the recorded resources.
 */
import type * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../../offline/mocks";
import { waitForRpcs } from "../../offline/runtime-adapter";
import type { RecordedResource } from "../../offline/types";

const installed = installMocks({ stack: "unit", config: { "aws:region": "ap-south-1" } });
export const recorder = installed.recorder;

/** Waits until every pending registration and apply has finished. */
export async function settle(): Promise<void> {
  await waitForRpcs();
}

/** The value of an Output, for assertions. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

export function resourcesOfType(
  type: string,
  resources: readonly RecordedResource[] = recorder.resources,
): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

/** The single resource of a type whose logical name matches; fails loudly when there are none or several. */
export function oneOf(
  type: string,
  namePattern: RegExp = /.*/,
  resources: readonly RecordedResource[] = recorder.resources,
): RecordedResource {
  const matches = resources.filter((r) => r.type === type && namePattern.test(r.name));
  if (matches.length !== 1) {
    throw new Error(
      `expected one ${type} named ${namePattern}, found ${matches.length}: ${matches.map((m) => m.name).join(", ")}`,
    );
  }
  return matches[0];
}

/** Children (direct and indirect) of the resource with this URN. */
export function descendantsOf(
  urn: string,
  resources: readonly RecordedResource[] = recorder.resources,
): RecordedResource[] {
  const result: RecordedResource[] = [];
  const frontier = [urn];
  while (frontier.length > 0) {
    const current = frontier.pop() as string;
    for (const r of resources) {
      if (r.parent === current) {
        result.push(r);
        frontier.push(r.urn);
      }
    }
  }
  return result;
}

/** Parses an IAM policy document given as JSON text or object. */
export function policyDocument(value: unknown): { Version?: string; Statement: Array<Record<string, unknown>> } {
  return (typeof value === "string" ? JSON.parse(value) : value) as {
    Version?: string;
    Statement: Array<Record<string, unknown>>;
  };
}
