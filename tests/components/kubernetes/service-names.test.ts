/**
 * Kubernetes name resolution of a consumed service: the frontend calls `http://backend:8000` on ECS (Service
 * Connect); on Kubernetes the same name and port resolve through a Service named `backend`, and the
 * NetworkPolicies open frontend → backend pods (and nothing more) because the frontend declares it consumes it.
 */
import { oneOf, recorder, resourcesOfType, settle } from "../../harness/component";
import assert from "node:assert/strict";
import { KubernetesApp, type KubernetesAppArgs, consumedServices } from "../../../components/KubernetesApp";
import type { LocalStackConfig } from "../../../config/kubernetes";
import { parseStackConfig } from "../../../config/stack";
import type { RecordedResource } from "../../../offline/types";
import { Cluster, type Pod, type PolicySpec } from "../network-policy-eval";

const SERVICE = "kubernetes:core/v1:Service";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const NAMESPACE = "kubernetes:core/v1:Namespace";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- recorded JSON, navigated in assertions

function config(services?: unknown): LocalStackConfig {
  const parsed = parseStackConfig({
    stack: "local",
    config: {
      "helium:role": "kubernetes",
      ...(services !== undefined ? { "helium:services": JSON.stringify(services) } : {}),
    },
  });
  if (parsed.role !== "kubernetes") throw new Error("expected the local stack");
  return parsed.config;
}

async function render(cfg: LocalStackConfig, extra: Partial<KubernetesAppArgs> = {}): Promise<RecordedResource[]> {
  recorder.reset();
  new KubernetesApp("helium", { services: cfg.services, images: cfg.images, ...extra });
  await settle();
  return [...recorder.resources];
}

const serviceNamed = (name: string) => resourcesOfType(SERVICE).filter((r) => (r.inputs.metadata as Obj).name === name);

/** The rendered NetworkPolicies over Helium's pods. */
function clusterOf(): { cluster: Cluster; pods: Record<string, Pod> } {
  const ns = oneOf(NAMESPACE);
  const pods: Record<string, Pod> = {};
  resourcesOfType(DEPLOYMENT).forEach((d, i) => {
    const spec = d.inputs.spec as Obj;
    pods[d.name.replace(/^helium-/, "")] = {
      name: d.name,
      namespace: (d.inputs.metadata as Obj).namespace as string,
      labels: spec.template.metadata.labels as Record<string, string>,
      ip: `10.244.1.${10 + i}`,
    };
  });
  const policies = resourcesOfType(NETWORK_POLICY).map((r) => ({
    namespace: (r.inputs.metadata as Obj).namespace as string,
    spec: r.inputs.spec as PolicySpec,
  }));
  return {
    cluster: new Cluster(
      { [(ns.inputs.metadata as Obj).name]: (ns.inputs.metadata as Obj).labels, "kube-system": {} },
      policies,
    ),
    pods,
  };
}

describe("KubernetesApp: a consumed service resolves by its own name (the Service Connect name on ECS)", function () {
  this.timeout(60_000);

  it("the seed's declarations consume no service: no extra Service (the committed local stack is unchanged)", async () => {
    await render(config());
    assert.deepEqual(
      resourcesOfType(SERVICE)
        .map((r) => (r.inputs.metadata as Obj).name as string)
        .sort(),
      ["helium-backend", "helium-frontend", "helium-redis"],
    );
    assert.deepEqual([...consumedServices(config().services)], []);
  });

  it("frontend consumes backend: a Service `backend` on the ECS port 8000 → the pods' named port, same selector", async () => {
    await render(config({ frontend: { consumes: ["backend"] } }));
    const [alias] = serviceNamed("backend");
    assert.ok(alias, "a Service named backend");
    const backend = serviceNamed("helium-backend")[0];
    const spec = alias.inputs.spec as Obj;
    assert.equal(spec.type, "ClusterIP");
    assert.deepEqual(spec.selector, (backend.inputs.spec as Obj).selector);
    assert.deepEqual(spec.ports, [{ name: "http", port: 8000, targetPort: "http", protocol: "TCP" }]);
    assert.equal((alias.inputs.metadata as Obj).namespace, (backend.inputs.metadata as Obj).namespace);
    assert.equal(serviceNamed("frontend").length, 0, "nobody consumes the frontend");
  });

  it("the NetworkPolicies open frontend → backend on the container port, and keep every undeclared path closed", async () => {
    await render(config({ frontend: { consumes: ["backend"] } }));
    const { cluster, pods } = clusterOf();
    assert.equal(cluster.allows({ from: pods.frontend, to: pods.backend, port: 8000 }), true);
    assert.equal(cluster.allows({ from: pods.frontend, to: pods.backend, port: 8001 }), false);
    assert.equal(cluster.allows({ from: pods.backend, to: pods.frontend, port: 80 }), false);
    assert.equal(cluster.allows({ from: pods.worker, to: pods.backend, port: 8000 }), false);
    assert.equal(cluster.allows({ from: pods.frontend, to: pods.redis, port: 6379 }), false);
  });

  it("a consumed service whose Kubernetes port differs keeps its ECS port on the alias (frontend: 3000 → container 80)", async () => {
    await render(config({ backend: { consumes: ["cache", "frontend"] } }));
    const spec = serviceNamed("frontend")[0]?.inputs.spec as Obj;
    assert.deepEqual(spec.ports, [{ name: "http", port: 3000, targetPort: "http", protocol: "TCP" }]);
    const { cluster, pods } = clusterOf();
    assert.equal(cluster.allows({ from: pods.backend, to: pods.frontend, port: 80 }), true);
  });

  it("rejects, registering nothing, a consumed service whose name is not a Service name or is another Service's", () => {
    const base = config();
    const services = {
      ...base.services,
      "helium-backend": { ...base.services.backend, kubernetes: undefined },
      "api-": { ...base.services.backend, kubernetes: undefined },
      frontend: { ...base.services.frontend, consumes: ["helium-backend", "api-"] },
    };
    recorder.reset();
    assert.throws(
      () => new KubernetesApp("helium", { services, images: base.images, namePrefix: "helium" }),
      (e: Error) =>
        e.name === "InputError" &&
        /services\.api-: "api-" — allowed: a name that is a Kubernetes Service name/.test(e.message) &&
        /services\.helium-backend: "helium-backend" — allowed: a name other than the Service names/.test(e.message),
    );
    assert.deepEqual(recorder.resources, []);
  });
});
