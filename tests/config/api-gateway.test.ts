/**
 * `helium:entry` and `helium:apiGateway`: defaults, the documented limits each key is held to, and the resolved
 * model of the API Gateway entry (names, certificate names, routes). Config and resolve are pure: an error is an
 * InputError naming the key and the value before any resource exists.
 */
import assert from "node:assert/strict";
import { InputError, type Problem } from "../../lib/input-error";
import { environmentConfig, environmentModel } from "../fixtures/models";

const ISSUER = "https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_Example";

/** The problems of a config that must fail. */
function problemsOf(build: () => unknown): Problem[] {
  try {
    build();
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return [...error.problems];
  }
  assert.fail("expected an InputError");
}

function problemAt(problems: readonly Problem[], key: string): Problem {
  const problem = problems.find((p) => p.key === key);
  assert.ok(problem, `a problem at ${key}; got ${problems.map((p) => p.key).join(", ")}`);
  return problem;
}

describe("config: helium:entry and helium:apiGateway", () => {
  it("defaults to the accelerator entry: an internet-facing ALB, no API Gateway model", () => {
    const model = environmentModel();
    assert.equal(model.entry, "accelerator");
    assert.equal(model.apiGateway, undefined);
    assert.equal(model.regions[0].loadBalancer.internal, false);
    assert.equal(model.regions[0].loadBalancer.name, "helium-alb-staging-mum");
    assert.equal(model.regions[0].loadBalancer.certificate.regionalNames, undefined);
  });

  it("takes every default of the API Gateway entry", () => {
    const model = environmentModel({ entry: "apiGateway" });
    assert.ok(model.apiGateway);
    assert.deepEqual(model.apiGateway.throttling, { rateLimit: 5000, burstLimit: 2500 });
    assert.deepEqual(model.apiGateway.healthCheck, { path: "/api/health", intervalSeconds: 30, failureThreshold: 3 });
    assert.equal(model.apiGateway.jwtAuthorizer, undefined);
    assert.equal(model.apiGateway.throttledRequestsAlarmThreshold, 0);
    assert.deepEqual(
      model.apiGateway.routes.map((r) => [r.routeKey, r.authorization]),
      [
        ["GET /api/health", "NONE"],
        ["ANY /api/{proxy+}", "NONE"],
        ["$default", "NONE"],
      ],
    );
    const region = model.regions[0];
    assert.equal(region.loadBalancer.internal, true);
    assert.equal(region.loadBalancer.name, "helium-alb-int-staging-mum");
    assert.deepEqual(model.apiGateway.regions, [
      {
        region: "ap-south-1",
        regionalFqdn: "api-staging-mum.he2.site",
        apiName: "helium-staging-gateway",
        vpcLinkName: "helium-vpc-link-staging-mum",
        vpcLinkSecurityGroup: "helium-mumbai-staging-vpc-link-sg",
        accessLogGroup: "/helium/staging/api-gateway/ap-south-1",
      },
    ]);
  });

  it("puts each region's own name on that region's certificate only, and the region writes its record", () => {
    const model = environmentModel({
      entry: "apiGateway",
      regions: [{ region: "ap-south-1" }, { region: "ap-southeast-1" }],
    });
    const [mumbai, singapore] = model.regions.map((r) => r.loadBalancer.certificate);
    assert.deepEqual(mumbai.alternativeNames, ["api-staging-mum.he2.site"]);
    assert.deepEqual(singapore.alternativeNames, ["api-staging-sg.he2.site"]);
    assert.deepEqual(singapore.regionalNames, ["api-staging-sg.he2.site"]);
    assert.equal(singapore.createValidationRecords, false);
  });

  it("in production the wildcard already covers each region's own name: the certificate does not change", () => {
    const accelerator = environmentModel({ production: true }, { stack: "production" });
    const gateway = environmentModel({ production: true, entry: "apiGateway" }, { stack: "production" });
    assert.deepEqual(gateway.regions[0].loadBalancer.certificate, accelerator.regions[0].loadBalancer.certificate);
    assert.equal(gateway.apiGateway?.regions[0].regionalFqdn, "api-mum.he2.site");
  });

  it("protects every routed service by default once a JWT authoriser is configured (the health route stays open)", () => {
    const model = environmentModel({
      entry: "apiGateway",
      apiGateway: { jwtAuthorizer: { issuer: ISSUER, audience: ["web"] } },
    });
    assert.deepEqual(
      model.apiGateway?.routes.map((r) => [r.routeKey, r.authorization]),
      [
        ["GET /api/health", "NONE"],
        ["ANY /api/{proxy+}", "JWT"],
        ["$default", "JWT"],
      ],
    );
    assert.deepEqual(model.apiGateway?.jwtAuthorizer, { issuer: ISSUER, audience: ["web"] });
  });

  describe("bad input names the key and the value", () => {
    for (const [what, apiGateway, key, value, allowed] of [
      ["a burst above the account's", { throttlingBurstLimit: 5001 }, "throttlingBurstLimit", 5001, /5000/],
      ["a rate above the account's", { throttlingRateLimit: 10_001 }, "throttlingRateLimit", 10_001, /10000/],
      ["a rate of 0", { throttlingRateLimit: 0 }, "throttlingRateLimit", 0, /rejects every request/],
      ["a fractional burst", { throttlingBurstLimit: 2.5 }, "throttlingBurstLimit", 2.5, /whole number/],
      [
        "a 20 s health-check interval",
        { healthCheckIntervalSeconds: 20 },
        "healthCheckIntervalSeconds",
        20,
        /10 .* or 30/,
      ],
      ["a threshold of 11", { healthCheckFailureThreshold: 11 }, "healthCheckFailureThreshold", 11, /1-10/],
      ["a health path with a query", { healthCheckPath: "/health?x=1" }, "healthCheckPath", "/health?x=1", /no query/],
      [
        "an http issuer",
        { jwtAuthorizer: { issuer: "http://issuer.example", audience: ["web"] } },
        "jwtAuthorizer.issuer",
        "http://issuer.example",
        /https URL/,
      ],
      [
        "no audience",
        { jwtAuthorizer: { issuer: ISSUER, audience: [] } },
        "jwtAuthorizer.audience",
        [],
        /at least one audience/,
      ],
      [
        "a protected service without routes",
        { jwtAuthorizer: { issuer: ISSUER, audience: ["web"], services: ["worker"] } },
        "jwtAuthorizer.services[0]",
        "worker",
        /enabled service with routes: backend, frontend/,
      ],
      ["an unknown key", { throttle: 1 }, "throttle", undefined, /unknown key "throttle"/],
    ] as const) {
      it(`${what}`, () => {
        const problems = problemsOf(() => environmentConfig({ entry: "apiGateway", apiGateway }));
        const problem = problemAt(problems, `helium:apiGateway.${key}`);
        if (value !== undefined) assert.deepEqual(problem.value, value);
        assert.match(problem.allowed, allowed);
      });
    }

    it("API Gateway settings with the accelerator entry (they would change nothing)", () => {
      const problems = problemsOf(() => environmentConfig({ apiGateway: { throttlingRateLimit: 100 } }));
      const problem = problemAt(problems, "helium:apiGateway");
      assert.equal((problem.value as { throttlingRateLimit: number }).throttlingRateLimit, 100);
      assert.match(problem.allowed, /only with helium:entry: apiGateway \(entry is accelerator\)/);
    });

    it("an unknown entry", () => {
      const problem = problemAt(
        problemsOf(() => environmentConfig({ entry: "cloudfront" })),
        "helium:entry",
      );
      assert.equal(problem.value, "cloudfront");
    });

    it("a protected service routed by host (resolve step, naming the route)", () => {
      const problems = problemsOf(() =>
        environmentModel({
          entry: "apiGateway",
          services: {
            admin: {
              repository: "helium-backend",
              port: 8080,
              routes: [{ hostHeaders: ["admin-staging.he2.site"] }],
              healthCheck: { path: "/health" },
            },
          },
          apiGateway: { jwtAuthorizer: { issuer: ISSUER, audience: ["web"], services: ["admin"] } },
        }),
      );
      const problem = problemAt(problems, "helium:services.admin.routes[0].hostHeaders");
      assert.deepEqual(problem.value, ["admin-staging.he2.site"]);
      assert.match(problem.allowed, /cannot match a host/);
    });

    it("an API record name too long for the regions' own names (production: its certificate is the apex)", () => {
      const label = `a${"b".repeat(59)}`;
      const problem = problemAt(
        problemsOf(() =>
          environmentModel({ production: true, entry: "apiGateway", apiRecordName: label }, { stack: "production" }),
        ),
        "helium:apiRecordName",
      );
      assert.equal(problem.value, label);
      assert.match(problem.allowed, /63 characters/);
    });
  });
});
