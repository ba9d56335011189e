import { recorder } from "../../harness/component";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { regionModel } from "../../fixtures/models";
import type { RecordedResource } from "../../../offline/types";
import { type BuiltRegion, buildRegion, productionModel } from "./fixtures";

/**
 * The harness does not record aliases (tests/harness/mocks.ts reads parent, protect and dependencies only).
 * This file wraps the mock monitor's registerResource for the duration of its own builds to read each
 * request's structured aliases, and restores it afterwards. Nothing else is changed or recorded.
 */
interface AliasSpecMessage {
  getName(): string;
  getType(): string;
  getParenturn(): string;
  getNoparent(): boolean;
}
interface AliasMessage {
  getUrn(): string;
  hasSpec(): boolean;
  getSpec(): AliasSpecMessage | undefined;
}
interface RequestWithAliases {
  getType(): string;
  getName(): string;
  getAliasesList(): AliasMessage[];
}
interface MonitorWithRegister {
  registerResource: (req: RequestWithAliases, callback: unknown) => unknown;
}

interface SeenAlias {
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  readonly parentUrn: string;
  readonly noParent: boolean;
}

const aliases = new Map<string, SeenAlias[]>();
const keyOf = (type: string, name: string) => `${type}::${name}`;
const aliasesOf = (r: RecordedResource): SeenAlias[] => aliases.get(keyOf(r.type, r.name)) ?? [];

const SUB_COMPONENTS = [
  "helium:region:Network",
  "helium:region:SecurityGroups",
  "helium:region:LoadBalancer",
  "helium:region:DataStores",
];

describe("HeliumRegion's sub-components keep their children's URNs (aliases)", function () {
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorWithRegister;
  let original: MonitorWithRegister["registerResource"];
  let prod: BuiltRegion;
  /** Named as in stacks/environment.ts, so logical names match the committed URN baseline. */
  let staging: BuiltRegion;

  before(async () => {
    original = monitor.registerResource;
    monitor.registerResource = (req, callback) => {
      aliases.set(
        keyOf(req.getType(), req.getName()),
        req.getAliasesList().map((a) => {
          const spec = a.getSpec();
          return {
            urn: a.getUrn(),
            name: spec?.getName() ?? "",
            type: spec?.getType() ?? "",
            parentUrn: spec?.getParenturn() ?? "",
            noParent: spec?.getNoparent() ?? false,
          };
        }),
      );
      return original.call(monitor, req, callback);
    };
    prod = await buildRegion("alias-sg", productionModel());
    staging = await buildRegion("staging-mumbai", regionModel());
  });

  after(() => {
    monitor.registerResource = original;
  });

  beforeEach(() => recorder.reset());

  it("gives every child of Network, SecurityGroups, LoadBalancer and DataStores one alias: the HeliumRegion as parent", () => {
    for (const built of [prod, staging]) {
      const subComponents = built.resources.filter((r) => SUB_COMPONENTS.includes(r.type));
      assert.deepEqual(subComponents.map((c) => c.type).sort(), [...SUB_COMPONENTS].sort());
      for (const component of subComponents) {
        assert.equal(component.parent, built.record.urn);
        const children = built.resources.filter((r) => r.parent === component.urn);
        assert.ok(children.length > 0, `${component.name} has children`);
        for (const child of children) {
          // @pulumi/aws declares its own type aliases on some classes (e.g. BucketLifecycleConfigurationV2 →
          // BucketLifecycleConfiguration); they rename the type in place and are not ours.
          const ours = aliasesOf(child).filter((a) => !(a.type !== "" && a.parentUrn === component.urn));
          assert.deepEqual(
            ours,
            [{ urn: "", name: "", type: "", parentUrn: built.record.urn, noParent: false }],
            `${child.type} ${child.name}`,
          );
        }
      }
    }
  });

  it("gives the sub-components themselves and the HeliumRegion's own children no alias (they did not move)", () => {
    const direct = prod.resources.filter((r) => r.parent === prod.record.urn);
    assert.ok(direct.length > SUB_COMPONENTS.length);
    for (const r of direct)
      assert.deepEqual(
        aliasesOf(r).filter((a) => a.type === ""),
        [],
        `${r.type} ${r.name}`,
      );
  });

  it("keeps every pre-restructure child address of the staging region, except the shared task group's", () => {
    // The resource each child stood for before the restructure: itself if it is still a direct child of the
    // HeliumRegion, else the direct child its alias names.
    const kept = new Set<string>();
    for (const r of staging.resources) {
      if (r.parent === staging.record.urn) kept.add(keyOf(r.type, r.name));
      if (aliasesOf(r).some((a) => a.parentUrn === staging.record.urn)) kept.add(keyOf(r.type, r.name));
    }
    const baseline = readFileSync(path.join(__dirname, "../../fixtures/urns/staging.txt"), "utf8")
      .split("\n")
      .map((line) => /helium:index:HeliumRegion\$([^$]+)$/.exec(line)?.[1])
      .filter((entry): entry is string => entry !== undefined)
      // The services are the region's children too, but stacks/environment.ts builds them, not HeliumRegion.
      .filter((entry) => !entry.startsWith("helium:index:HeliumService::"));
    assert.ok(baseline.length > 60, "the baseline lists the staging region's children");
    // One shared task group (and its rules) became one group per service: these are replaced, by design.
    const rule = (direction: "Ingress" | "Egress", name: string) =>
      `aws:vpc/securityGroup${direction}Rule:SecurityGroup${direction}Rule::staging-mumbai-${name}`;
    assert.deepEqual(baseline.filter((entry) => !kept.has(entry)).sort(), [
      "aws:ec2/securityGroup:SecurityGroup::staging-mumbai-task-sg",
      rule("Egress", "alb-out-3000"),
      rule("Egress", "alb-out-8000"),
      rule("Egress", "task-out-https"),
      rule("Egress", "task-out-redis"),
      rule("Ingress", "redis-in"),
      rule("Ingress", "task-in-3000"),
      rule("Ingress", "task-in-8000"),
    ]);
  });
});
