import assert from "node:assert/strict";
import { parseStackConfig } from "../../config/load";
import { ConfigError } from "../../config/stacks";
import { readStackFile } from "../../offline/pulumi-yaml";

/** The local stack's config from a flat `helium:key → text` map, as the engine hands it over. */
function parseLocal(config: Record<string, string>) {
  const parsed = parseStackConfig("local", config);
  assert.equal(parsed.stack, "local");
  return parsed.config;
}

/** Asserts that parsing fails with a ConfigError naming `key`, the bad value and the allowed values. */
function assertRejected(config: Record<string, string>, key: string, ...expected: RegExp[]): void {
  assert.throws(
    () => parseStackConfig("local", config),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      const issue = error.issues.find((i) => i.key === key);
      assert.ok(issue, `no issue for ${key}; got ${error.issues.map((i) => i.key).join(", ")}`);
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
      /101 — HPA CPU target must be 1-100/,
    );
    assertRejected(
      services({ worker: { kubernetes: { cpuTargetPercent: 0 } } }),
      "helium:services.worker.kubernetes.cpuTargetPercent",
      /0 — HPA CPU target must be 1-100/,
    );
  });

  it('rejects an invalid resource quantity such as "500 m"', () => {
    assertRejected(
      services({ backend: { kubernetes: { limits: { cpu: "500 m", memory: "1Gi" } } } }),
      "helium:services.backend.kubernetes.limits.cpu",
      /"500 m" — must be a Kubernetes quantity such as 250m, 0\.5, 512Mi or 1Gi/,
    );
  });

  it("rejects requests above limits", () => {
    assertRejected(
      services({ backend: { kubernetes: { requests: { cpu: "250m", memory: "2Gi" } } } }),
      "helium:services.backend.kubernetes.requests.memory",
      /"2Gi" — the memory request exceeds its limit 1Gi/,
    );
  });

  it("rejects an image reference without a repository", () => {
    assertRejected(
      { "helium:images": JSON.stringify({ "helium-backend": ":latest", "helium-frontend": "helium-frontend:local" }) },
      "helium:images.helium-backend",
      /":latest" — must be an image reference with a repository/,
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
      /\(missing\) — service frontend runs repository helium-frontend, which has no image; known repositories: helium-backend/,
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
      /2 — must lie within the HPA range 3-4/,
    );
  });

  it("rejects a declared secret that has no value, and accepts it once appSecrets provides one", () => {
    const declared = services({ backend: { secrets: ["REDIS_HOST", "DATABASE_URL"] } });
    assertRejected(declared, "helium:services.backend.secrets[1]", /"DATABASE_URL" — no value for secret DATABASE_URL/);
    const config = parseLocal({ ...declared, "helium:appSecrets": JSON.stringify({ DATABASE_URL: "postgres://…" }) });
    assert.deepEqual(config.services.backend.secrets, ["REDIS_HOST", "DATABASE_URL"]);
  });

  it("rejects unknown keys (listing the allowed ones), a root UID and a host with a scheme", () => {
    assertRejected(
      { "helium:kubecontext": "kind-helium" },
      "helium:kubecontext",
      /allowed keys: kubeContext, namespace/,
    );
    assertRejected({ "helium:runAsUser": "0" }, "helium:runAsUser", /must be a non-root UID/);
    assertRejected(
      { "helium:ingressHost": "http://helium.localhost" },
      "helium:ingressHost",
      /must be a lower-case host name/,
    );
  });
});
