import * as assert from "node:assert/strict";
import { AWS_NAME_KINDS, AWS_NAME_RULES, type AwsNameKind } from "../../lib/aws-name-catalog";
import { assertAwsName, awsNameAllowed, awsNameError, awsNameProblem } from "../../lib/aws-name-rules";

/** Accepted and rejected names per kind: the longest accepted and the shortest too-long name for each limit. */
const CASES: Record<AwsNameKind, { good: string[]; bad: string[] }> = {
  s3Bucket: {
    good: ["helium-files-sg", "a.b-c", "abc", "a".repeat(63), "a--b"],
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
      "amzn-s3-demo-x",
      "helium-s3alias",
      "helium--ol-s3",
      "helium.mrap",
      "helium--x-s3",
      "helium--table-s3",
      "192.168.1.1",
    ],
  },
  loadBalancer: {
    good: ["helium-alb-sg", "a".repeat(32), "A1"],
    bad: ["a".repeat(33), "-alb", "alb-", "internal-alb", "alb_sg", ""],
  },
  targetGroup: { good: ["helium-backend-tg", "a".repeat(32)], bad: ["a".repeat(33), "tg-", "-tg", "tg.x", ""] },
  iamRole: {
    good: ["helium-flow-logs-sg", "a+b=c,d.e@f_g", "a".repeat(64)],
    bad: ["a".repeat(65), "role/x", "has space", ""],
  },
  iamPolicy: { good: ["helium-deploy-staging-data", "a".repeat(128)], bad: ["a".repeat(129), "a:b", ""] },
  iamPath: {
    good: ["/", "/helium/staging/", `/${"a".repeat(510)}/`],
    bad: ["", "helium/", "/helium", `/${"a".repeat(511)}/`, "/a b/"],
  },
  kmsAlias: {
    good: ["alias/helium-key-sg", `alias/${"a".repeat(250)}`, "alias/a/b_c"],
    bad: ["alias/", `alias/${"a".repeat(251)}`, "helium-key", "alias/aws/x", "alias/a.b"],
  },
  elasticacheReplicationGroup: {
    good: ["helium-redis-sg", "a1", "r", "a".repeat(40)],
    bad: ["a".repeat(41), "1redis", "Redis", "re--dis", "redis-", ""],
  },
  elasticacheSubnetGroup: {
    good: ["helium-redis-subnets-sg", "a".repeat(255)],
    bad: ["a".repeat(256), "Helium", "a_b", ""],
  },
  sqsQueue: {
    good: ["helium-work-sg", "work_q", "jobs.fifo", "a".repeat(80)],
    bad: ["a".repeat(81), "work.queue", "work queue", ""],
  },
  snsTopic: { good: ["helium-alerts-sg", "a".repeat(256), "t.fifo"], bad: ["a".repeat(257), "a.b", "a b", ""] },
  ecsCluster: { good: ["helium-singapore-cluster", "a".repeat(255)], bad: ["a".repeat(256), "helium/cluster", "x.y"] },
  ecsService: { good: ["helium-backend-staging-service", "a_b"], bad: ["a".repeat(256), "svc:1", ""] },
  ecsTaskFamily: { good: ["helium-backend-mum", "a".repeat(255)], bad: ["a".repeat(256), "a.b"] },
  ecsContainer: { good: ["helium-backend-xray"], bad: ["a".repeat(256), "a b"] },
  appAutoscalingPolicy: {
    good: ["helium-backend-service-cpu", "a".repeat(256), "with space"],
    bad: ["a".repeat(257), "", "tab\there"],
  },
  logGroup: {
    good: ["/helium/production/backend", "a#b.c", "a".repeat(512)],
    bad: ["a".repeat(513), "/helium/back end", "x:y", ""],
  },
  secret: {
    good: ["helium/backend/production", "a".repeat(512), "a-12345"],
    bad: ["a".repeat(513), "helium backend", "x:y", "helium-abcdef", "name-1a2b3c"],
  },
  acceleratorName: {
    good: ["helium-production", "a.b", "a".repeat(64)],
    bad: ["a".repeat(65), "-ga", "ga-", ".ga", "ga.", "ga_x"],
  },
  ecrRepository: {
    good: ["helium-backend", "team/helium-backend", "a__b", "a--b", "ab", "1a", "a".repeat(256)],
    bad: ["a", "Helium", "a___b", "helium/", "/helium", "a".repeat(257), "a-", "a..b"],
  },
  cloudWatchAlarm: {
    good: ["helium-backend-cpu-high-sg", "Ünïcode ok", "a".repeat(255)],
    bad: ["a".repeat(256), "", "bell\u0007"],
  },
  cloudWatchDashboard: { good: ["helium-production", "a_b", "a".repeat(255)], bad: ["a".repeat(256), "a.b", "a b"] },
  grafanaWorkspace: { good: ["helium-production", "a.b_c~d", "a".repeat(255)], bad: ["a".repeat(256), "a b", ""] },
  xrayGroup: { good: ["helium-production", "a".repeat(32)], bad: ["a".repeat(33), "Default", "a.b", ""] },
  xraySamplingRule: { good: ["helium-production", "a".repeat(32)], bad: ["a".repeat(33), "Default", "a b"] },
  securityGroupName: {
    good: ["helium-mumbai-alb-sg", "a b:c/(d)#e,f@g[h]+i=j&k;l{m}!n$o*", "a".repeat(255)],
    bad: ["a".repeat(256), "sg-123", "a%b", "", "ä"],
  },
  securityGroupDescription: {
    good: ["Helium ALB: HTTP/HTTPS from the internet (Global Accelerator edge)", "sg-ok here"],
    bad: ["a".repeat(256), "", "quote's", "ä"],
  },
  rdsInstanceIdentifier: {
    good: ["helium-db-sg", "a".repeat(63)],
    bad: ["a".repeat(64), "1db", "db-", "d--b", "DB"],
  },
  dbParameterGroup: { good: ["helium-db-params-sg", "a".repeat(255)], bad: ["a".repeat(256), "p-", "1p", "p--q"] },
  dbSubnetGroup: {
    good: ["helium-db-subnets-sg", "a.b_c d-e", "a".repeat(255)],
    bad: ["a".repeat(256), "default", "1a", "A", ""],
  },
  apiGatewayName: { good: ["helium-gateway", "a".repeat(128)], bad: ["a".repeat(129), "a b", ""] },
  cloudMapNamespace: {
    good: ["helium", "helium.internal", "a".repeat(1024)],
    bad: ["a".repeat(1025), "arn:aws:x", "a b", ""],
  },
  serviceConnectDiscoveryName: {
    good: ["backend", "_svc", "a".repeat(64)],
    bad: ["a".repeat(65), "-svc", "Svc", "a.b", ""],
  },
  tagValue: { good: ["", "helium-mumbai-vpc", "Mumbai: a/b=c+d@e", "a".repeat(256)], bad: ["a".repeat(257), "a#b"] },
};

describe("lib/aws-name-rules", () => {
  for (const kind of AWS_NAME_KINDS) {
    it(`${kind}: accepts valid names and rejects each rule's bad names`, () => {
      const { good, bad } = CASES[kind];
      for (const name of good) {
        assert.equal(awsNameAllowed(kind, name), undefined, `${kind} must accept ${JSON.stringify(name)}`);
        assert.equal(assertAwsName(kind, name, "test"), name);
      }
      for (const name of bad) {
        assert.ok(awsNameAllowed(kind, name), `${kind} must reject ${JSON.stringify(name)}`);
      }
    });
  }

  it("every rule can be repaired: its safe characters include '-' and pass the rule", () => {
    for (const kind of AWS_NAME_KINDS) {
      const rule = AWS_NAME_RULES[kind];
      assert.ok(rule.safeCharacters.includes("-"), kind);
      assert.ok(rule.source.startsWith("https://docs.aws.amazon.com/"), `${kind} cites an AWS page`);
      assert.ok(rule.maxLength >= rule.minLength, kind);
    }
  });

  it("reports a Problem with the key, the value and the rule's words and source", () => {
    assert.equal(awsNameProblem("targetGroup", "helium-backend-8000-mum", "k"), undefined);
    const problem = awsNameProblem("targetGroup", "helium-notifications-8000-staging-mum", "names.targetGroup");
    assert.deepEqual(problem && { key: problem.key, value: problem.value }, {
      key: "names.targetGroup",
      value: "helium-notifications-8000-staging-mum",
    });
    assert.match(problem?.allowed ?? "", /^1-32 letters, digits and hyphens.*API_CreateTargetGroup\.html/);
  });

  it("assertAwsName throws naming the source, the value and its length", () => {
    const name = "a".repeat(33);
    assert.throws(
      () => assertAwsName("loadBalancer", name, "helium:thing"),
      (e: Error) =>
        e.message.startsWith("helium:thing: ") &&
        e.message.includes(`"${name}" (33 characters) is not a valid loadBalancer name`) &&
        e.message.includes("allowed is"),
    );
    assert.equal(awsNameError("loadBalancer", "ok"), undefined);
  });
});
