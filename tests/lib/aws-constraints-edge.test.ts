import * as assert from "node:assert/strict";
import {
  acmPrimaryDomainProblem,
  corsOriginProblem,
  globalAcceleratorHealthCheckIntervalProblem,
  globalAcceleratorHealthCheckPathProblem,
  globalAcceleratorThresholdCountProblem,
  globalAcceleratorTrafficDialProblem,
} from "../../lib/aws-constraints";

/** Asserts `check` accepts every `good` value and rejects every `bad` one. */
function accepts<T>(check: (value: T) => string | undefined, good: readonly T[], bad: readonly T[]): void {
  for (const value of good) assert.equal(check(value), undefined, `must accept ${JSON.stringify(value)}`);
  for (const value of bad) assert.ok(check(value), `must reject ${JSON.stringify(value)}`);
}

describe("lib/aws-constraints: ACM, Global Accelerator, S3 CORS", () => {
  it("acmPrimaryDomainProblem: a DNS name of at most 64 characters", () => {
    const label = (n: number) => "a".repeat(n);
    const sixtyFour = `${label(55)}.he2.site`; // 55 + 9 = 64
    assert.equal(sixtyFour.length, 64);
    accepts(acmPrimaryDomainProblem, ["he2.site", "api-staging.he2.site", "*.he2.site", sixtyFour], []);
    accepts(
      acmPrimaryDomainProblem,
      [],
      [
        `a${sixtyFour}`,
        "he2",
        "-api.he2.site",
        "api-.he2.site",
        "api..he2.site",
        "api.he2.site.",
        `${label(64)}.site`,
        "a_b.he2.site",
      ],
    );
  });

  it("globalAcceleratorHealthCheckPathProblem: / then the allowed characters, at most 255", () => {
    accepts(
      globalAcceleratorHealthCheckPathProblem,
      ["/", "/api/health", "/a?b=c&d#e%20@:_\\+.~", `/${"a".repeat(254)}`],
      [],
    );
    accepts(
      globalAcceleratorHealthCheckPathProblem,
      [],
      ["", "api/health", "/a b", "/a*", "/é", `/${"a".repeat(255)}`],
    );
  });

  it("globalAcceleratorHealthCheckIntervalProblem: 10 or 30", () => {
    accepts(globalAcceleratorHealthCheckIntervalProblem, [10, 30], [9, 20, 31]);
  });

  it("globalAcceleratorThresholdCountProblem: 1-10", () => {
    accepts(globalAcceleratorThresholdCountProblem, [1, 10], [0, 11]);
  });

  it("globalAcceleratorTrafficDialProblem: 0-100 percent", () => {
    accepts(globalAcceleratorTrafficDialProblem, [0, 37.5, 100], [-0.1, 100.1, Number.NaN]);
  });

  describe("corsOriginProblem", () => {
    it("accepts scheme://host[:port] with nothing after it", () => {
      accepts(
        corsOriginProblem,
        [
          "https://he2.site",
          "https://www.he2.site",
          "https://*.he2.site",
          "https://localhost:8443",
          "https://he2.site:65535",
        ],
        [],
      );
    });

    it("rejects paths, trailing slashes, queries, http (unless allowed), upper case, bad ports", () => {
      accepts(
        corsOriginProblem,
        [],
        [
          "https://he2.site/",
          "https://he2.site/app",
          "https://he2.site?x=1",
          "https://he2.site#top",
          "http://he2.site",
          "https://HE2.site",
          "https://he2.site:0",
          "https://he2.site:65536",
          "https://user@he2.site",
          "https://a.*.he2.site",
          "he2.site",
          "*",
        ],
      );
      assert.equal(corsOriginProblem("http://localhost:3000", { allowHttp: true }), undefined);
      assert.ok(corsOriginProblem("ftp://he2.site", { allowHttp: true }));
    });
  });
});
