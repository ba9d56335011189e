/**
 * ECS Exec, opt-in per service (`exec: true`): enableExecuteCommand on that service, the SSM channels on its
 * task role only, and the cluster logging every session, KMS-encrypted, to an encrypted log group.
 */
import { policyDocument, recorder } from "../../harness/component";
import * as assert from "node:assert/strict";
import { HeliumService } from "../../../components/service/HeliumService";
import { runPolicyPack } from "../../../policy-pack/engine";
import { TEST_ACCOUNT } from "../../fixtures/models";
import { ECS_SERVICE, actionsOf, deploy, inputErrorOf, ofType, stagingRegion } from "./capability-fixtures";
import { type Deployment, child, rolePolicy } from "./fixtures";

const CLUSTER = "aws:ecs/cluster:Cluster";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const CHANNELS = [
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];

describe("ECS Exec (services.<name>.exec)", function () {
  this.timeout(120_000);
  let off: Deployment;
  let on: Deployment;

  before(async () => {
    off = await deploy("exec-off", stagingRegion());
    on = await deploy("exec-on", stagingRegion({ services: { backend: { exec: true } } }));
  });

  it("is off by default: no service enables it, no SSM channel anywhere, the cluster has no exec configuration", () => {
    for (const service of ["backend", "worker", "frontend"]) {
      assert.equal(child(off, service, ECS_SERVICE).inputs.enableExecuteCommand, false, service);
    }
    const policies = ofType(off, "aws:iam/rolePolicy:RolePolicy").flatMap((p) =>
      actionsOf(policyDocument(p.inputs.policy)),
    );
    assert.ok(!policies.some((a) => a.startsWith("ssmmessages:")));
    assert.equal(ofType(off, CLUSTER)[0].inputs.configuration, undefined);
    assert.ok(!ofType(off, LOG_GROUP).some((g) => String(g.inputs.name).includes("ecs-exec")));
  });

  it("enables execute-command on the opted-in service only", () => {
    assert.equal(child(on, "backend", ECS_SERVICE).inputs.enableExecuteCommand, true);
    for (const service of ["worker", "frontend"]) {
      assert.equal(child(on, service, ECS_SERVICE).inputs.enableExecuteCommand, false, service);
    }
  });

  it("grants the SSM channels, the session log and the key to that service's task role only", () => {
    const backend = rolePolicy(on, "backend", "task");
    for (const action of CHANNELS) assert.ok(actionsOf(backend).includes(action), action);
    const group = ofType(on, LOG_GROUP).find((g) => g.inputs.name === "/helium/staging/ecs-exec/ap-south-1");
    assert.ok(group);
    const write = backend.Statement.find((s) => s.Sid === "EcsExecWriteSessionLog");
    assert.equal(write?.Resource, `${String(group.outputs.arn)}:*`);
    const decrypt = backend.Statement.find((s) => s.Sid === "EcsExecDecryptSession");
    assert.equal(decrypt?.Resource, ofType(on, "aws:kms/key:Key")[0].outputs.arn);
    for (const service of ["worker", "frontend"]) {
      assert.ok(!actionsOf(rolePolicy(on, service, "task")).some((a) => a.startsWith("ssmmessages:")), service);
    }
    for (const role of ofType(on, "aws:iam/rolePolicy:RolePolicy").filter((p) => /-exec-policy$/.test(p.name))) {
      assert.ok(
        !actionsOf(policyDocument(role.inputs.policy)).some((a) => a.startsWith("ssmmessages:")),
        "not on execution roles",
      );
    }
  });

  it("the cluster logs sessions (OVERRIDE) to a KMS-encrypted log group and encrypts sessions with the region key", () => {
    const key = String(ofType(on, "aws:kms/key:Key")[0].outputs.arn);
    const group = ofType(on, LOG_GROUP).find((g) => g.inputs.name === "/helium/staging/ecs-exec/ap-south-1");
    assert.ok(group);
    assert.equal(group.inputs.kmsKeyId, key);
    assert.deepEqual(ofType(on, CLUSTER)[0].inputs.configuration, {
      executeCommandConfiguration: {
        kmsKeyId: key,
        logging: "OVERRIDE",
        logConfiguration: { cloudWatchLogGroupName: group.inputs.name, cloudWatchEncryptionEnabled: true },
      },
    });
  });

  it("passes the policy pack (helium-ecs-exec-session-logging and the IAM policies)", () => {
    const report = runPolicyPack(on.recorded, {});
    assert.deepEqual(
      report.violations
        .filter((v) => v.enforcementLevel === "mandatory")
        .map((v) => `${v.policy} ${v.resourceName}: ${v.message}`),
      [],
    );
  });

  it("a service with exec on a foundation without the session log group registers nothing", () => {
    const backend = stagingRegion({ services: { backend: { exec: true } } }).services.find((s) => s.name === "backend");
    assert.ok(backend);
    recorder.reset();
    const message = inputErrorOf(
      () => new HeliumService("exec-orphan", { model: backend, foundation: off.region, account: TEST_ACCOUNT }),
    );
    assert.match(
      message,
      /foundation\.execSessionLogGroupArn: \(missing\) — allowed: the region's ECS Exec session log group/,
    );
    assert.deepEqual(recorder.resources, []);
  });
});
