import assert from "node:assert/strict";
import fc from "fast-check";
import { DEFAULT_ROUTE_KEY, httpApiRouteKey, httpApiRoutes } from "../../lib/http-api-routes";

const BACKEND = { routes: [{ priority: 32700, pathPatterns: ["/api/*"] }] };
const FRONTEND = { routes: [{ priority: 50000, pathPatterns: ["/*"] }] };

describe("lib/http-api-routes", () => {
  describe("httpApiRouteKey", () => {
    for (const [pattern, key] of [
      ["/*", "$default"],
      ["*", "$default"],
      ["/", "ANY /"],
      ["/api/*", "ANY /api/{proxy+}"],
      ["/api/v1/*", "ANY /api/v1/{proxy+}"],
      ["/status", "ANY /status"],
      ["/a.b/c_d~e-f", "ANY /a.b/c_d~e-f"],
    ] as const) {
      it(`${pattern} → ${key}`, () => assert.equal(httpApiRouteKey(pattern), key));
    }
    for (const pattern of ["/ap?/*", "/api*", "/a/*/b", "/api/", "api/*", "/a b", "/a$b", "/a/{id}", "//x"]) {
      it(`${pattern} has no exact route key`, () => assert.equal(httpApiRouteKey(pattern), undefined));
    }

    it("a translated key only ever holds literal segments and at most a trailing {proxy+} (property)", () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 30 }), (pattern) => {
          const key = httpApiRouteKey(pattern);
          if (key === undefined || key === DEFAULT_ROUTE_KEY) return;
          assert.match(key, /^ANY \/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*(\/\{proxy\+\})?|\{proxy\+\})?$/);
        }),
      );
    });
  });

  describe("httpApiRoutes", () => {
    it("the default services without an authoriser: open health route, backend's prefix, $default", () => {
      const { routes, problems } = httpApiRoutes({ backend: BACKEND, frontend: FRONTEND }, new Set(), "/api/health");
      assert.deepEqual(problems, []);
      assert.deepEqual(routes, [
        { routeKey: "GET /api/health", authorization: "NONE", services: [] },
        { routeKey: "ANY /api/{proxy+}", authorization: "NONE", services: ["backend"] },
        { routeKey: "$default", authorization: "NONE", services: ["frontend"] },
      ]);
    });

    it("protects exactly the keys of protected services; the health route stays open", () => {
      const { routes } = httpApiRoutes({ backend: BACKEND, frontend: FRONTEND }, new Set(["backend"]), "/api/health");
      assert.deepEqual(
        routes.map((r) => [r.routeKey, r.authorization]),
        [
          ["GET /api/health", "NONE"],
          ["ANY /api/{proxy+}", "JWT"],
          ["$default", "NONE"],
        ],
      );
    });

    it("a protected catch-all protects $default; $default exists even when no service yields it", () => {
      const all = httpApiRoutes({ backend: BACKEND, frontend: FRONTEND }, new Set(["frontend", "backend"]), "/h");
      assert.equal(all.routes.at(-1)?.authorization, "JWT");
      const none = httpApiRoutes({ backend: BACKEND }, new Set(), "/h");
      assert.deepEqual(none.routes.at(-1), { routeKey: "$default", authorization: "NONE", services: [] });
    });

    it("host-only and untranslatable routes of open services are left to $default (the ALB still routes them)", () => {
      const { routes, problems } = httpApiRoutes(
        {
          admin: { routes: [{ priority: 16400, hostHeaders: ["admin-dev.he2.site"] }] },
          legacy: { routes: [{ priority: 32800, pathPatterns: ["/ap?/*"] }] },
        },
        new Set(),
        "/h",
      );
      assert.deepEqual(problems, []);
      assert.deepEqual(
        routes.map((r) => r.routeKey),
        ["GET /h", "$default"],
      );
    });

    it("fails closed for a protected service: a host condition or an untranslatable pattern is a problem", () => {
      const { problems } = httpApiRoutes(
        {
          admin: {
            routes: [
              { priority: 100, hostHeaders: ["admin-dev.he2.site"], pathPatterns: ["/x/*"] },
              { priority: 32800, pathPatterns: ["/ap?/*"] },
            ],
          },
        },
        new Set(["admin"]),
        "/h",
      );
      assert.deepEqual(
        problems.map((p) => [p.key, p.value]),
        [
          ["admin.routes[0].hostHeaders", ["admin-dev.he2.site"]],
          ["admin.routes[1].pathPatterns[0]", "/ap?/*"],
        ],
      );
      assert.match(problems[0].allowed, /cannot match a host/);
    });

    it("an open key under a protected prefix is a problem unless the ALB evaluates it first", () => {
      const services = (reportsPriority: number) => ({
        backend: BACKEND,
        reports: { routes: [{ priority: reportsPriority, pathPatterns: ["/api/reports/*"] }] },
      });
      const bypass = httpApiRoutes(services(40000), new Set(["backend"]), "/api/health");
      assert.deepEqual(
        bypass.problems.map((p) => [p.key, p.value]),
        [["reports.routes[0].priority", 40000]],
      );
      assert.match(bypass.problems[0].allowed, /without the authoriser/);
      // The default priorities rank the longer pattern first: the ALB sends these paths to reports too.
      assert.deepEqual(httpApiRoutes(services(32000), new Set(["backend"]), "/api/health").problems, []);
    });

    it("two services yielding one key share it, protected if either is", () => {
      const { routes } = httpApiRoutes(
        {
          a: { routes: [{ priority: 200, hostHeaders: ["a-dev.he2.site"], pathPatterns: ["/v1/*"] }] },
          b: { routes: [{ priority: 300, pathPatterns: ["/v1/*"] }] },
        },
        new Set(["b"]),
        "/h",
      );
      assert.deepEqual(routes[1], { routeKey: "ANY /v1/{proxy+}", authorization: "JWT", services: ["a", "b"] });
    });
  });
});
