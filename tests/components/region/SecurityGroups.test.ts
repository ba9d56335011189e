import { descendantsOf, recorder, settle, valueOf } from "../../harness/component";
import * as assert from "node:assert/strict";
import { CONSUMES_TAG, DATA_STORE_TAG, RegionSecurityGroups } from "../../../components/region/SecurityGroups";
import { InputError } from "../../../lib/input-error";
import { REDIS_PORT } from "../../../lib/platform";
import type { RegionModel } from "../../../model/types/region";
import { regionModel } from "../../fixtures/models";
import type { RecordedResource } from "../../../offline/types";
import {
  type BuiltRegion,
  EGRESS,
  INGRESS,
  SECURITY_GROUP,
  all,
  idOf,
  named,
  referenceRegions,
  rulesOf,
} from "./fixtures";

/** One row of a rule, in a form that reads well in a failed deepEqual. */
function describeRule(rule: RecordedResource, groups: ReadonlyMap<string, string>): string {
  const { ipProtocol, fromPort, toPort, cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId } = rule.inputs;
  const peer =
    typeof referencedSecurityGroupId === "string"
      ? `sg:${groups.get(referencedSecurityGroupId) ?? "unknown"}`
      : [cidrIpv4, cidrIpv6, prefixListId].find((v) => typeof v === "string");
  return `${String(ipProtocol)} ${String(fromPort)}-${String(toPort)} ${String(peer)}`;
}

/** Every group's ingress and egress, keyed by the group's logical suffix (alb-sg, redis-sg, backend-sg, …). */
function matrix(name: string, resources: readonly RecordedResource[]) {
  const groups = resources.filter((r) => r.type === SECURITY_GROUP);
  const labels = new Map(groups.map((g) => [idOf(g), g.name.slice(name.length + 1)]));
  const result: Record<string, { ingress: string[]; egress: string[] }> = {};
  for (const group of groups) {
    result[labels.get(idOf(group)) as string] = {
      ingress: rulesOf(resources, "Ingress", group)
        .map((r) => describeRule(r, labels))
        .sort(),
      egress: rulesOf(resources, "Egress", group)
        .map((r) => describeRule(r, labels))
        .sort(),
    };
  }
  return result;
}

const ANYWHERE = "0.0.0.0/0";

describe("RegionSecurityGroups (through HeliumRegion)", function () {
  let prod: BuiltRegion;
  let stg: BuiltRegion;

  before(async () => {
    ({ prod, stg } = await referenceRegions());
  });
  beforeEach(() => recorder.reset());

  it("is one helium:region:SecurityGroups component under the HeliumRegion", () => {
    for (const built of [prod, stg]) {
      const components = built.resources.filter((r) => r.type === "helium:region:SecurityGroups");
      assert.deepEqual(
        components.map((c) => [c.name, c.parent]),
        [[`${built.name}-security-groups`, built.record.urn]],
      );
    }
  });

  it("has exactly the path matrix: ALB ↔ each routed service on its port, cache ← declaring services, HTTPS out", () => {
    const ownGroups = (built: BuiltRegion) =>
      built.resources.filter(
        (r) =>
          [SECURITY_GROUP, INGRESS, EGRESS].includes(r.type) &&
          !r.name.startsWith(`${built.name}-endpoints-`) &&
          r.type !== "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
      );
    const expected = {
      "alb-sg": {
        ingress: [`tcp 443-443 ${ANYWHERE}`, `tcp 80-80 ${ANYWHERE}`],
        egress: ["tcp 3000-3000 sg:frontend-sg", "tcp 8000-8000 sg:backend-sg"],
      },
      "redis-sg": {
        ingress: [`tcp ${REDIS_PORT}-${REDIS_PORT} sg:backend-sg`, `tcp ${REDIS_PORT}-${REDIS_PORT} sg:worker-sg`],
        egress: [],
      },
      "backend-sg": {
        ingress: ["tcp 8000-8000 sg:alb-sg"],
        egress: [`tcp 443-443 ${ANYWHERE}`, `tcp ${REDIS_PORT}-${REDIS_PORT} sg:redis-sg`],
      },
      "worker-sg": {
        ingress: [],
        egress: [`tcp 443-443 ${ANYWHERE}`, `tcp ${REDIS_PORT}-${REDIS_PORT} sg:redis-sg`],
      },
      "frontend-sg": {
        ingress: ["tcp 3000-3000 sg:alb-sg"],
        egress: [`tcp 443-443 ${ANYWHERE}`],
      },
    };
    for (const built of [prod, stg]) assert.deepEqual(matrix(built.name, ownGroups(built)), expected, built.name);
  });

  it("gives the frontend no path to the cache in either direction", () => {
    for (const built of [prod, stg]) {
      const frontend = named(built, SECURITY_GROUP, "frontend-sg");
      const cache = named(built, SECURITY_GROUP, "redis-sg");
      const rules = [...all(built, INGRESS), ...all(built, EGRESS)];
      const between = rules.filter(
        (r) =>
          (r.inputs.securityGroupId === idOf(frontend) && r.inputs.referencedSecurityGroupId === idOf(cache)) ||
          (r.inputs.securityGroupId === idOf(cache) && r.inputs.referencedSecurityGroupId === idOf(frontend)),
      );
      assert.deepEqual(
        between.map((r) => r.name),
        [],
      );
      assert.ok(
        rulesOf(built.resources, "Ingress", cache).every((r) => r.inputs.cidrIpv4 === undefined),
        "the cache accepts no address range",
      );
    }
  });

  it("opens nothing for a disabled service (staging's admin on 9000)", () => {
    assert.equal(
      stg.resources.some((r) => r.name.includes("admin")),
      false,
      "no group or rule of the disabled service",
    );
    for (const rule of [...all(stg, INGRESS), ...all(stg, EGRESS)]) assert.notEqual(rule.inputs.fromPort, 9000);
  });

  it("accepts traffic by address only on the ALB's 80/443 (and the endpoints' 443 from the VPC)", () => {
    for (const built of [prod, stg]) {
      const albSg = named(built, SECURITY_GROUP, "alb-sg");
      const byAddress = all(built, INGRESS).filter(
        (r) =>
          r.inputs.cidrIpv4 !== undefined || r.inputs.cidrIpv6 !== undefined || r.inputs.prefixListId !== undefined,
      );
      const fromInternet = byAddress.filter((r) => r.inputs.cidrIpv4 === ANYWHERE || r.inputs.cidrIpv6 !== undefined);
      assert.deepEqual(fromInternet.map((r) => [r.inputs.securityGroupId, r.inputs.fromPort]).sort(), [
        [idOf(albSg), 443],
        [idOf(albSg), 80],
      ]);
      for (const r of byAddress.filter((rule) => !fromInternet.includes(rule))) {
        assert.equal(r.inputs.cidrIpv4, built.model.network.vpcCidr, `${r.name} is from inside the VPC`);
        assert.equal(r.name, `${built.name}-endpoints-in-https`);
      }
    }
  });

  it("exposes the ALB, cache and per-service group ids", async () => {
    for (const built of [prod, stg]) {
      assert.equal(await valueOf(built.component.albSecurityGroupId), idOf(named(built, SECURITY_GROUP, "alb-sg")));
      assert.equal(await valueOf(built.component.cacheSecurityGroupId), idOf(named(built, SECURITY_GROUP, "redis-sg")));
      assert.deepEqual(Object.keys(built.component.serviceSecurityGroupIds).sort(), ["backend", "frontend", "worker"]);
      for (const [service, id] of Object.entries(built.component.serviceSecurityGroupIds))
        assert.equal(await valueOf(id), idOf(named(built, SECURITY_GROUP, `${service}-sg`)));
    }
  });

  it("names every group with a generated name after a readable prefix, with a Name tag", () => {
    for (const [built, place] of [
      [prod, "singapore"],
      [stg, "mumbai-staging"],
    ] as const) {
      for (const suffix of ["alb-sg", "redis-sg", "backend-sg", "worker-sg", "frontend-sg"]) {
        const sg = named(built, SECURITY_GROUP, suffix);
        assert.equal(sg.inputs.name, undefined, `${sg.name}: no fixed name, so a replacement can precede the delete`);
        assert.equal(sg.inputs.namePrefix, `helium-${place}-${suffix}-`);
        assert.equal((sg.inputs.tags as Record<string, string>).Name, `helium-${place}-${suffix}`);
        assert.equal(sg.inputs.vpcId, idOf(named(built, "aws:ec2/vpc:Vpc", "vpc")));
      }
    }
  });

  it("tags what the policy pack checks: the service and what it consumes, and the cache's data store", () => {
    const tags = (suffix: string) => named(prod, SECURITY_GROUP, suffix).inputs.tags as Record<string, string>;
    assert.equal(tags("backend-sg")["helium:service"], "backend");
    assert.equal(tags("backend-sg")[CONSUMES_TAG], "cache");
    assert.equal(tags("worker-sg")[CONSUMES_TAG], "cache");
    assert.equal(tags("frontend-sg")["helium:service"], "frontend");
    assert.equal(tags("frontend-sg")[CONSUMES_TAG], "");
    assert.equal(tags("redis-sg")[DATA_STORE_TAG], "cache");
    assert.equal(tags("alb-sg")[CONSUMES_TAG], undefined);
  });

  it("describes every group and rule and keeps no inline rules", () => {
    for (const built of [prod, stg]) {
      const rules = [...all(built, INGRESS), ...all(built, EGRESS)];
      assert.ok(rules.length > 0);
      for (const r of rules)
        assert.ok(
          typeof r.inputs.description === "string" && r.inputs.description.length > 0,
          `${r.name} has a description`,
        );
      for (const sg of all(built, SECURITY_GROUP)) {
        assert.equal(sg.inputs.ingress, undefined, `${sg.name} inline ingress`);
        assert.equal(sg.inputs.egress, undefined, `${sg.name} inline egress`);
        assert.ok(String(sg.inputs.description).length > 0);
      }
    }
  });

  describe("follows declarations, not service names", () => {
    let model: RegionModel;
    let resources: RecordedResource[];

    before(async () => {
      // The frontend declares the cache; an `admin` service on the backend's port declares nothing.
      model = regionModel({
        services: {
          frontend: { consumes: ["cache"] },
          admin: {
            repository: "helium-frontend",
            port: 8000,
            routes: [{ hostHeaders: ["admin-staging.he2.site"] }],
            healthCheck: { path: "/health" },
          },
        },
      });
      recorder.reset();
      new RegionSecurityGroups("decl", { model, namePrefix: "decl", vpcId: "vpc-0123456789abcdef0" });
      await settle();
      const component = recorder.resources.find((r) => r.type === "helium:region:SecurityGroups");
      assert.ok(component);
      resources = descendantsOf(component.urn, [...recorder.resources]);
    });

    it("lets a service that declares the cache reach it, and one that does not, not", () => {
      const m = matrix("decl", resources);
      assert.deepEqual(m["redis-sg"].ingress, [
        `tcp ${REDIS_PORT}-${REDIS_PORT} sg:backend-sg`,
        `tcp ${REDIS_PORT}-${REDIS_PORT} sg:frontend-sg`,
        `tcp ${REDIS_PORT}-${REDIS_PORT} sg:worker-sg`,
      ]);
      assert.deepEqual(m["frontend-sg"].egress, [
        `tcp 443-443 ${ANYWHERE}`,
        `tcp ${REDIS_PORT}-${REDIS_PORT} sg:redis-sg`,
      ]);
      assert.deepEqual(m["admin-sg"], { ingress: ["tcp 8000-8000 sg:alb-sg"], egress: [`tcp 443-443 ${ANYWHERE}`] });
    });

    it("gives two services on the same port separate ALB paths, each to its own group", () => {
      const m = matrix("decl", resources);
      assert.deepEqual(m["alb-sg"].egress, [
        "tcp 3000-3000 sg:frontend-sg",
        "tcp 8000-8000 sg:admin-sg",
        "tcp 8000-8000 sg:backend-sg",
      ]);
    });

    // Fault (reported): consumes accepted another service's name, but RegionSecurityGroups acted on "cache" only,
    // so on ECS the declaration was silently dropped. Input: helium:services.worker.consumes ["cache", "backend"].
    it("opens a declared service-to-service path, or the resolve step refuses the declaration", async () => {
      let peered: RegionModel;
      try {
        peered = regionModel({ services: { worker: { consumes: ["cache", "backend"] } } });
      } catch (error) {
        assert.ok(error instanceof InputError && error.problems.some((p) => p.key.includes("consumes")), String(error));
        return;
      }
      recorder.reset();
      new RegionSecurityGroups("peer", { model: peered, namePrefix: "peer", vpcId: "vpc-0123456789abcdef0" });
      await settle();
      const m = matrix("peer", [...recorder.resources]);
      assert.ok(m["worker-sg"].egress.includes("tcp 8000-8000 sg:backend-sg"), "worker → backend on 8000");
      assert.ok(m["backend-sg"].ingress.includes("tcp 8000-8000 sg:worker-sg"), "backend ← worker on 8000");
    });
  });
});
