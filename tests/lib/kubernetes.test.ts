import assert from "node:assert/strict";
import {
  ingressPathFor,
  isImageReference,
  isQuantity,
  parseQuantity,
  replicaHandling,
  replicaPlan,
} from "../../lib/kubernetes";
import { serviceSchema } from "../../config/services";

describe("lib/kubernetes", () => {
  it("parses quantities with decimal and binary units", () => {
    assert.equal(parseQuantity("250m"), 0.25);
    assert.equal(parseQuantity("0.5"), 0.5);
    assert.equal(parseQuantity("512Mi"), 512 * 1024 * 1024);
    assert.equal(parseQuantity("1Gi"), 1024 ** 3);
    assert.equal(parseQuantity("1G"), 1e9);
    assert.ok(parseQuantity("1Gi") > parseQuantity("1G"));
    assert.throws(() => parseQuantity("500 m"), /"500 m" is not a Kubernetes quantity/);
    for (const bad of ["500 m", "", "1gi", "m", "-1", "1.5.2"]) assert.equal(isQuantity(bad), false, bad);
  });

  it("accepts image references with a repository only", () => {
    for (const good of [
      "helium-backend:local",
      "redis:7.2-alpine",
      "docker.io/acme/helium-backend:1.4.0",
      "localhost:5000/helium@sha256:" + "a".repeat(64),
    ]) {
      assert.equal(isImageReference(good), true, good);
    }
    for (const bad of [":latest", "@sha256:" + "a".repeat(64), "", "Helium:local", "helium backend"])
      assert.equal(isImageReference(bad), false, bad);
  });

  it("turns ALB path patterns into Ingress paths", () => {
    assert.deepEqual(ingressPathFor("/api/*"), { path: "/api/", pathType: "Prefix" });
    assert.deepEqual(ingressPathFor("/*"), { path: "/", pathType: "Prefix" });
    assert.deepEqual(ingressPathFor("/healthz"), { path: "/healthz", pathType: "Exact" });
    assert.equal(ingressPathFor("/api/*/v1"), undefined);
    assert.equal(ingressPathFor("/a?c"), undefined);
  });

  it("lets the HPA own the count when a replica range is declared, else fixes replicas (defaulting to scaling.min)", () => {
    const base = { repository: "helium-backend", cpu: 512, memory: 1024 };
    assert.deepEqual(replicaPlan(serviceSchema.parse({ ...base, kubernetes: { minReplicas: 2, maxReplicas: 6 } })), {
      kind: "hpa",
      minReplicas: 2,
      maxReplicas: 6,
      cpuTargetPercent: 70,
    });
    assert.deepEqual(replicaPlan(serviceSchema.parse({ ...base, kubernetes: { replicas: 3 } })), {
      kind: "fixed",
      replicas: 3,
    });
    assert.deepEqual(replicaPlan(serviceSchema.parse({ ...base, scaling: { min: 2, max: 4 } })), {
      kind: "fixed",
      replicas: 2,
    });
  });

  it("never leaves spec.replicas out: an HPA's Deployment keeps its minimum and ignores changes, a fixed count is forced", () => {
    assert.deepEqual(replicaHandling({ kind: "hpa", minReplicas: 2, maxReplicas: 6, cpuTargetPercent: 70 }), {
      replicas: 2,
      ignoreChanges: ["spec.replicas"],
      forceApply: false,
    });
    assert.deepEqual(replicaHandling({ kind: "fixed", replicas: 4 }), {
      replicas: 4,
      ignoreChanges: [],
      forceApply: true,
    });
  });
});
