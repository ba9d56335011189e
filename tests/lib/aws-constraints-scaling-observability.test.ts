import * as assert from "node:assert/strict";
import {
  MAX_TARGET_VALUE,
  autoscalingPercentTargetProblem,
  autoscalingTargetValueProblem,
  grafanaWorkspaceDescriptionProblem,
  grafanaWorkspaceNameProblem,
  scalingCapacityProblems,
  scalingCooldownProblem,
  xrayGroupNameProblem,
  xraySamplingRuleNameProblem,
  xraySamplingRuleProblems,
} from "../../lib/aws-constraints";

/** Asserts `check` accepts every `good` value and rejects every `bad` one. */
function accepts<T>(check: (value: T) => string | undefined, good: readonly T[], bad: readonly T[]): void {
  for (const value of good) assert.equal(check(value), undefined, `must accept ${JSON.stringify(value)}`);
  for (const value of bad) assert.ok(check(value), `must reject ${JSON.stringify(value)}`);
}

describe("lib/aws-constraints: Application Auto Scaling, X-Ray, Managed Grafana", () => {
  it("autoscalingTargetValueProblem: above 0, at most 2^360", () => {
    accepts(
      autoscalingTargetValueProblem,
      [0.001, 150, MAX_TARGET_VALUE],
      [0, -1, MAX_TARGET_VALUE * 2, Number.NaN, Infinity],
    );
  });

  it("autoscalingPercentTargetProblem: above 0, at most 100", () => {
    accepts(autoscalingPercentTargetProblem, [0.5, 70, 100], [0, 100.01, -5]);
  });

  it("scalingCapacityProblems: min ≥ 0, max ≥ 1 and ≥ min, integers", () => {
    const keys = (min: number, max: number) => scalingCapacityProblems(min, max).map((p) => p.key);
    assert.deepEqual(keys(0, 1), []);
    assert.deepEqual(keys(2, 2), []);
    assert.deepEqual(keys(-1, 1), ["min"]);
    assert.deepEqual(keys(1.5, 2), ["min"]);
    assert.deepEqual(keys(0, 0), ["max"]);
    assert.deepEqual(keys(3, 2), ["max"]);
    assert.match(scalingCapacityProblems(3, 2)[0].allowed, /≥ min \(3\)/);
  });

  it("scalingCooldownProblem: whole seconds ≥ 0", () => {
    accepts(scalingCooldownProblem, [0, 60, 300], [-1, 0.5]);
  });

  describe("xraySamplingRuleProblems", () => {
    const base = { fixedRate: 0.05, reservoirSize: 1 };
    const keys = (overrides: object) => xraySamplingRuleProblems({ ...base, ...overrides }).map((p) => p.key);

    it("accepts Helium's defaults and every boundary", () => {
      assert.deepEqual(keys({}), []);
      assert.deepEqual(
        keys({
          fixedRate: 0,
          reservoirSize: 0,
          priority: 1,
          serviceName: "s".repeat(64),
          serviceType: "*",
          host: "h".repeat(64),
          httpMethod: "m".repeat(10),
          urlPath: "u".repeat(128),
          resourceArn: "r".repeat(500),
        }),
        [],
      );
      assert.deepEqual(keys({ fixedRate: 1, priority: 9999 }), []);
    });

    it("rejects each field just outside its range, keyed by field", () => {
      assert.deepEqual(keys({ fixedRate: -0.01 }), ["fixedRate"]);
      assert.deepEqual(keys({ fixedRate: 1.01 }), ["fixedRate"]);
      assert.deepEqual(keys({ reservoirSize: -1 }), ["reservoirSize"]);
      assert.deepEqual(keys({ reservoirSize: 0.5 }), ["reservoirSize"]);
      assert.deepEqual(keys({ priority: 0 }), ["priority"]);
      assert.deepEqual(keys({ priority: 10000 }), ["priority"]);
      assert.deepEqual(keys({ serviceName: "s".repeat(65) }), ["serviceName"]);
      assert.deepEqual(keys({ serviceType: "s".repeat(65) }), ["serviceType"]);
      assert.deepEqual(keys({ host: "h".repeat(65) }), ["host"]);
      assert.deepEqual(keys({ httpMethod: "m".repeat(11) }), ["httpMethod"]);
      assert.deepEqual(keys({ urlPath: "u".repeat(129) }), ["urlPath"]);
      assert.deepEqual(keys({ resourceArn: "r".repeat(501) }), ["resourceArn"]);
    });
  });

  it("X-Ray group and rule names: 1-32, not Default", () => {
    for (const check of [xrayGroupNameProblem, xraySamplingRuleNameProblem]) {
      accepts(check, ["helium-production", "a".repeat(32)], ["", "a".repeat(33), "Default"]);
    }
  });

  it("Grafana workspace name [a-zA-Z0-9-._~]{1,255} and description ≤ 2,048", () => {
    accepts(
      grafanaWorkspaceNameProblem,
      ["helium-production", "a.b_c~d", "a".repeat(255)],
      ["", "a".repeat(256), "a b", "a/b"],
    );
    accepts(grafanaWorkspaceDescriptionProblem, ["", "d".repeat(2048)], ["d".repeat(2049)]);
  });
});
