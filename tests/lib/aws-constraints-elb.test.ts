import * as assert from "node:assert/strict";
import {
  albHealthCheckMatcherProblem,
  albHostHeaderProblem,
  albIdleTimeoutProblem,
  albPathPatternProblem,
  albRuleConditionsProblem,
  deregistrationDelayProblem,
  listenerRulePriorityProblem,
  targetGroupHealthCheckProblems,
} from "../../lib/aws-constraints";

/** Asserts `check` accepts every `good` value and rejects every `bad` one. */
function accepts<T>(check: (value: T) => string | undefined, good: readonly T[], bad: readonly T[]): void {
  for (const value of good) assert.equal(check(value), undefined, `must accept ${JSON.stringify(value)}`);
  for (const value of bad) assert.ok(check(value), `must reject ${JSON.stringify(value)}`);
}

const HEALTHY = { intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3 };

describe("lib/aws-constraints: Elastic Load Balancing", () => {
  describe("albHealthCheckMatcherProblem (HTTP/HTTPS target groups: 200-499)", () => {
    it("known defect: 200-599 is rejected (500-599 is for Network Load Balancers)", () => {
      assert.match(albHealthCheckMatcherProblem("200-599") ?? "", /HTTP codes 200-499/);
    });

    it("accepts one code, a list and a range within 200-499", () => {
      accepts(
        albHealthCheckMatcherProblem,
        ["200", "499", "200,202", "200,302,404", "200-299", "200-399", "200-499", "404-404"],
        [],
      );
    });

    it("rejects codes outside 200-499 at each boundary, reversed ranges and other forms", () => {
      accepts(
        albHealthCheckMatcherProblem,
        [],
        [
          "199",
          "500",
          "199-299",
          "200-500",
          "300-200",
          "200,500",
          "199,200",
          "20",
          "2000",
          "",
          "200-",
          "200,",
          "200, 202",
          "200,300-399",
          "abc",
        ],
      );
    });
  });

  describe("albHostHeaderProblem", () => {
    it("known defect: a host without a dot (hostHeaders [api]) is rejected", () => {
      assert.match(albHostHeaderProblem("api") ?? "", /at least one '\.'/);
    });

    it("accepts names and wildcards up to 128 characters", () => {
      accepts(
        albHostHeaderProblem,
        ["admin.he2.site", "*.he2.site", "api-?.he2.site", "A.B.CO", `${"a".repeat(124)}.com`],
        [],
      );
    });

    it("rejects 129 characters, bad characters, and anything but letters after the last dot", () => {
      accepts(
        albHostHeaderProblem,
        [],
        [
          `${"a".repeat(125)}.com`,
          "",
          "admin_1.he2.site",
          "admin.he2.site:443",
          "he2.site.",
          "he2.s1te",
          "he2.*",
          "he2.s?te",
          "1.2.3.4",
        ],
      );
    });
  });

  describe("albPathPatternProblem", () => {
    it("accepts the documented characters, & included, up to 128", () => {
      accepts(albPathPatternProblem, ["/api/*", "/a&b", `/$~"'@:+_-.?*`, "api/*", `/${"a".repeat(127)}`], []);
    });

    it("rejects 129 characters, the empty string and other characters", () => {
      accepts(albPathPatternProblem, [], [`/${"a".repeat(128)}`, "", "/a b", "/a#b", "/a%20", "/a?b=c&d=é"]);
    });
  });

  describe("albRuleConditionsProblem (5 condition values and 5 wildcards per rule)", () => {
    it("accepts up to 5 values in total", () => {
      assert.equal(albRuleConditionsProblem({ pathPatterns: ["/a/*"] }), undefined);
      assert.equal(
        albRuleConditionsProblem({ hostHeaders: ["a.b.c", "d.e.f"], pathPatterns: ["/1", "/2", "/3"] }),
        undefined,
      );
    });

    it("rejects 6 values across hosts and paths, 6 wildcards, or no value", () => {
      assert.match(
        albRuleConditionsProblem({ hostHeaders: ["a.b.c", "d.e.f", "g.h.i"], pathPatterns: ["/1", "/2", "/3"] }) ?? "",
        /1-5 condition values in total .* this rule has 6/,
      );
      assert.match(albRuleConditionsProblem({ pathPatterns: ["/a/**", "/b/**", "/c/*?"] }) ?? "", /it has 6/);
      assert.equal(albRuleConditionsProblem({ pathPatterns: ["/a/**", "/b/**", "/c/*"] }), undefined);
      assert.ok(albRuleConditionsProblem({}));
    });
  });

  it("listenerRulePriorityProblem: 1-50000 integers", () => {
    accepts(listenerRulePriorityProblem, [1, 100, 50000], [0, 50001, 1.5, Number.NaN]);
  });

  it("deregistrationDelayProblem: 0-3600 seconds", () => {
    accepts(deregistrationDelayProblem, [0, 30, 3600], [-1, 3601, 0.5]);
  });

  it("albIdleTimeoutProblem: 1-4000 seconds", () => {
    accepts(albIdleTimeoutProblem, [1, 60, 4000], [0, 4001]);
  });

  describe("targetGroupHealthCheckProblems", () => {
    it("accepts Helium's defaults and every boundary value", () => {
      assert.deepEqual(targetGroupHealthCheckProblems({ ...HEALTHY, path: "/api/health", matcher: "200-399" }), []);
      assert.deepEqual(
        targetGroupHealthCheckProblems({
          intervalSeconds: 300,
          timeoutSeconds: 120,
          healthyThreshold: 10,
          unhealthyThreshold: 10,
        }),
        [],
      );
      assert.deepEqual(
        targetGroupHealthCheckProblems({
          intervalSeconds: 5,
          timeoutSeconds: 2,
          healthyThreshold: 2,
          unhealthyThreshold: 2,
          path: `/${"a".repeat(1023)}`,
        }),
        [],
      );
    });

    it("rejects each field just outside its range, keyed by field", () => {
      const keys = (overrides: object) =>
        targetGroupHealthCheckProblems({ ...HEALTHY, ...overrides }).map((p) => p.key);
      assert.deepEqual(keys({ intervalSeconds: 4 }), ["intervalSeconds"]);
      assert.deepEqual(keys({ intervalSeconds: 301 }), ["intervalSeconds"]);
      assert.deepEqual(keys({ timeoutSeconds: 1 }), ["timeoutSeconds"]);
      assert.deepEqual(keys({ timeoutSeconds: 121, intervalSeconds: 300 }), ["timeoutSeconds"]);
      assert.deepEqual(keys({ healthyThreshold: 1 }), ["healthyThreshold"]);
      assert.deepEqual(keys({ healthyThreshold: 11 }), ["healthyThreshold"]);
      assert.deepEqual(keys({ unhealthyThreshold: 1 }), ["unhealthyThreshold"]);
      assert.deepEqual(keys({ unhealthyThreshold: 11 }), ["unhealthyThreshold"]);
      assert.deepEqual(keys({ path: "health" }), ["path"]);
      assert.deepEqual(keys({ path: `/${"a".repeat(1024)}` }), ["path"]);
      assert.deepEqual(keys({ matcher: "200-599" }), ["matcher"]);
    });

    it("requires the timeout below the interval", () => {
      const [problem] = targetGroupHealthCheckProblems({ ...HEALTHY, intervalSeconds: 10, timeoutSeconds: 10 });
      assert.deepEqual({ key: problem.key, value: problem.value }, { key: "timeoutSeconds", value: 10 });
      assert.match(problem.allowed, /less than intervalSeconds \(10\)/);
      assert.deepEqual(targetGroupHealthCheckProblems({ ...HEALTHY, intervalSeconds: 10, timeoutSeconds: 9 }), []);
    });
  });
});
