import * as assert from "node:assert/strict";
import { LOG_RETENTION_DAYS, cloudWatchAlarmWindowProblem, logRetentionDaysProblem } from "../../lib/aws-constraints";

const keys = (...args: Parameters<typeof cloudWatchAlarmWindowProblem>) =>
  cloudWatchAlarmWindowProblem(...args).map((p) => p.key);

describe("lib/aws-constraints: CloudWatch", () => {
  describe("cloudWatchAlarmWindowProblem", () => {
    it("known defect: period 3000 × evaluationPeriods 100 (300,000 s) exceeds the one-day window", () => {
      const problems = cloudWatchAlarmWindowProblem(3000, 100);
      assert.deepEqual(
        problems.map((p) => [p.key, p.value]),
        [["evaluationPeriods", 100]],
      );
      assert.match(problems[0].allowed, /at most 28 periods of 3000 s: .* 86,400 s \(one day/);
    });

    it("accepts Helium's default (60 s × 3) and both window edges", () => {
      assert.deepEqual(keys(60, 3), []);
      assert.deepEqual(keys(60, 1440), [], "60 × 1440 = 86,400");
      assert.deepEqual(keys(3540, 24), [], "3540 × 24 = 84,960");
      assert.deepEqual(keys(3600, 168), [], "3600 × 168 = 604,800");
      assert.deepEqual(keys(604800, 1), []);
    });

    it("rejects one period past each window", () => {
      assert.deepEqual(keys(60, 1441), ["evaluationPeriods"]);
      assert.deepEqual(keys(3540, 25), ["evaluationPeriods"], "under an hour: one day");
      assert.deepEqual(keys(3600, 169), ["evaluationPeriods"], "an hour or more: seven days");
      assert.deepEqual(keys(604860, 1), ["evaluationPeriods"]);
    });

    it("periods: multiples of 60 for standard metrics; 10, 20, 30 only for high-resolution ones", () => {
      for (const period of [10, 20, 30]) {
        assert.deepEqual(keys(period, 1), ["periodSeconds"], `${period} on standard metrics`);
        assert.deepEqual(keys(period, 1, 1, "high"), [], `${period} on high-resolution metrics`);
      }
      for (const period of [0, 1, 15, 59, 61, 90, 1.5, -60])
        assert.deepEqual(keys(period, 1, 1, "high"), ["periodSeconds"], String(period));
      assert.deepEqual(keys(120, 1), []);
      assert.match(cloudWatchAlarmWindowProblem(10, 1)[0].allowed, /high-resolution metrics only/);
    });

    it("evaluationPeriods ≥ 1 and datapointsToAlarm within 1-evaluationPeriods", () => {
      assert.deepEqual(keys(60, 0), ["evaluationPeriods"]);
      assert.deepEqual(keys(60, 2.5), ["evaluationPeriods"]);
      assert.deepEqual(keys(60, 5, 5), []);
      assert.deepEqual(keys(60, 5, 1), []);
      assert.deepEqual(keys(60, 5, 6), ["datapointsToAlarm"]);
      assert.deepEqual(keys(60, 5, 0), ["datapointsToAlarm"]);
    });
  });

  it("logRetentionDaysProblem: only CloudWatch Logs' 22 values", () => {
    assert.equal(LOG_RETENTION_DAYS.length, 22);
    for (const days of [1, 30, 3653]) assert.equal(logRetentionDaysProblem(days), undefined);
    for (const days of [0, 2, 31, 3654, 365.5]) assert.match(logRetentionDaysProblem(days) ?? "", /^one of 1, 3, 5/);
  });
});
