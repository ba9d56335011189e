import * as assert from "node:assert/strict";
import {
  compareVersions,
  ecrRepositoryNameProblem,
  elastiCacheEngineVersionProblem,
  elastiCacheNodeTypeProblem,
  elastiCacheReplicasProblem,
  elastiCacheSnapshotRetentionProblem,
  secretStringProblem,
  sqsDeadLetterRetentionProblem,
  sqsMaxReceiveCountProblem,
  sqsMessageRetentionProblem,
  sqsQueueAgeAlarmProblem,
  sqsReceiveWaitTimeProblem,
  sqsVisibilityTimeoutProblem,
} from "../../lib/aws-constraints";

/** Asserts `check` accepts every `good` value and rejects every `bad` one. */
function accepts<T>(check: (value: T) => string | undefined, good: readonly T[], bad: readonly T[]): void {
  for (const value of good) assert.equal(check(value), undefined, `must accept ${JSON.stringify(value)}`);
  for (const value of bad) assert.ok(check(value), `must reject ${JSON.stringify(value)}`);
}

const DAY = 86_400;

describe("lib/aws-constraints: ECR, SQS, ElastiCache, Secrets Manager", () => {
  describe("ecrRepositoryNameProblem", () => {
    it("known defect: a one-character repository name (a) is rejected", () => {
      assert.match(ecrRepositoryNameProblem("a") ?? "", /^2-256 lower-case/);
    });

    it("accepts AWS's pattern: namespaces, __ and runs of hyphens, 2 and 256 characters", () => {
      accepts(
        ecrRepositoryNameProblem,
        ["ab", "helium-backend", "team/helium-backend", "a__b", "a---b", "a.b", "a".repeat(256)],
        [],
      );
    });

    it("rejects 257 characters, upper case, separators at the ends or doubled dots", () => {
      accepts(
        ecrRepositoryNameProblem,
        [],
        ["a".repeat(257), "Helium", "-a", "a-", "a..b", "a___b", "/a", "a/", "a//b", ""],
      );
    });
  });

  describe("SQS", () => {
    it("visibility timeout 0-43,200 s", () =>
      accepts(sqsVisibilityTimeoutProblem, [0, 360, 43_200], [-1, 43_201, 1.5]));
    it("message retention 60-1,209,600 s", () =>
      accepts(sqsMessageRetentionProblem, [60, 4 * DAY, 14 * DAY], [59, 14 * DAY + 1]));
    it("receive wait 0-20 s", () => accepts(sqsReceiveWaitTimeProblem, [0, 20], [-1, 21]));
    it("maxReceiveCount 1-1,000", () => accepts(sqsMaxReceiveCountProblem, [1, 5, 1000], [0, 1001, 2.5]));

    it("the dead-letter queue must keep messages longer than its source queue", () => {
      assert.equal(sqsDeadLetterRetentionProblem(13 * DAY, 14 * DAY), undefined);
      assert.match(
        sqsDeadLetterRetentionProblem(14 * DAY, 14 * DAY) ?? "",
        /less than the dead-letter queue's retention \(1209600 s\)/,
      );
      assert.ok(sqsDeadLetterRetentionProblem(14 * DAY, 4 * DAY));
    });

    it("a queue-age alarm must be able to fire: threshold below the retention", () => {
      assert.equal(sqsQueueAgeAlarmProblem(900, 4 * DAY), undefined);
      assert.ok(sqsQueueAgeAlarmProblem(4 * DAY, 4 * DAY));
      assert.ok(sqsQueueAgeAlarmProblem(5 * DAY, 4 * DAY));
    });
  });

  describe("ElastiCache", () => {
    const keys = (engine: string, version: string) =>
      elastiCacheEngineVersionProblem(engine, version).map((p) => p.key);

    it("compares versions numerically", () => {
      assert.equal(compareVersions("7.2", "7.10"), -1);
      assert.equal(compareVersions("7.1", "7.1.0"), 0);
      assert.equal(compareVersions("8.0", "7.2.6"), 1);
    });

    it("valkey from 7.2 up", () => {
      for (const version of ["7.2", "7.2.6", "8.0", "8.1", "9.1"])
        assert.deepEqual(keys("valkey", version), [], version);
      for (const version of ["7.1", "7.1.9", "6.2", "8", "latest", ""])
        assert.deepEqual(keys("valkey", version), ["engineVersion"], version);
    });

    it("redis from 4.0.10 to 7.1", () => {
      for (const version of ["4.0.10", "5.0.6", "6.2", "7.0", "7.1"])
        assert.deepEqual(keys("redis", version), [], version);
      for (const version of ["7.2", "8.0", "4.0.9", "3.2"])
        assert.deepEqual(keys("redis", version), ["engineVersion"], version);
      assert.match(elastiCacheEngineVersionProblem("redis", "8.0")[0].allowed, /use engine valkey/);
    });

    it("only valkey or redis", () => {
      assert.deepEqual(keys("memcached", "1.6"), ["engine"]);
    });

    it("snapshot retention 0-35 days, replicas 0-5, node type format", () => {
      accepts(elastiCacheSnapshotRetentionProblem, [0, 7, 35], [-1, 36]);
      accepts(elastiCacheReplicasProblem, [0, 1, 5], [-1, 6, 1.5]);
      accepts(
        elastiCacheNodeTypeProblem,
        ["cache.t3.micro", "cache.r7g.xlarge"],
        ["t3.micro", "cache.t3", "Cache.t3.micro"],
      );
    });
  });

  it("secretStringProblem: 1-65,536 characters", () => {
    accepts(secretStringProblem, ["{}", "x".repeat(65_536)], ["", "x".repeat(65_537)]);
  });
});
