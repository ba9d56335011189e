import * as assert from "node:assert/strict";
import type { ServiceSpec } from "../../config/services";
import { awsNameError } from "../../lib/naming";
import { XRAY_DAEMON_IMAGE } from "../../lib/platform";
import { type ServiceContext, backlogPerTaskTarget, resolveService, serviceProblems } from "../../model/service";
import type { ServiceModel } from "../../model/types/service";
import { environmentConfig, regionModel } from "../fixtures/models";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const PLATFORM_KEYS = ["REDIS_HOST", "REDIS_PORT", "REDIS_AUTH_TOKEN"];

/** Parsed service declarations, defaults merged, as the resolve step receives them. */
const specs = (services: Record<string, unknown> = {}): Record<string, ServiceSpec> =>
  environmentConfig({ services }).services;

const context = (overrides: Partial<ServiceContext> = {}): ServiceContext => ({
  environment: "production",
  region: "ap-southeast-1",
  registryId: "123456789012",
  imageTag: "v42",
  repositoryArn: "arn:aws:ecr:ap-southeast-1:123456789012:repository/helium-backend",
  priorities: [120],
  tags: { Team: "platform" },
  ...overrides,
});

describe("model/service", () => {
  describe("resolveService", () => {
    it("builds the image reference from the registry, the region, the repository and the tag or digest", () => {
      const { backend } = specs();
      assert.equal(
        resolveService("backend", backend, context()).image,
        "123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/helium-backend:v42",
      );
      assert.equal(
        resolveService("backend", backend, context({ imageTag: DIGEST, region: "us-east-1" })).image,
        `123456789012.dkr.ecr.us-east-1.amazonaws.com/helium-backend@${DIGEST}`,
      );
    });

    it("gives each route the priority the listener assigned it, keeping only the conditions it has", () => {
      const { admin } = specs({
        admin: {
          repository: "helium-admin",
          port: 9000,
          routes: [{ hostHeaders: ["admin.he2.site"] }, { hostHeaders: ["ops.he2.site"], pathPatterns: ["/ops/*"] }],
          healthCheck: { path: "/health" },
        },
      });
      assert.deepEqual(resolveService("admin", admin, context({ priorities: [130, 100] })).routes, [
        { priority: 130, hostHeaders: ["admin.he2.site"] },
        { priority: 100, hostHeaders: ["ops.he2.site"], pathPatterns: ["/ops/*"] },
      ]);
    });

    it("starts at scaling.min unless a desired count is given, and copies the scaling settings", () => {
      const all = specs({ frontend: { desiredCount: 3 } });
      const backend = resolveService("backend", all.backend, context());
      assert.equal(backend.desiredCount, 2);
      assert.deepEqual(backend.scaling, {
        min: 2,
        max: 6,
        cpuTargetPercent: 70,
        memoryTargetPercent: 70,
        scaleOutCooldownSeconds: 60,
        scaleInCooldownSeconds: 300,
      });
      assert.equal(resolveService("frontend", all.frontend, context({ priorities: [50000] })).desiredCount, 3);
    });

    it("sets a backlog target for queue consumers only", () => {
      const all = specs({ worker: { queueScaling: { acceptableLatencySeconds: 60, secondsPerMessage: 0.5 } } });
      assert.equal(resolveService("worker", all.worker, context({ priorities: [] })).scaling.backlogPerTaskTarget, 120);
      assert.equal(
        "backlogPerTaskTarget" in resolveService("backend", all.backend, context()).scaling,
        false,
        "a producer has none",
      );
    });

    it("grants the files bucket to queue users only, and keeps a health check only for routed services", () => {
      const all = specs({ worker: { healthCheck: { path: "/ready" } } });
      const backend = resolveService("backend", all.backend, context());
      const worker = resolveService("worker", all.worker, context({ priorities: [] }));
      const frontend = resolveService("frontend", all.frontend, context({ priorities: [50000] }));
      assert.deepEqual(
        [backend.filesBucketAccess, worker.filesBucketAccess, frontend.filesBucketAccess],
        [true, true, false],
      );
      assert.equal(backend.healthCheck?.path, "/api/health");
      assert.equal(worker.healthCheck, undefined, "no routes: the ALB never checks it");
    });

    it("derives every physical name, with the environment outside production, each one valid for AWS", () => {
      const { backend } = specs();
      assert.deepEqual(resolveService("backend", backend, context()).names, {
        ecsService: "helium-backend-service",
        family: "helium-backend-sg",
        executionRole: "helium-backend-exec-sg",
        taskRole: "helium-backend-task-sg",
        logGroup: "/helium/production/backend",
        targetGroupTag: "helium-backend-8000-sg",
        cpuScalingPolicy: "helium-backend-service-cpu",
        memoryScalingPolicy: "helium-backend-service-memory",
        backlogScalingPolicy: "helium-backend-service-backlog",
        appContainer: "helium-backend",
        xrayContainer: "helium-backend-xray",
      });
      const staging = resolveService("backend", backend, context({ environment: "staging", region: "ap-south-1" }));
      assert.deepEqual(
        [staging.names.ecsService, staging.names.family, staging.names.taskRole, staging.names.logGroup],
        [
          "helium-backend-staging-service",
          "helium-backend-staging-mum",
          "helium-backend-task-staging-mum",
          "/helium/staging/backend",
        ],
      );
      assert.equal(staging.iamPath, "/helium/staging/");
      assert.equal(awsNameError("logGroup", staging.names.logGroup), undefined);
      assert.deepEqual(serviceProblems(staging, PLATFORM_KEYS), [], "every name passes the AWS name rules");
    });

    it("tags with the context's tags plus the service and environment, and pins the X-Ray daemon", () => {
      const model = resolveService(
        "backend",
        specs().backend,
        context({ tags: { Team: "platform", "helium:service": "x" } }),
      );
      assert.deepEqual(model.tags, {
        Team: "platform",
        "helium:service": "backend",
        "helium:environment": "production",
      });
      assert.equal(model.xrayImage, XRAY_DAEMON_IMAGE);
      assert.deepEqual(model.secretKeys, PLATFORM_KEYS);
      assert.equal(model.repositoryArn, context().repositoryArn);
    });
  });

  describe("serviceProblems", () => {
    const resolved = () => regionModel().services;
    const backend = (patch: Partial<ServiceModel>): ServiceModel => ({ ...resolved()[0], ...patch });

    it("finds nothing wrong with resolved services", () => {
      for (const service of resolved()) assert.deepEqual(serviceProblems(service, PLATFORM_KEYS), [], service.name);
    });

    it("accepts the edges of every range", () => {
      const ok = (model: ServiceModel) => assert.deepEqual(serviceProblems(model, PLATFORM_KEYS), []);
      ok(backend({ port: 1 }));
      ok(backend({ port: 65535 }));
      ok(backend({ routes: [{ priority: 1, pathPatterns: ["/api/*"] }] }));
      ok(backend({ routes: [{ priority: 50000, pathPatterns: ["/api/*"] }] }));
      ok(backend({ desiredCount: 6 }));
      ok(backend({ routes: [], desiredCount: 0, scaling: { ...resolved()[0].scaling, min: 0 } }));
      ok(backend({ image: `123456789012.dkr.ecr.ap-south-1.amazonaws.com/helium-backend@${DIGEST}` }));
      ok(backend({ name: "a2345678901234567890" }));
    });

    it("refuses a load-balanced service that may scale to zero (an empty target group pulls its region)", () => {
      const zero = backend({ desiredCount: 0, scaling: { ...resolved()[0].scaling, min: 0 } });
      assert.deepEqual(
        serviceProblems(zero, PLATFORM_KEYS).map((p) => p.key),
        ["scaling.min"],
      );
    });

    it("holds the X-Ray rules only while the sidecar runs", () => {
      const off = backend({ xray: false, port: 2000, xrayImage: "public.ecr.aws/xray/aws-xray-daemon:latest" });
      assert.deepEqual(serviceProblems(off, PLATFORM_KEYS), []);
      assert.deepEqual(
        serviceProblems({ ...off, xray: true }, PLATFORM_KEYS).map((p) => p.key),
        ["port", "xrayImage"],
      );
    });

    it("checks secret keys against the keys it is given, by position", () => {
      const model = backend({ secretKeys: ["DJANGO_SECRET_KEY", "REDIS_HOST"] });
      assert.deepEqual(
        serviceProblems(model, PLATFORM_KEYS).map((p) => [p.key, p.value]),
        [["secretKeys[0]", "DJANGO_SECRET_KEY"]],
      );
      assert.deepEqual(serviceProblems(model, [...PLATFORM_KEYS, "DJANGO_SECRET_KEY"]), []);
    });

    // Changed: the target group's name was checked against AWS's 32 characters; the group's name is generated now
    // and the readable name is only a tag.
    it("does not hold the target group's Name tag to the 32-character target group name rule", () => {
      const names = { ...resolved()[0].names, targetGroupTag: "helium-administration-panel-9100-sg" };
      assert.deepEqual(serviceProblems(backend({ names }), PLATFORM_KEYS), []);
    });
  });

  it("backlogPerTaskTarget is acceptable latency ÷ seconds per message, 300 ÷ 2 by default", () => {
    assert.equal(backlogPerTaskTarget({ acceptableLatencySeconds: 60, secondsPerMessage: 0.5 }), 120);
    assert.equal(backlogPerTaskTarget({ acceptableLatencySeconds: 300, secondsPerMessage: 3 }), 100);
    assert.equal(backlogPerTaskTarget(undefined), 150);
  });
});
