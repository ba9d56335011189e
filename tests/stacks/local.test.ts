import { recorder, settle, valueOf } from "../harness/component";
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../../config/stack";
import { localStack } from "../../stacks/local";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { evaluateStack } from "../../offline/evaluate";
import { PROJECT_ROOT, readStackFile } from "../../offline/pulumi-yaml";
import type { RecordedResource, StackEvaluation } from "../../offline/types";
import { kubernetesObjects, validateAgainstSchema } from "../components/kubernetes-schema";

const byTypeAndName = (resources: readonly RecordedResource[]) =>
  resources.map((r) => `${r.type.split(":").pop()}/${r.name}`).sort();

describe("local stack (whole program under mocks, Pulumi.local.yaml)", function () {
  this.timeout(120000);
  let evaluation: StackEvaluation;
  before(async () => {
    evaluation = await evaluateStack("local");
  });

  it("registers the full Helium set on Kubernetes, add-ons included", () => {
    assert.deepEqual(byTypeAndName(evaluation.resources.filter((r) => r.type.startsWith("kubernetes:"))), [
      "Deployment/helium-backend",
      "Deployment/helium-frontend",
      "Deployment/helium-redis",
      "Deployment/helium-worker",
      "HorizontalPodAutoscaler/helium-backend-hpa",
      "HorizontalPodAutoscaler/helium-worker-hpa",
      "Ingress/helium",
      "Namespace/helium",
      "NetworkPolicy/helium-backend-network",
      "NetworkPolicy/helium-default-deny",
      "NetworkPolicy/helium-frontend-network",
      "NetworkPolicy/helium-redis-clients",
      "NetworkPolicy/helium-worker-network",
      "PodDisruptionBudget/helium-backend-pdb",
      "PodDisruptionBudget/helium-frontend-pdb",
      "PodDisruptionBudget/helium-worker-pdb",
      "Release/ingress-nginx",
      "Release/metrics-server",
      "Secret/helium-backend-secret",
      "Secret/helium-redis-auth",
      "Secret/helium-worker-secret",
      "Service/helium-backend",
      "Service/helium-frontend",
      "Service/helium-redis",
    ]);
    assert.equal(
      evaluation.resources.filter((r) => r.type.startsWith("aws:")).length,
      0,
      "the local stack touches no AWS resource",
    );
  });

  it("keeps every URN of the committed baseline (tests/fixtures/urns/local.txt): no existing object is replaced", () => {
    const baseline = fs
      .readFileSync(path.join(PROJECT_ROOT, "tests", "fixtures", "urns", "local.txt"), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "");
    assert.ok(baseline.length > 20);
    const registered = new Set(evaluation.resources.map((r) => r.urn));
    assert.deepEqual(
      baseline.filter((urn) => !registered.has(urn)),
      [],
    );
  });

  it("binds every Kubernetes object to one explicit provider for the configured kubeconfig context", () => {
    const providers = evaluation.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
    assert.equal(providers.length, 1);
    assert.equal(providers[0].inputs.context, "kind-helium");
    for (const r of evaluation.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
      assert.ok(r.provider?.startsWith(`${providers[0].urn}::`), `${r.type} ${r.name} uses ${r.provider}`);
    }
  });

  it("renders every Kubernetes object valid against the official schemas", () => {
    for (const r of kubernetesObjects(evaluation.resources)) validateAgainstSchema(r);
  });

  it("exports the namespace, ingress URL and service names", () => {
    const out = evaluation.outputs;
    assert.equal(out.kubeContext, "kind-helium");
    assert.equal(out.namespace, "helium");
    assert.equal(out.url, "http://localhost/");
    assert.deepEqual(out.ingress, { name: "helium", className: "nginx", host: null, url: "http://localhost/" });
    assert.deepEqual(out.serviceNames, { backend: "helium-backend", frontend: "helium-frontend" });
    assert.deepEqual(out.hpaNames, { backend: "helium-backend-hpa", worker: "helium-worker-hpa" });
    assert.equal(out.redisHost, "helium-redis.helium.svc.cluster.local");
  });
});

describe("kind-cluster.yaml", () => {
  interface KindNode {
    role: string;
    kubeadmConfigPatches?: string[];
    extraPortMappings?: Array<{ containerPort: number; hostPort: number }>;
  }
  const cluster = parse(fs.readFileSync(path.join(PROJECT_ROOT, "kind-cluster.yaml"), "utf8")) as {
    name: string;
    nodes: KindNode[];
  };

  it("creates the context Pulumi.local.yaml deploys to", () => {
    assert.equal(`kind-${cluster.name}`, readStackFile("local").config["helium:kubeContext"]);
  });

  it("labels one node ingress-ready and maps host ports 80/443 to it, where the controller binds them", () => {
    const ingressNodes = cluster.nodes.filter((n) =>
      (n.kubeadmConfigPatches ?? []).some((p) => p.includes("ingress-ready=true")),
    );
    assert.equal(ingressNodes.length, 1);
    const mapped = (ingressNodes[0].extraPortMappings ?? []).map((m) => [m.containerPort, m.hostPort]);
    assert.deepEqual(mapped, [
      [80, 80],
      [443, 443],
    ]);
  });
});

// Config variations run in-process (one child evaluation costs ~10 s): the same localStack function,
// fed by parseStackConfig exactly as stacks/index.ts feeds it.
describe("local stack program with other config (in-process)", function () {
  this.timeout(30000);
  beforeEach(() => recorder.reset());

  function run(config: Record<string, string>) {
    const parsed = parseStackConfig({ stack: "local", config: { "helium:role": "kubernetes", ...config } });
    if (parsed.role !== "kubernetes") throw new Error("expected a Kubernetes stack");
    return localStack(parsed.config);
  }

  it("uses the configured context, skips the add-ons when told, and keeps app secrets out of plain text", async () => {
    const outputs = run({
      "helium:kubeContext": "staging-cluster",
      "helium:installClusterAddons": "false",
      "helium:appSecrets": JSON.stringify({ SESSION_KEY: "from-config" }),
    });
    await settle();
    const providers = recorder.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
    assert.deepEqual(
      providers.map((p) => p.inputs.context),
      ["staging-cluster"],
    );
    for (const r of recorder.resources.filter((x) => x.type.startsWith("kubernetes:")))
      assert.ok(r.provider?.startsWith(`${providers[0].urn}::`), r.name);
    assert.equal(recorder.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").length, 0);
    const secrets = recorder.resources.filter(
      (r) => r.type === "kubernetes:core/v1:Secret" && /helium-(backend|worker)-secret/.test(r.name),
    );
    assert.equal(secrets.length, 2);
    for (const r of recorder.resources.filter((x) => !secrets.includes(x))) {
      assert.ok(!JSON.stringify(r.inputs).includes("from-config"), `${r.name} carries the app secret in plain text`);
    }
    assert.equal(await valueOf(pulumi.output(outputs.namespace)), "helium");
  });
});
