/**
 * HeliumService deployments shared by the service tests: a HeliumRegion plus one HeliumService per service of
 * its model, wired as stacks/environment.ts does. The production deployment is built once per mocha process.
 *
 * Import `../../harness/component` before this module (it installs the mocks).
 */
import { descendantsOf, oneOf, policyDocument, recorder, settle } from "../../harness/component";
import * as assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import { HeliumRegion, type HeliumRegionArgs } from "../../../components/region/HeliumRegion";
import { HeliumService } from "../../../components/service/HeliumService";
import type { RegionModel } from "../../../model/types/region";
import type { ServiceModel } from "../../../model/types/service";
import { environmentModel } from "../../fixtures/models";
import type { RecordedResource } from "../../../offline/types";
import { ACCOUNT, ZONE_ID } from "../region/fixtures";

export const SERVICE = "helium:index:HeliumService";

export interface Deployment {
  readonly region: HeliumRegion;
  readonly name: string;
  readonly model: RegionModel;
  readonly services: Record<string, HeliumService>;
  readonly recorded: readonly RecordedResource[];
  /** Resource options of every child, by logical name (the mocks do not see options such as ignoreChanges). */
  readonly childOptions: Map<string, pulumi.ResourceOptions>;
}

/** Builds the region and its services and snapshots what they registered. */
export async function deploy(
  name: string,
  model: RegionModel,
  extra: Partial<HeliumRegionArgs> = {},
  account: string = ACCOUNT,
): Promise<Deployment> {
  recorder.reset();
  const region = new HeliumRegion(name, { model, account, hostedZoneId: ZONE_ID, ...extra });
  const childOptions = new Map<string, pulumi.ResourceOptions>();
  const capture: pulumi.ResourceTransformation = ({ name: child, opts }) => {
    childOptions.set(child, opts);
    return undefined;
  };
  const services: Record<string, HeliumService> = {};
  for (const service of model.services) {
    services[service.name] = new HeliumService(
      `${name}-${service.name}`,
      { model: service, foundation: region, account },
      { parent: region, transformations: [capture] },
    );
  }
  await settle();
  return { region, name, model, services, recorded: [...recorder.resources], childOptions };
}

/**
 * Helium's services plus two configured ones, in production Singapore:
 *  - admin: host + path routing (ReptiDex style)
 *  - plain: read-only root filesystem and X-Ray turned off, no queue, no cache: needs no task permissions
 */
const EXTRA_SERVICES = {
  admin: {
    repository: "helium-frontend",
    port: 9000,
    routes: [{ hostHeaders: ["admin.he2.site"], pathPatterns: ["/app/*"] }],
    healthCheck: { path: "/health" },
    cpu: 256,
    memory: 512,
  },
  plain: {
    repository: "helium-backend",
    command: ["python", "run_cron.py"],
    readonlyRootFilesystem: false,
    xray: false,
  },
};

let production: Promise<Deployment> | undefined;

/** The production deployment (logical names `unit-…`), built on first use. */
export function productionDeployment(): Promise<Deployment> {
  production ??= deploy(
    "unit",
    environmentModel(
      { production: true, regions: [{ region: "ap-southeast-1" }], services: EXTRA_SERVICES },
      { stack: "production" },
    ).regions[0],
  );
  return production;
}

export function specOf(d: Pick<Deployment, "model">, service: string): ServiceModel {
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

export interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly portMappings?: Array<Record<string, unknown>>;
  readonly environment: Array<{ name: string; value: string }>;
  readonly secrets?: Array<{ name: string; valueFrom: string }>;
  readonly readonlyRootFilesystem: boolean;
  readonly stopTimeout?: number;
  readonly dependsOn?: unknown;
  readonly logConfiguration: { logDriver: string; options: Record<string, string> };
}

export function containersOf(taskDefinition: RecordedResource): ContainerDefinition[] {
  return JSON.parse(String(taskDefinition.inputs.containerDefinitions)) as ContainerDefinition[];
}

export function containers(d: Deployment, service: string): ContainerDefinition[] {
  return containersOf(child(d, service, "aws:ecs/taskDefinition:TaskDefinition"));
}

export const rolePolicy = (d: Deployment, service: string, kind: "exec" | "task") =>
  policyDocument(child(d, service, "aws:iam/rolePolicy:RolePolicy", new RegExp(`-${kind}-policy$`)).inputs.policy);
