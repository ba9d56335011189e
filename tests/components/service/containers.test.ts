import * as assert from "node:assert/strict";
import {
  type ContainerReferences,
  TMP_VOLUME,
  XRAY_DAEMON_ADDRESS,
  containerDefinitions,
  secretValueFrom,
} from "../../../components/service/containers";
import { XRAY_DAEMON_IMAGE } from "../../../lib/platform";
import type { ServiceModel } from "../../../model/types/service";
import { regionModel } from "../../fixtures/models";

const SECRET_ARN = "arn:aws:secretsmanager:ap-south-1:123456789012:secret:helium/backend/staging-AbCdEf";
const REFS: ContainerReferences = {
  logGroupName: "/helium/staging/backend",
  secretArn: SECRET_ARN,
  secretVersionId: "11111111-2222-3333-4444-555555555555",
  queueUrl: "https://sqs.ap-south-1.amazonaws.com/123456789012/helium-work-staging-mum",
  filesBucketName: "helium-files-staging-mum",
};

interface Container {
  name: string;
  image: string;
  essential: boolean;
  command?: string[];
  portMappings?: Array<{ containerPort: number; protocol: string; name?: string }>;
  environment: Array<{ name: string; value: string }>;
  secrets?: Array<{ name: string; valueFrom: string }>;
  readonlyRootFilesystem: boolean;
  privileged: boolean;
  mountPoints?: Array<{ sourceVolume: string; containerPath: string; readOnly: boolean }>;
  linuxParameters?: { initProcessEnabled: boolean };
  dependsOn?: Array<{ containerName: string; condition: string }>;
  healthCheck?: { command: string[] };
  cpu?: number;
  memoryReservation?: number;
  logConfiguration: { logDriver: string; options: Record<string, string> };
}

const services = (overrides: Record<string, unknown> = {}) =>
  Object.fromEntries(regionModel(overrides).services.map((s) => [s.name, s]));
const definitions = (model: ServiceModel, refs: ContainerReferences = REFS) =>
  containerDefinitions(model, refs) as unknown as Container[];

describe("service containers (containers.ts)", () => {
  const { backend, worker, frontend } = services();

  it("secretValueFrom is <secret arn>:<json key>::<version id> (empty version stage)", () => {
    assert.equal(secretValueFrom(SECRET_ARN, "REDIS_HOST", "v-1"), `${SECRET_ARN}:REDIS_HOST::v-1`);
  });

  it("is plain JSON data: serialising it loses nothing", () => {
    const defs = containerDefinitions(backend, REFS);
    assert.deepEqual(JSON.parse(JSON.stringify(defs)), defs);
  });

  it("runs the model's image as the essential app container, with its port and an init process", () => {
    const [app] = definitions(backend);
    assert.equal(app.name, "helium-backend");
    assert.equal(app.image, backend.image);
    assert.equal(app.essential, true);
    assert.equal(app.command, undefined);
    assert.deepEqual(app.portMappings, [{ containerPort: 8000, protocol: "tcp", name: "http" }]);
    assert.deepEqual(app.linuxParameters, { initProcessEnabled: true });
    const [workerApp] = definitions(worker);
    assert.deepEqual(workerApp.command, ["python", "run_worker.py"]);
    assert.equal(workerApp.portMappings, undefined, "the worker accepts no traffic");
  });

  it("injects every secret key with valueFrom pinned to the secret's version, never as plain environment", () => {
    const [app] = definitions(backend);
    assert.deepEqual(
      app.secrets,
      backend.secretKeys.map((key) => ({ name: key, valueFrom: `${SECRET_ARN}:${key}::${REFS.secretVersionId}` })),
    );
    assert.deepEqual(backend.secretKeys, ["REDIS_HOST", "REDIS_PORT", "REDIS_AUTH_TOKEN"]);
    const plain = app.environment.map((e) => e.name);
    for (const key of backend.secretKeys) assert.ok(!plain.includes(key), `${key} must not be a plain variable`);
    assert.deepEqual(definitions(frontend)[0].secrets, []);
  });

  it("changes the definition when the secret's value (version) changes, so the service rolls", () => {
    const before = definitions(backend);
    const after = definitions(backend, { ...REFS, secretVersionId: "66666666-7777-8888-9999-000000000000" });
    assert.notDeepEqual(after, before);
    assert.deepEqual(
      after[0].secrets?.map((s) => s.valueFrom.split(":").pop()),
      backend.secretKeys.map(() => "66666666-7777-8888-9999-000000000000"),
    );
    assert.deepEqual({ ...after[0], secrets: [] }, { ...before[0], secrets: [] }, "nothing else changes");
  });

  it("sets the queue URL for queue users, the files bucket for those with access, and the X-Ray address, sorted", () => {
    assert.deepEqual(definitions(backend)[0].environment, [
      { name: "AWS_XRAY_DAEMON_ADDRESS", value: XRAY_DAEMON_ADDRESS },
      { name: "HELIUM_FILES_BUCKET", value: REFS.filesBucketName },
      { name: "HELIUM_QUEUE_URL", value: REFS.queueUrl },
    ]);
    assert.deepEqual(definitions(frontend)[0].environment, [
      { name: "AWS_XRAY_DAEMON_ADDRESS", value: XRAY_DAEMON_ADDRESS },
    ]);
    assert.equal(XRAY_DAEMON_ADDRESS, "127.0.0.1:2000");
    const custom = services({ services: { frontend: { environment: { NODE_ENV: "production", API_BASE: "/api" } } } });
    assert.deepEqual(
      definitions(custom.frontend)[0].environment.map((e) => e.name),
      ["API_BASE", "AWS_XRAY_DAEMON_ADDRESS", "NODE_ENV"],
    );
  });

  it("logs every container with non-blocking awslogs to the given group in the model's region", () => {
    for (const container of definitions(backend)) {
      assert.equal(container.logConfiguration.logDriver, "awslogs");
      assert.deepEqual(
        { ...container.logConfiguration.options, "awslogs-stream-prefix": undefined },
        {
          "awslogs-group": REFS.logGroupName,
          "awslogs-region": "ap-south-1",
          "awslogs-stream-prefix": undefined,
          mode: "non-blocking",
          "max-buffer-size": "25m",
        },
      );
    }
    const [app, xray] = definitions(backend);
    assert.equal(app.logConfiguration.options["awslogs-stream-prefix"], "backend");
    assert.equal(xray.logConfiguration.options["awslogs-stream-prefix"], "xray");
  });

  it("mounts the root filesystem read-only with a writable /tmp volume, and runs nothing privileged", () => {
    const [app, xray] = definitions(backend);
    assert.equal(app.readonlyRootFilesystem, true);
    assert.deepEqual(app.mountPoints, [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }]);
    assert.equal(TMP_VOLUME, "tmp");
    assert.equal(xray.readonlyRootFilesystem, true);
    assert.equal(app.privileged, false);
    assert.equal(xray.privileged, false);
  });

  it("runs a pinned, non-essential X-Ray daemon on UDP 2000 with an exec-form health check, started before the app", () => {
    for (const model of [backend, worker, frontend]) {
      const [app, xray] = definitions(model);
      assert.equal(xray.name, `helium-${model.name}-xray`);
      assert.equal(xray.image, XRAY_DAEMON_IMAGE);
      assert.match(xray.image, /^public\.ecr\.aws\/xray\/aws-xray-daemon:\d+\.\d+\.\d+$/, "a version, not latest");
      assert.equal(xray.essential, false);
      assert.deepEqual(xray.portMappings, [{ containerPort: 2000, protocol: "udp" }]);
      assert.deepEqual(xray.environment, [{ name: "AWS_REGION", value: "ap-south-1" }]);
      assert.deepEqual(xray.healthCheck?.command, ["CMD", "/xray", "--version"]);
      assert.equal(xray.cpu, 32);
      assert.equal(xray.memoryReservation, 64);
      assert.deepEqual(app.dependsOn, [{ containerName: xray.name, condition: "START" }]);
    }
  });

  it("can opt out of the read-only root filesystem and X-Ray", () => {
    const { backend: plain } = services({ services: { backend: { readonlyRootFilesystem: false, xray: false } } });
    const defs = definitions(plain);
    assert.equal(defs.length, 1, "no sidecar");
    assert.equal(defs[0].readonlyRootFilesystem, false);
    assert.equal(defs[0].mountPoints, undefined);
    assert.equal(defs[0].dependsOn, undefined);
    assert.ok(!defs[0].environment.some((e) => e.name === "AWS_XRAY_DAEMON_ADDRESS"));
  });
});
