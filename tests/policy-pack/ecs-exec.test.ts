import assert from "node:assert/strict";
import { ecsExecSessionLogging, execSessionLoggingGaps } from "../../policy-pack/policies/ecs-exec";
import { UNKNOWN_STRING, found, res, run } from "./fixtures";

const CLUSTER = "aws:ecs/cluster:Cluster";
const SERVICE = "aws:ecs/service:Service";
const POLICY = "helium-ecs-exec-session-logging";

const LOGGED = {
  executeCommandConfiguration: {
    kmsKeyId: "arn:aws:kms:ap-south-1:1:key/k",
    logging: "OVERRIDE",
    logConfiguration: {
      cloudWatchLogGroupName: "/helium/staging/ecs-exec/ap-south-1",
      cloudWatchEncryptionEnabled: true,
    },
  },
};

/** A cluster with `configuration` and a service on it with enableExecuteCommand `exec`. */
function stack(configuration: unknown, exec: unknown = true, name = "svc") {
  const cluster = res(CLUSTER, "cluster", configuration === undefined ? { name: "c" } : { name: "c", configuration });
  const service = res(
    SERVICE,
    name,
    { enableExecuteCommand: exec, cluster: "arn:aws:ecs:ap-south-1:1:cluster/c" },
    { deps: { cluster: [cluster] } },
  );
  return [cluster, service];
}

describe("helium-ecs-exec-session-logging (mandatory)", () => {
  it("accepts ECS Exec on a cluster that encrypts sessions and logs them, encrypted, with OVERRIDE", () => {
    assert.deepEqual(found(run(ecsExecSessionLogging, stack(LOGGED))), []);
    const s3 = {
      executeCommandConfiguration: {
        kmsKeyId: "k",
        logging: "OVERRIDE",
        logConfiguration: { s3BucketName: "b", s3EncryptionEnabled: true },
      },
    };
    assert.deepEqual(found(run(ecsExecSessionLogging, stack(s3))), []);
  });

  it("ignores services without ECS Exec, whatever their cluster", () => {
    assert.deepEqual(found(run(ecsExecSessionLogging, stack(undefined, false))), []);
  });

  it("flags ECS Exec on a cluster without an exec configuration, without a key, without OVERRIDE, or logging unencrypted", () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ["none", undefined, /has no executeCommandConfiguration/],
      [
        "no-key",
        { executeCommandConfiguration: { ...LOGGED.executeCommandConfiguration, kmsKeyId: undefined } },
        /does not encrypt sessions/,
      ],
      [
        "default",
        { executeCommandConfiguration: { kmsKeyId: "k", logging: "DEFAULT" } },
        /logging is DEFAULT, not OVERRIDE/,
      ],
      [
        "plain-logs",
        {
          executeCommandConfiguration: {
            kmsKeyId: "k",
            logging: "OVERRIDE",
            logConfiguration: { cloudWatchLogGroupName: "g", cloudWatchEncryptionEnabled: false },
          },
        },
        /does not write session logs encrypted/,
      ],
      [
        "no-destination",
        { executeCommandConfiguration: { kmsKeyId: "k", logging: "OVERRIDE" } },
        /does not write session logs encrypted/,
      ],
    ];
    for (const [name, configuration, message] of cases) {
      const report = run(ecsExecSessionLogging, stack(configuration, true, name));
      assert.deepEqual(found(report), [{ policy: POLICY, enforcementLevel: "mandatory", resourceName: name }], name);
      assert.match(report.violations[0]?.message ?? "", message, name);
    }
  });

  it("flags ECS Exec whose cluster is not in the stack (nothing to check it against)", () => {
    const report = run(ecsExecSessionLogging, [
      res(SERVICE, "orphan", { enableExecuteCommand: true, cluster: "arn:aws:ecs:ap-south-1:1:cluster/x" }),
    ]);
    assert.deepEqual(found(report), [{ policy: POLICY, enforcementLevel: "mandatory", resourceName: "orphan" }]);
    assert.match(report.violations[0]?.message ?? "", /cluster is not in this stack/);
  });

  it("at a first preview, a key and group created in the same update (unknown) count as set", () => {
    const preview = {
      executeCommandConfiguration: {
        kmsKeyId: UNKNOWN_STRING,
        logging: "OVERRIDE",
        logConfiguration: { cloudWatchLogGroupName: UNKNOWN_STRING, cloudWatchEncryptionEnabled: true },
      },
    };
    assert.deepEqual(found(run(ecsExecSessionLogging, stack(preview))), []);
    assert.deepEqual(execSessionLoggingGaps(undefined).length, 1);
  });

  it("an exemption with a written reason is reported as exempted, not as a violation", () => {
    const reason = "throwaway debugging stack, HE-42";
    const report = run(ecsExecSessionLogging, stack(undefined, true, "debug-svc"), {
      [POLICY]: { exemptions: [{ resource: "debug-svc", reason }] },
    });
    assert.deepEqual(found(report), []);
    assert.deepEqual(
      report.exempted.map((e) => ({ policy: e.policy, reason: e.reason })),
      [{ policy: POLICY, reason }],
    );
  });
});
