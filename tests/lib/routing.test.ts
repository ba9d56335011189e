import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { InputError } from "../../lib/input-error";
import {
  AUTO_PRIORITY_START,
  DEFAULT_CATCH_ALL_PRIORITY,
  MAX_LISTENER_PRIORITY,
  PRIORITY_BANDS,
  type RouteLike,
  type ServiceRoutes,
  type SpecificityClass,
  assignRoutePriorities,
  automaticRoutePriority,
  bandSlots,
  resolveRoutePriorities,
  routeConditionKey,
  routeSpecificityClass,
  routeSpecificityLength,
} from "../../lib/routing";

const svc = (...routes: RouteLike[]): ServiceRoutes => ({ routes });

/** Helium's default routes (config/service-defaults.ts DEFAULT_SERVICES), inlined so this test depends on lib only. */
const HELIUM = {
  backend: svc({ pathPatterns: ["/api/*"] }),
  worker: svc(),
  frontend: svc({ pathPatterns: ["/*"], priority: DEFAULT_CATCH_ALL_PRIORITY }),
};

describe("lib/routing", () => {
  describe("automatic priorities", () => {
    it("gives Helium's defaults: backend /api/* 47535 (was 100), frontend's explicit catch-all 50000, worker none", () => {
      assert.deepEqual(assignRoutePriorities(HELIUM), { backend: [47535], frontend: [50000], worker: [] });
    });

    it("adding the README's admin service (host admin.he2.site) leaves backend's priority alone", () => {
      const withAdmin = assignRoutePriorities({ ...HELIUM, admin: svc({ hostHeaders: ["admin.he2.site"] }) });
      assert.equal(withAdmin.backend[0], 47535);
      assert.equal(withAdmin.admin[0], 29058);
      assert.ok(withAdmin.admin[0] < withAdmin.backend[0], "a host route is evaluated before a path route");
    });

    it("classifies host+path, host, path and catch-all (a catch-all only without a host)", () => {
      assert.equal(routeSpecificityClass({ hostHeaders: ["a.he2.site"], pathPatterns: ["/x/*"] }), 0);
      assert.equal(routeSpecificityClass({ hostHeaders: ["a.he2.site"] }), 1);
      assert.equal(routeSpecificityClass({ pathPatterns: ["/api/*"] }), 2);
      assert.equal(routeSpecificityClass({ pathPatterns: ["/*"] }), 3);
      assert.equal(routeSpecificityClass({ pathPatterns: ["/"] }), 3);
      assert.equal(
        routeSpecificityClass({ pathPatterns: ["/api/*", "/*"] }),
        3,
        "any catch-all value makes the rule one",
      );
      assert.equal(routeSpecificityClass({ pathPatterns: ["/*"], hostHeaders: ["a.he2.site"] }), 0);
    });

    it("measures the least specific pattern, without wildcards; host+path adds the two", () => {
      assert.equal(routeSpecificityLength({ pathPatterns: ["/api/*"] }), 5);
      assert.equal(routeSpecificityLength({ pathPatterns: ["/a/*", "/zzzzzzzz/*"] }), 3);
      assert.equal(routeSpecificityLength({ hostHeaders: ["*.he2.site"] }), 9);
      assert.equal(routeSpecificityLength({ hostHeaders: ["a.he2.site"], pathPatterns: ["/x?/*"] }), 13);
    });

    it("orders a narrow path before a broad one it overlaps, even when the broad route lists a long pattern too", () => {
      const broad = automaticRoutePriority("a", { pathPatterns: ["/a/*", "/a-very-long-prefix/*"] });
      const narrow = automaticRoutePriority("b", { pathPatterns: ["/a/b/*"] });
      assert.ok(narrow < broad);
    });

    it("puts each class in its band, and the bands in ALB order with 1-99 and 50000 left free", () => {
      const classes: SpecificityClass[] = [0, 1, 2, 3];
      for (const c of classes) {
        const band = PRIORITY_BANDS[c];
        assert.ok(band.first >= AUTO_PRIORITY_START && band.last < DEFAULT_CATCH_ALL_PRIORITY);
        assert.ok(bandSlots(band) * (band.maxRankedLength + 1) <= band.last - band.first + 1);
        if (c > 0) assert.equal(PRIORITY_BANDS[(c - 1) as SpecificityClass].last + 1, band.first);
      }
      assert.equal(bandSlots(PRIORITY_BANDS[2]), 254);
    });

    it("is case-insensitive for hosts and order-insensitive for values, like ALB", () => {
      assert.equal(
        automaticRoutePriority("a", { hostHeaders: ["Admin.he2.site", "b.he2.site"] }),
        automaticRoutePriority("a", { hostHeaders: ["b.he2.site", "admin.he2.site"] }),
      );
      assert.equal(
        routeConditionKey({ pathPatterns: ["/x/*", "/y/*"] }),
        routeConditionKey({ pathPatterns: ["/y/*", "/x/*"] }),
      );
    });

    it("keeps explicit priorities and ignores disabled services", () => {
      const result = assignRoutePriorities({
        pinned: svc({ pathPatterns: ["/pinned/*"], priority: 7 }),
        off: { enabled: false, routes: [{ pathPatterns: ["/api/*"] }] },
      });
      assert.deepEqual(result, { pinned: [7] });
    });
  });

  describe("problems (never resolved by moving a route)", () => {
    it("duplicate conditions, naming both routes", () => {
      const { problems } = resolveRoutePriorities({
        a: svc({ pathPatterns: ["/x/*", "/y/*"] }),
        b: svc({ pathPatterns: ["/y/*", "/x/*"] }),
      });
      const duplicate = problems.find((p) => p.key === "b.routes[0]");
      assert.ok(duplicate);
      assert.match(duplicate.allowed, /differ from a\.routes\[0\]'s/);
    });

    it("host headers differing only in case are duplicates", () => {
      const { problems } = resolveRoutePriorities({
        a: svc({ hostHeaders: ["Admin.he2.site"] }),
        b: svc({ hostHeaders: ["admin.he2.site"] }),
      });
      assert.ok(problems.some((p) => p.key === "b.routes[0]"));
    });

    it("two explicit routes with one priority", () => {
      const { problems } = resolveRoutePriorities({
        a: svc({ pathPatterns: ["/a/*"], priority: 7 }),
        b: svc({ pathPatterns: ["/b/*"], priority: 7 }),
      });
      assert.equal(problems.length, 1);
      assert.equal(problems[0].key, "b.routes[0].priority");
      assert.equal(problems[0].value, 7);
      assert.match(problems[0].allowed, /b\.routes\[0\] and a\.routes\[0\] both set priority 7.*e\.g\. 8$/);
    });

    it("an automatic priority that an explicit one holds: the automatic route is asked for an explicit priority", () => {
      const auto = automaticRoutePriority("z", { pathPatterns: ["/z/*"] });
      const { priorities, problems } = resolveRoutePriorities({
        a: svc({ pathPatterns: ["/a/*"], priority: auto }),
        z: svc({ pathPatterns: ["/z/*"] }),
      });
      assert.deepEqual(priorities, { a: [auto], z: [auto] }, "neither route is moved");
      assert.equal(problems.length, 1);
      assert.equal(problems[0].key, "z.routes[0].priority");
      assert.match(problems[0].allowed, /z\.routes\[0\] \(automatic\) and a\.routes\[0\] \(explicit\) both get \d+/);
      assert.match(problems[0].allowed, /explicit priority, e\.g\. \d+$/);
    });

    it("two automatic routes on one number, naming both", () => {
      // /q/* and /r/* share class and length, so only the hash of service and conditions separates them:
      // search service names until two land on one slot.
      const byPriority = new Map<number, string>();
      let pair: [string, string] | undefined;
      for (let i = 0; pair === undefined && i < 10000; i++) {
        const name = `s${i}`;
        const clash = byPriority.get(automaticRoutePriority(name, { pathPatterns: ["/r/*"] }));
        if (clash !== undefined) pair = [clash, name];
        byPriority.set(automaticRoutePriority(name, { pathPatterns: ["/q/*"] }), name);
      }
      assert.ok(pair, "a shared slot exists among 10000 names");
      const [first, second] = pair;
      const { priorities, problems } = resolveRoutePriorities({
        [first]: svc({ pathPatterns: ["/q/*"] }),
        [second]: svc({ pathPatterns: ["/r/*"] }),
      });
      assert.equal(priorities[first][0], priorities[second][0], "neither route is moved");
      assert.equal(problems.length, 1);
      const [later, earlier] = [first, second].sort().reverse();
      assert.equal(problems[0].key, `${later}.routes[0].priority`);
      assert.ok(problems[0].allowed.includes(`${earlier}.routes[0] (automatic)`));
      assert.match(problems[0].allowed, /give one of them \(the one being added\) an explicit priority, e\.g\. \d+$/);
    });

    it("explicit priorities outside 1-50000", () => {
      for (const priority of [0, 50001, 1.5]) {
        const { problems } = resolveRoutePriorities({ a: svc({ pathPatterns: ["/a/*"], priority }) });
        assert.deepEqual(problems, [
          { key: "a.routes[0].priority", value: priority, allowed: "an integer in 1-50000 (ALB CreateRule Priority)" },
        ]);
      }
      assert.equal(resolveRoutePriorities({ a: svc({ pathPatterns: ["/a/*"], priority: 1 }) }).problems.length, 0);
      assert.equal(resolveRoutePriorities({ a: svc({ pathPatterns: ["/a/*"], priority: 50000 }) }).problems.length, 0);
    });

    it("assignRoutePriorities throws one InputError listing them", () => {
      assert.throws(
        () =>
          assignRoutePriorities({
            a: svc({ pathPatterns: ["/a/*"], priority: 7 }),
            b: svc({ pathPatterns: ["/b/*"], priority: 7 }),
          }),
        (e: unknown) => e instanceof InputError && e.problems.length === 1 && /routes/.test(e.message),
      );
    });
  });

  describe("properties", () => {
    const segment = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    const pathPattern = fc
      .tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([parts, wildcard]) => `/${parts.join("/")}${wildcard ? "/*" : ""}`);
    const hostHeader = fc
      .tuple(
        fc.option(fc.constant("*."), { nil: "" }),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.stringMatching(/^[a-z]{2,6}$/),
      )
      .map(([wild, labels, tld]) => `${wild}${labels.join(".")}.${tld}`);
    const route: fc.Arbitrary<RouteLike> = fc.oneof(
      fc.record({ pathPatterns: fc.array(pathPattern, { minLength: 1, maxLength: 3 }) }),
      fc.record({ hostHeaders: fc.array(hostHeader, { minLength: 1, maxLength: 3 }) }),
      fc.record({
        hostHeaders: fc.array(hostHeader, { minLength: 1, maxLength: 2 }),
        pathPatterns: fc.array(pathPattern, { minLength: 1, maxLength: 2 }),
      }),
      fc.record({ pathPatterns: fc.constantFrom(["/*"], ["/"]) }),
      fc
        .record({
          pathPatterns: fc.array(pathPattern, { maxLength: 2 }),
          priority: fc.integer({ min: 1, max: MAX_LISTENER_PRIORITY }),
        })
        .filter((r) => r.pathPatterns.length > 0),
    );
    const serviceName = fc.stringMatching(/^[a-z][a-z0-9-]{0,19}$/);
    const services = fc.dictionary(serviceName, fc.record({ routes: fc.array(route, { maxLength: 3 }) }), {
      maxKeys: 6,
    });

    it("adding or removing any other service never changes an existing route's priority", () => {
      fc.assert(
        fc.property(services, serviceName, fc.array(route, { maxLength: 3 }), (existing, added, routes) => {
          fc.pre(!(added in existing));
          const before = resolveRoutePriorities(existing).priorities;
          const after = resolveRoutePriorities({ ...existing, [added]: { routes } }).priorities;
          for (const name of Object.keys(existing)) assert.deepEqual(after[name], before[name]);
          const removed = { ...existing };
          const [first] = Object.keys(removed);
          if (first === undefined) return;
          delete removed[first];
          const without = resolveRoutePriorities(removed).priorities;
          for (const name of Object.keys(removed)) assert.deepEqual(without[name], before[name]);
        }),
        { numRuns: 500 },
      );
    });

    it("every priority is an integer in 1-50000; automatic ones in 100-49999", () => {
      fc.assert(
        fc.property(serviceName, route, (name, r) => {
          const auto = automaticRoutePriority(name, r);
          assert.ok(Number.isInteger(auto) && auto >= AUTO_PRIORITY_START && auto < DEFAULT_CATCH_ALL_PRIORITY);
          const { priorities } = resolveRoutePriorities({ [name]: { routes: [r] } });
          assert.ok(priorities[name][0] >= 1 && priorities[name][0] <= MAX_LISTENER_PRIORITY);
        }),
        { numRuns: 2000 },
      );
    });

    it("of two routes of different classes, the more specific one has the lower number", () => {
      fc.assert(
        fc.property(serviceName, route, serviceName, route, (a, ra, b, rb) => {
          const ca = routeSpecificityClass(ra);
          const cb = routeSpecificityClass(rb);
          fc.pre(ca !== cb);
          const pa = automaticRoutePriority(a, ra);
          const pb = automaticRoutePriority(b, rb);
          assert.equal(ca < cb, pa < pb);
        }),
        { numRuns: 2000 },
      );
    });

    it("within a class, a longer pattern has the lower number", () => {
      fc.assert(
        fc.property(serviceName, route, serviceName, route, (a, ra, b, rb) => {
          const c = routeSpecificityClass(ra);
          fc.pre(c === routeSpecificityClass(rb));
          const la = Math.min(routeSpecificityLength(ra), PRIORITY_BANDS[c].maxRankedLength);
          const lb = Math.min(routeSpecificityLength(rb), PRIORITY_BANDS[c].maxRankedLength);
          fc.pre(la !== lb);
          assert.equal(la > lb, automaticRoutePriority(a, ra) < automaticRoutePriority(b, rb));
        }),
        { numRuns: 2000 },
      );
    });

    it("any two rules that share a number are reported, naming both", () => {
      fc.assert(
        fc.property(services, (all) => {
          const { priorities, problems } = resolveRoutePriorities(all);
          const owners = new Map<number, string>();
          for (const [name, list] of Object.entries(priorities)) {
            list.forEach((p, i) => {
              const label = `${name}.routes[${i}]`;
              const owner = owners.get(p);
              if (owner !== undefined) {
                const reported = problems.some(
                  (x) =>
                    (x.key === `${label}.priority` && x.allowed.includes(owner)) ||
                    (x.key === `${owner}.priority` && x.allowed.includes(label)),
                );
                const duplicate = problems.some((x) => x.key === label || x.key === owner);
                assert.ok(reported || duplicate, `${label} and ${owner} share ${p}`);
              } else owners.set(p, label);
            });
          }
        }),
        { numRuns: 500 },
      );
    });
  });
});
