/**
 * helium-data-store-declared-consumers: a data store's group (helium:data-store) accepts ingress only from the
 * groups of services whose helium:consumes lists that store. Unit cases with ids known and unknown (first
 * preview: only property dependencies link rule and groups), then the committed stacks, and a regression that
 * opens the frontend's group to Redis in a real staging evaluation.
 */
import assert from "node:assert/strict";
import { evaluateStack } from "../../offline/evaluate";
import type { RecordedResource } from "../../offline/types";
import { runPolicyPack } from "../../policy-pack/engine";
import { dataStoreDeclaredConsumers } from "../../policy-pack/policies/data-store-paths";
import { T, UNKNOWN_STRING, res, run } from "./fixtures";
import { PACK_CONFIG } from "../fixtures/pack-config";

const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const POLICY = dataStoreDeclaredConsumers.name;

/** A region's groups as RegionSecurityGroups tags them; `known` false: ids unknown, as at a first preview. */
function groups(known: boolean) {
  const group = (name: string, tags: Record<string, string>) =>
    res(T.sg, name, { tags, ...(known ? { id: `sg-${name}` } : {}) });
  return {
    cache: group("redis-sg", { "helium:data-store": "cache" }),
    backend: group("backend-sg", { "helium:service": "backend", "helium:consumes": "cache" }),
    frontend: group("frontend-sg", { "helium:service": "frontend", "helium:consumes": "" }),
    alb: group("alb-sg", {}),
    id: (r: RecordedResource) => (known ? `sg-${r.name}` : UNKNOWN_STRING),
  };
}

function ingress(name: string, into: RecordedResource, from: RecordedResource, id: (r: RecordedResource) => string) {
  return res(
    T.ingress,
    name,
    { securityGroupId: id(into), referencedSecurityGroupId: id(from), ipProtocol: "tcp", fromPort: 6379, toPort: 6379 },
    { deps: { securityGroupId: [into], referencedSecurityGroupId: [from] } },
  );
}

const messages = (resources: readonly RecordedResource[]) => {
  const report = run(dataStoreDeclaredConsumers, resources);
  assert.deepEqual(report.skipped, [], "never lost to an unknown value");
  return report.violations.map((v) => `${v.resourceName}: ${v.message}`);
};

describe("helium-data-store-declared-consumers", function () {
  this.timeout(180_000);

  for (const known of [true, false]) {
    describe(known ? "ids known (update)" : "ids unknown (first preview)", () => {
      const g = groups(known);
      const base = [g.cache, g.backend, g.frontend, g.alb];

      it("passes ingress from a service that declares the store", () => {
        assert.deepEqual(messages([...base, ingress("redis-in-backend", g.cache, g.backend, g.id)]), []);
      });

      it("flags ingress from a service that does not declare it, and from a group that is no service's", () => {
        assert.deepEqual(
          messages([
            ...base,
            ingress("redis-in-frontend", g.cache, g.frontend, g.id),
            ingress("redis-in-alb", g.cache, g.alb, g.id),
          ]),
          [
            'redis-in-frontend: ingress into redis-sg (helium:data-store: cache) from service frontend (frontend-sg), which does not declare cache (helium:consumes: "")',
            "redis-in-alb: ingress into redis-sg (helium:data-store: cache) from alb-sg, which is not a service's group (no helium:service tag)",
          ],
        );
      });

      it("flags address ranges and legacy rules into a data store; ignores rules into other groups", () => {
        const cidr = res(
          T.ingress,
          "redis-in-vpc",
          { securityGroupId: g.id(g.cache), cidrIpv4: "10.0.0.0/16", ipProtocol: "tcp", fromPort: 6379, toPort: 6379 },
          { deps: { securityGroupId: [g.cache] } },
        );
        const legacy = res(
          SG_RULE,
          "redis-legacy",
          { type: "ingress", securityGroupId: g.id(g.cache), sourceSecurityGroupId: g.id(g.frontend), self: false },
          { deps: { securityGroupId: [g.cache], sourceSecurityGroupId: [g.frontend] } },
        );
        const intoAlb = ingress("alb-in-frontend", g.alb, g.frontend, g.id);
        assert.deepEqual(messages([...base, cidr, legacy, intoAlb]), [
          "redis-in-vpc: ingress into redis-sg (helium:data-store: cache) from cidrIpv4 10.0.0.0/16: only the groups of services that declare cache may reach it",
          'redis-legacy: ingress into redis-sg (helium:data-store: cache) from service frontend (frontend-sg), which does not declare cache (helium:consumes: "")',
        ]);
      });
    });
  }

  it("reads inline ingress blocks of a data-store group (by known group ids)", () => {
    const g = groups(true);
    const inline = res(T.sg, "db-sg", {
      id: "sg-db",
      tags: { "helium:data-store": "database" },
      ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-backend-sg"] }],
    });
    assert.deepEqual(messages([g.backend, inline]), [
      'db-sg: ingress into db-sg (helium:data-store: database) from service backend (backend-sg), which does not declare database (helium:consumes: "cache")',
    ]);
  });

  describe("on the committed stacks, and a regression in staging", () => {
    for (const mode of ["update", "preview"] as const) {
      it(`passes on every committed stack (${mode}), where rules into the cache exist`, async () => {
        for (const stack of ["staging", "production"]) {
          const { resources } = await evaluateStack(stack, { mode });
          const intoCache = resources.filter((r) => r.type === T.ingress && /-redis-in-/.test(r.name));
          assert.ok(intoCache.length >= 2, `${stack}: rules into the cache`);
          const report = runPolicyPack(resources, { config: PACK_CONFIG });
          assert.deepEqual(
            report.violations.filter((v) => v.policy === POLICY),
            [],
          );
          assert.deepEqual(
            report.skipped.filter((k) => k.policy === POLICY),
            [],
          );
        }
      });

      it(`flags a rule that opens the frontend's group to Redis (${mode})`, async () => {
        const { resources } = await evaluateStack("staging", { mode });
        const template = resources.find((r) => r.name === "staging-mumbai-redis-in-backend");
        const frontend = resources.find((r) => r.type === T.sg && r.name === "staging-mumbai-frontend-sg");
        assert.ok(template && frontend);
        const opened: RecordedResource = {
          ...template,
          urn: template.urn.replace(/redis-in-backend$/, "redis-in-frontend"),
          name: "staging-mumbai-redis-in-frontend",
          inputs: { ...template.inputs, referencedSecurityGroupId: frontend.id ?? UNKNOWN_STRING },
          outputs: { ...template.outputs, referencedSecurityGroupId: frontend.id ?? UNKNOWN_STRING },
          propertyDependencies: { ...template.propertyDependencies, referencedSecurityGroupId: [frontend.urn] },
        };
        const report = runPolicyPack([...resources, opened], { config: PACK_CONFIG });
        assert.deepEqual(
          report.violations.map((v) => [v.policy, v.enforcementLevel, v.resourceName]),
          [[POLICY, "mandatory", "staging-mumbai-redis-in-frontend"]],
        );
        assert.match(
          report.violations[0].message,
          /from service frontend \(staging-mumbai-frontend-sg\), which does not declare cache/,
        );
      });
    }
  });
});
