import assert from "node:assert/strict";
import { parseStackConfig } from "../../config/stack";
import { InputError } from "../../lib/input-error";
import { readStackFile } from "../../offline/pulumi-yaml";

/** The engine's config for a Kubernetes stack: `helium:role: kubernetes` plus the given keys. */
const localInput = (config: Record<string, string>) => ({
  stack: "local",
  config: { "helium:role": "kubernetes", ...config },
});

/** The local stack's config from a flat `helium:key → text` map, as the engine hands it over. */
function parseLocal(config: Record<string, string>) {
  const parsed = parseStackConfig(localInput(config));
  assert.equal(parsed.role, "kubernetes");
  if (parsed.role !== "kubernetes") throw new Error("unreachable");
  return parsed.config;
}

/** Asserts that parsing fails with an InputError naming `key`, the bad value and the allowed values. */
function assertRejected(config: Record<string, string>, key: string, ...expected: RegExp[]): void {
  assert.throws(
    () => parseStackConfig(localInput(config)),
    (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      const issue = error.problems.find((i) => i.key === key);
      assert.ok(issue, `no issue for ${key}; got ${error.problems.map((i) => i.key).join(", ")}`);
      for (const pattern of expected) assert.match(error.message, pattern);
      return true;
    },
  );
}

const services = (value: unknown) => ({ "helium:services": JSON.stringify(value) });

describe("local stack config (config/kubernetes.ts)", () => {
  it("defaults to the seed's kind setup and the shared service declarations", () => {
    const config = parseLocal({});
    assert.equal(config.kubeContext, "kind-helium");
    assert.equal(config.namespace, "helium");
    assert.equal(config.ingressClassName, "nginx");
    assert.equal(config.installClusterAddons, true);
    assert.equal(config.runAsUser, 10001);
    assert.deepEqual(config.images, {
      "helium-backend": "helium-backend:local",
      "helium-frontend": "helium-frontend:local",
    });
    assert.deepEqual(config.appSecrets, {});
    assert.deepEqual(
      [config.services.backend.kubernetes?.minReplicas, config.services.backend.kubernetes?.maxReplicas],
      [2, 6],
    );
    assert.deepEqual(
      [config.services.worker.kubernetes?.minReplicas, config.services.worker.kubernetes?.maxReplicas],
      [1, 5],
    );
    assert.equal(config.services.frontend.kubernetes?.replicas, 2);
    assert.equal(config.services.frontend.kubernetes?.containerPort, 80);
  });

  it("accepts Pulumi.local.yaml as committed, without any secret in it", () => {
    const file = readStackFile("local");
    const config = parseLocal(file.config);
    assert.equal(config.kubeContext, "kind-helium");
    assert.deepEqual(file.secretKeys, []);
    assert.ok(
      !("helium:appSecrets" in file.config),
      "appSecrets belong in encrypted config set with --secret, not in the file",
    );
  });

  it("merges a kubernetes override over one service's defaults", () => {
    const config = parseLocal(services({ backend: { kubernetes: { maxReplicas: 10 } } }));
    assert.deepEqual(config.services.backend.kubernetes?.minReplicas, 2);
    assert.deepEqual(config.services.backend.kubernetes?.maxReplicas, 10);
    assert.deepEqual(config.services.backend.kubernetes?.requests, { cpu: "250m", memory: "512Mi" });
  });

  it("rejects a replica range with min > max", () => {
    assertRejected(
      services({ backend: { kubernetes: { minReplicas: 8, maxReplicas: 3 } } }),
      "helium:services.backend.kubernetes",
      /"minReplicas":8,"maxReplicas":3/,
      /minReplicas must be at most kubernetes\.maxReplicas/,
    );
  });

  it("rejects an HPA target outside 1-100, naming the key and value", () => {
    assertRejected(
      services({ worker: { kubernetes: { cpuTargetPercent: 101 } } }),
      "helium:services.worker.kubernetes.cpuTargetPercent",
      /101 — allowed: HPA CPU target must be 1-100/,
    );
    assertRejected(
      services({ worker: { kubernetes: { cpuTargetPercent: 0 } } }),
      "helium:services.worker.kubernetes.cpuTargetPercent",
      /0 — allowed: HPA CPU target must be 1-100/,
    );
  });

  it('rejects an invalid resource quantity such as "500 m"', () => {
    assertRejected(
      services({ backend: { kubernetes: { limits: { cpu: "500 m", memory: "1Gi" } } } }),
      "helium:services.backend.kubernetes.limits.cpu",
      /"500 m" — allowed: must be a Kubernetes quantity such as 250m, 0\.5, 512Mi or 1Gi/,
    );
  });

  it("rejects requests above limits", () => {
    assertRejected(
      services({ backend: { kubernetes: { requests: { cpu: "250m", memory: "2Gi" } } } }),
      "helium:services.backend.kubernetes.requests.memory",
      /"2Gi" — allowed: the memory request exceeds its limit 1Gi/,
    );
  });

  it("rejects an image reference without a repository", () => {
    assertRejected(
      { "helium:images": JSON.stringify({ "helium-backend": ":latest", "helium-frontend": "helium-frontend:local" }) },
      "helium:images.helium-backend",
      /":latest" — allowed: must be an image reference with a repository/,
    );
    assertRejected(
      { "helium:redisImage": "@sha256:" + "0".repeat(64) },
      "helium:redisImage",
      /must be an image reference with a repository/,
    );
  });

  it("rejects a service whose repository has no image, listing the known repositories", () => {
    assertRejected(
      { "helium:images": JSON.stringify({ "helium-backend": "helium-backend:local" }) },
      "helium:images.helium-frontend",
      /\(missing\) — allowed: service frontend runs repository helium-frontend, which has no image; known repositories: helium-backend/,
    );
  });

  it("rejects a half-open HPA range and a fixed count outside the range", () => {
    assertRejected(
      services({ frontend: { kubernetes: { minReplicas: 2 } } }),
      "helium:services.frontend.kubernetes.maxReplicas",
      /needs both minReplicas and maxReplicas/,
    );
    assertRejected(
      services({ frontend: { kubernetes: { minReplicas: 3, maxReplicas: 4 } } }),
      "helium:services.frontend.kubernetes.replicas",
      /2 — allowed: must lie within the HPA range 3-4/,
    );
  });

  it("rejects a declared secret that has no value, and accepts it once appSecrets provides one", () => {
    const declared = services({ backend: { secrets: ["REDIS_HOST", "DATABASE_URL"] } });
    assertRejected(
      declared,
      "helium:services.backend.secrets[1]",
      /"DATABASE_URL" — allowed: no value for secret DATABASE_URL/,
    );
    const config = parseLocal({ ...declared, "helium:appSecrets": JSON.stringify({ DATABASE_URL: "postgres://…" }) });
    assert.deepEqual(config.services.backend.secrets, ["REDIS_HOST", "DATABASE_URL"]);
  });

  it("rejects unknown keys (listing the allowed ones), a root UID and a host with a scheme", () => {
    assertRejected(
      { "helium:kubecontext": "kind-helium" },
      "helium:kubecontext",
      /allowed keys: role, kubeContext, namespace/,
    );
    assertRejected({ "helium:runAsUser": "0" }, "helium:runAsUser", /must be a non-root UID/);
    assertRejected(
      { "helium:ingressHost": "http://helium.localhost" },
      "helium:ingressHost",
      /must be a lower-case host name/,
    );
  });

  describe("what services connect to (consumes, kubernetes.egress)", () => {
    it("defaults backend and worker to consuming redis, the frontend to nothing, and every service to no egress", () => {
      const config = parseLocal({});
      assert.deepEqual(config.services.backend.consumes, ["cache"]);
      assert.deepEqual(config.services.worker.consumes, ["cache"]);
      assert.deepEqual(config.services.frontend.consumes, []);
      for (const svc of ["backend", "worker", "frontend"])
        assert.deepEqual(config.services[svc].kubernetes?.egress, [], svc);
    });

    it("accepts another service with a port and an egress rule, defaulting its protocol to TCP", () => {
      const config = parseLocal(
        services({
          frontend: { consumes: ["backend"] },
          worker: { kubernetes: { egress: [{ cidr: "203.0.113.0/24", ports: [443] }] } },
        }),
      );
      assert.deepEqual(config.services.frontend.consumes, ["backend"]);
      assert.deepEqual(config.services.worker.kubernetes?.egress, [
        { cidr: "203.0.113.0/24", ports: [443], protocol: "TCP" },
      ]);
    });

    it("rejects an egress CIDR with host bits, no ports, a port out of range, another protocol or an unknown key", () => {
      const egress = (rule: unknown) => services({ backend: { kubernetes: { egress: [rule] } } });
      assertRejected(
        egress({ cidr: "203.0.113.7/24", ports: [443] }),
        "helium:services.backend.kubernetes.egress[0].cidr",
        /"203\.0\.113\.7\/24" — allowed: must be an IPv4 CIDR block with no host bits set/,
      );
      assertRejected(
        egress({ cidr: "203.0.113.0/24", ports: [] }),
        "helium:services.backend.kubernetes.egress[0].ports",
      );
      assertRejected(
        egress({ cidr: "203.0.113.0/24", ports: [70000] }),
        "helium:services.backend.kubernetes.egress[0].ports[0]",
        /70000 — allowed: must be a port in 1-65535/,
      );
      assertRejected(
        egress({ cidr: "203.0.113.0/24", ports: [53], protocol: "ICMP" }),
        "helium:services.backend.kubernetes.egress[0].protocol",
      );
      assertRejected(
        egress({ cidr: "203.0.113.0/24", ports: [443], host: "api.example.com" }),
        "helium:services.backend.kubernetes.egress[0].host",
        /unknown key "host"; allowed keys: cidr, ports, protocol/,
      );
    });

    it("rejects consuming an unknown name, itself, the port-less worker or a disabled service", () => {
      const consumes = (list: string[], extra: Record<string, unknown> = {}) =>
        services({ frontend: { consumes: list }, ...extra });
      assertRejected(
        consumes(["postgres"]),
        "helium:services.frontend.consumes[0]",
        /"postgres" — allowed: is neither an in-cluster store \(cache\) nor a service \(backend, worker, frontend\)/,
      );
      assertRejected(consumes(["frontend"]), "helium:services.frontend.consumes[0]", /cannot consume itself/);
      assertRejected(consumes(["worker"]), "helium:services.frontend.consumes[0]", /worker has no port/);
      assertRejected(
        consumes(["backend"], { backend: { enabled: false } }),
        "helium:services.frontend.consumes[0]",
        /service backend is disabled/,
      );
    });

    it("rejects Redis keys without consuming redis, and consuming redis without its keys", () => {
      assertRejected(
        services({ worker: { consumes: [] } }),
        "helium:services.worker.secrets[0]",
        /"REDIS_HOST" — allowed: is the in-cluster cache's, but consumes does not list "cache"/,
      );
      assertRejected(
        services({ frontend: { consumes: ["cache"] } }),
        "helium:services.frontend.consumes[0]",
        /declares none of cache's keys \(REDIS_HOST, REDIS_PORT, REDIS_AUTH_TOKEN\)/,
      );
    });

    it("rejects a service named like the in-cluster Redis, whose objects would share its names", () => {
      assertRejected(
        services({ redis: { repository: "helium-backend", kubernetes: {} } }),
        "helium:services.redis",
        /a name other than an in-cluster store.s \(cache, redis\)/,
      );
    });
  });

  it("defaults the ingress controller to ingress-nginx's, and rejects one without labels or with a bad namespace", () => {
    assert.deepEqual(parseLocal({}).ingressController, {
      namespace: "ingress-nginx",
      podLabels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" },
    });
    const controller = (value: unknown) => ({ "helium:ingressController": JSON.stringify(value) });
    assert.deepEqual(
      parseLocal(controller({ namespace: "traefik", podLabels: { app: "traefik" } })).ingressController,
      {
        namespace: "traefik",
        podLabels: { app: "traefik" },
      },
    );
    assertRejected(
      controller({ namespace: "traefik", podLabels: {} }),
      "helium:ingressController.podLabels",
      /must name at least one label/,
    );
    assertRejected(
      controller({ namespace: "Traefik_NS", podLabels: { app: "traefik" } }),
      "helium:ingressController.namespace",
      /must be one lower-case DNS label/,
    );
  });
});
