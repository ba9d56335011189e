import * as assert from "node:assert/strict";
import {
  type AwsNameKind,
  assertAwsName,
  awsNameError,
  backendSecretName,
  clusterName,
  ecsServiceName,
  environmentInfix,
  regionScopedName,
  regionalName,
} from "../../lib/naming";
import { KNOWN_REGION_CODES } from "../../lib/regions";

describe("lib/naming", () => {
  it("builds the seed's names", () => {
    assert.equal(regionalName("production", "ap-southeast-1", "files"), "helium-files-sg");
    assert.equal(regionalName("staging", "ap-south-1", "files"), "helium-files-staging-mum");
    assert.equal(clusterName("production", "ap-southeast-1"), "helium-singapore-cluster");
    assert.equal(clusterName("staging", "ap-south-1"), "helium-mumbai-staging-cluster");
    assert.equal(clusterName("production", "us-east-1"), "helium-virginia-cluster");
    assert.equal(ecsServiceName("staging", "backend"), "helium-backend-staging-service");
    assert.equal(ecsServiceName("production", "backend"), "helium-backend-service");
    assert.equal(backendSecretName("production"), "helium/backend/production");
    assert.equal(backendSecretName("staging"), "helium/backend/staging");
    assert.equal(regionScopedName("production", "ap-south-1", "vpc"), "helium-mumbai-vpc");
    assert.equal(environmentInfix("production"), "");
  });

  it("never gives staging and production the same name", () => {
    for (const region of KNOWN_REGION_CODES) {
      assert.notEqual(regionalName("staging", region, "files"), regionalName("production", region, "files"));
      assert.notEqual(clusterName("staging", region), clusterName("production", region));
    }
  });

  it("produces names AWS accepts for every known region and environment", () => {
    for (const region of KNOWN_REGION_CODES) {
      for (const env of ["staging", "production"] as const) {
        assert.equal(awsNameError("s3Bucket", regionalName(env, region, "alb-logs")), undefined);
        assert.equal(awsNameError("loadBalancer", regionalName(env, region, "alb")), undefined);
        assert.equal(awsNameError("elasticacheReplicationGroup", regionalName(env, region, "redis")), undefined);
        assert.equal(awsNameError("ecsCluster", clusterName(env, region)), undefined);
      }
    }
  });

  it("fails on an unknown region", () => {
    assert.throws(() => regionalName("production", "mars-1", "files"), /Unknown AWS region "mars-1"/);
  });

  describe("assertAwsName", () => {
    const cases: Record<AwsNameKind, { good: string[]; bad: string[] }> = {
      s3Bucket: {
        good: ["helium-files-sg", "a.b-c", "abc"],
        bad: [
          "ab",
          "a".repeat(64),
          "Helium-files",
          "helium_files",
          "-helium",
          "helium-",
          "a..b",
          "xn--helium",
          "sthree-x",
          "helium-s3alias",
          "192.168.1.1",
        ],
      },
      loadBalancer: {
        good: ["helium-alb-sg", "a".repeat(32)],
        bad: ["a".repeat(33), "-alb", "alb-", "internal-alb", "alb_sg", ""],
      },
      targetGroup: { good: ["helium-backend-tg"], bad: ["a".repeat(33), "tg-", "tg.x"] },
      iamRole: { good: ["helium-flow-logs-sg", "a+b=c,d.e@f_g"], bad: ["a".repeat(65), "role/x", "has space", ""] },
      elasticacheReplicationGroup: {
        good: ["helium-redis-sg", "a1", "r"],
        bad: ["a".repeat(41), "1redis", "Redis", "re--dis", "redis-"],
      },
      sqsQueue: { good: ["helium-work-sg", "work_q", "jobs.fifo"], bad: ["a".repeat(81), "work.queue", "work queue"] },
      ecsCluster: { good: ["helium-singapore-cluster"], bad: ["a".repeat(256), "helium/cluster", "cluster.x"] },
      ecsService: { good: ["helium-backend-staging-service"], bad: ["a".repeat(256), "svc:1"] },
      logGroup: { good: ["/helium/production/backend", "a#b.c"], bad: ["a".repeat(513), "/helium/back end", "x:y"] },
      secret: { good: ["helium/backend/production"], bad: ["a".repeat(513), "helium backend", "x:y"] },
      acceleratorName: { good: ["helium-production"], bad: ["a".repeat(65), "-ga", "ga_x"] },
      ecrRepository: {
        good: ["helium-backend", "team/helium-backend"],
        bad: ["a", "Helium", "helium--backend", "helium/", "/helium", "a".repeat(257)],
      },
    };

    for (const [kind, { good, bad }] of Object.entries(cases) as Array<
      [AwsNameKind, { good: string[]; bad: string[] }]
    >) {
      it(`${kind}: accepts valid names and rejects each rule's bad names`, () => {
        for (const name of good) assert.equal(assertAwsName(kind, name, "test"), name);
        for (const name of bad) {
          assert.throws(
            () => assertAwsName(kind, name, `helium:thing`),
            (e: Error) =>
              e.message.startsWith("helium:thing: ") &&
              e.message.includes(`"${name}" (${name.length} characters) is not a valid ${kind} name`) &&
              e.message.includes("allowed is"),
            `${kind} must reject ${JSON.stringify(name)}`,
          );
          assert.ok(awsNameError(kind, name));
        }
      });
    }
  });
});
