import { oneOf, recorder, resourcesOfType, settle, valueOf } from "../harness/component";
import assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_ADDONS, KubernetesApp, type KubernetesAppArgs } from "../../components/KubernetesApp";
import { parseStackConfig } from "../../config/stack";
import { InputError } from "../../lib/input-error";
import type { LocalStackConfig } from "../../config/kubernetes";
import type { ServiceSpec } from "../../config/services";
import type { RecordedResource } from "../../offline/types";
import { Cluster, type Endpoint, type Pod, type PolicySpec } from "./network-policy-eval";
import {
  isSecretEnvelope,
  kubernetesObjects,
  revealSecrets,
  validateAgainstSchema,
  validateObject,
} from "./kubernetes-schema";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const SECRET = "kubernetes:core/v1:Secret";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const NAMESPACE = "kubernetes:core/v1:Namespace";

/** The local stack's defaults, straight from the schema: the same declarations ECS renders. */
function defaults(overrides: Record<string, string> = {}): LocalStackConfig {
  const parsed = parseStackConfig({ stack: "local", config: { "helium:role": "kubernetes", ...overrides } });
  if (parsed.role !== "kubernetes") throw new Error("expected the local stack");
  return parsed.config;
}

function argsFrom(config: LocalStackConfig, extra: Partial<KubernetesAppArgs> = {}): KubernetesAppArgs {
  return { services: config.services, images: config.images, ...extra };
}

async function render(args: KubernetesAppArgs, opts: pulumi.ComponentResourceOptions = {}): Promise<KubernetesApp> {
  const app = new KubernetesApp("helium", args, opts);
  await settle();
  return app;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- recorded JSON, navigated in assertions
const spec = (r: RecordedResource): Obj => r.inputs.spec as Obj;
const podSpec = (r: RecordedResource): Obj => spec(r).template.spec as Obj;
const container = (r: RecordedResource): Obj => podSpec(r).containers[0] as Obj;

/**
 * Records the resource options of every child by type token and logical name (`<type>::<name>`; a
 * Deployment and its Service share a name). The mocks do not see options such as ignoreChanges.
 */
function captureOptions(): {
  options: Map<string, pulumi.ResourceOptions>;
  transformation: pulumi.ResourceTransformation;
} {
  const options = new Map<string, pulumi.ResourceOptions>();
  return {
    options,
    transformation: ({ type, name, opts }) => {
      options.set(`${type}::${name}`, opts);
      return undefined;
    },
  };
}

/** A copy of the default services with `change` applied to one service. */
function withService(
  config: LocalStackConfig,
  name: string,
  change: (s: ServiceSpec) => ServiceSpec,
): Record<string, ServiceSpec> {
  return { ...config.services, [name]: change(config.services[name]) };
}

describe("KubernetesApp", () => {
  describe("with the seed's service declarations", () => {
    const config = defaults();
    let app: KubernetesApp;
    let childOptions: Map<string, pulumi.ResourceOptions>;
    // Rendered once; every test below only reads the recording.
    before(async () => {
      recorder.reset();
      const captured = captureOptions();
      childOptions = captured.options;
      app = await render(argsFrom(config, { appSecrets: { SESSION_KEY: pulumi.secret("s3cr3t-value") } }), {
        transformations: [captured.transformation],
      });
    });

    it("registers exactly the expected objects, each a child of the component", () => {
      const names = kubernetesObjects(recorder.resources)
        .map((r) => `${r.type.split(":")[2]}/${r.name}`)
        .sort();
      assert.deepEqual(names, [
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
        "Secret/helium-backend-secret",
        "Secret/helium-redis-auth",
        "Secret/helium-worker-secret",
        "Service/helium-backend",
        "Service/helium-frontend",
        "Service/helium-redis",
      ]);
      const component = oneOf("helium:index:KubernetesApp");
      for (const r of recorder.resources.filter((x) => x !== component))
        assert.equal(r.parent, component.urn, `${r.name} is not a child`);
    });

    it("renders every object valid against the official Kubernetes schemas, with no unknown fields", () => {
      const objects = kubernetesObjects(recorder.resources);
      assert.ok(objects.length >= 22);
      for (const r of objects) validateAgainstSchema(r);
    });

    it("puts every namespaced object in the helium namespace, which enforces the restricted Pod Security Standard", () => {
      const ns = oneOf("kubernetes:core/v1:Namespace");
      assert.equal((ns.inputs.metadata as Obj).name, "helium");
      assert.equal((ns.inputs.metadata as Obj).labels["pod-security.kubernetes.io/enforce"], "restricted");
      for (const r of kubernetesObjects(recorder.resources).filter((x) => x !== ns))
        assert.equal((r.inputs.metadata as Obj).namespace, "helium", r.name);
    });

    // Changed with the HPA handover: an HPA's Deployment now keeps spec.replicas (the HPA minimum) and
    // ignores changes to it, instead of leaving it out, which server-side apply turns into 1 replica.
    it("runs frontend with 2 fixed replicas, force-applied, and starts backend and worker at their HPA minimum, ignoring later changes", () => {
      const frontend = oneOf(DEPLOYMENT, /^helium-frontend$/);
      assert.equal(spec(frontend).replicas, 2);
      assert.deepEqual((frontend.inputs.metadata as Obj).annotations, { "pulumi.com/patchForce": "true" });
      assert.deepEqual(childOptions.get(`${DEPLOYMENT}::helium-frontend`)?.ignoreChanges ?? [], []);
      for (const [svc, min] of [
        ["backend", 2],
        ["worker", 1],
      ] as const) {
        const deployment = oneOf(DEPLOYMENT, new RegExp(`^helium-${svc}$`));
        assert.equal(spec(deployment).replicas, min, svc);
        assert.equal((deployment.inputs.metadata as Obj).annotations, undefined, svc);
        assert.deepEqual(childOptions.get(`${DEPLOYMENT}::helium-${svc}`)?.ignoreChanges, ["spec.replicas"], svc);
      }
    });

    it("gives backend 2-6 and worker 1-5 replicas at 70% CPU with autoscaling/v2 HPAs targeting their Deployments", () => {
      for (const [svc, min, max] of [
        ["backend", 2, 6],
        ["worker", 1, 5],
      ] as const) {
        const hpa = spec(oneOf(HPA, new RegExp(`^helium-${svc}-hpa$`)));
        assert.deepEqual(hpa.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: `helium-${svc}` });
        assert.equal(hpa.minReplicas, min);
        assert.equal(hpa.maxReplicas, max);
        assert.deepEqual(hpa.metrics, [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
        ]);
        assert.equal(
          hpa.behavior.scaleDown.stabilizationWindowSeconds,
          config.services[svc].scaling.scaleInCooldownSeconds,
        );
      }
      assert.equal(resourcesOfType(HPA).length, 2);
    });

    it("sets the declared requests and limits (backend and worker 250m/512Mi → 500m/1Gi)", () => {
      for (const svc of ["backend", "worker", "frontend"]) {
        const k = config.services[svc].kubernetes;
        assert.deepEqual(container(oneOf(DEPLOYMENT, new RegExp(`^helium-${svc}$`))).resources, {
          requests: k?.requests,
          limits: k?.limits,
        });
      }
      assert.deepEqual(container(oneOf(DEPLOYMENT, /^helium-backend$/)).resources, {
        requests: { cpu: "250m", memory: "512Mi" },
        limits: { cpu: "500m", memory: "1Gi" },
      });
    });

    it("runs the images of the services' repositories, the worker with `python run_worker.py` as args", () => {
      assert.equal(container(oneOf(DEPLOYMENT, /^helium-backend$/)).image, "helium-backend:local");
      assert.equal(container(oneOf(DEPLOYMENT, /^helium-frontend$/)).image, "helium-frontend:local");
      const worker = container(oneOf(DEPLOYMENT, /^helium-worker$/));
      assert.equal(worker.image, "helium-backend:local");
      assert.deepEqual(worker.args, ["python", "run_worker.py"]);
      assert.equal(worker.command, undefined);
      assert.equal(worker.ports, undefined);
      for (const d of resourcesOfType(DEPLOYMENT)) assert.equal(container(d).imagePullPolicy, "IfNotPresent");
    });

    it("probes the backend on /api/health and the frontend on /, and gives the port-less worker no HTTP probes", () => {
      const backend = container(oneOf(DEPLOYMENT, /^helium-backend$/));
      assert.deepEqual(backend.ports, [{ name: "http", containerPort: 8000, protocol: "TCP" }]);
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        assert.deepEqual(backend[probe].httpGet, { path: "/api/health", port: "http" }, probe);
      }
      assert.ok(backend.livenessProbe.failureThreshold > backend.readinessProbe.failureThreshold);
      const health = config.services.backend.healthCheck;
      assert.equal(
        backend.startupProbe.failureThreshold * backend.startupProbe.periodSeconds >= (health?.gracePeriodSeconds ?? 0),
        true,
      );
      assert.equal(container(oneOf(DEPLOYMENT, /^helium-frontend$/)).readinessProbe.httpGet.path, "/");
      assert.deepEqual(container(oneOf(DEPLOYMENT, /^helium-frontend$/)).ports, [
        { name: "http", containerPort: 80, protocol: "TCP" },
      ]);
      const worker = container(oneOf(DEPLOYMENT, /^helium-worker$/));
      assert.equal(worker.readinessProbe, undefined);
      assert.equal(worker.livenessProbe, undefined);
    });

    it("locks down every pod: non-root, no privilege escalation, ALL capabilities dropped, read-only root with a /tmp emptyDir", () => {
      for (const d of resourcesOfType(DEPLOYMENT)) {
        const pod = podSpec(d);
        assert.equal(pod.securityContext.runAsNonRoot, true, d.name);
        assert.ok(pod.securityContext.runAsUser > 0, d.name);
        assert.deepEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
        assert.equal(pod.automountServiceAccountToken, false);
        assert.equal(pod.enableServiceLinks, false);
        const c = container(d);
        assert.equal(c.securityContext.allowPrivilegeEscalation, false, d.name);
        assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] });
        assert.equal(c.securityContext.readOnlyRootFilesystem, true, d.name);
        assert.ok(
          c.volumeMounts.some((m: Obj) => m.mountPath === "/tmp"),
          d.name,
        );
        const tmp = c.volumeMounts.find((m: Obj) => m.mountPath === "/tmp");
        assert.ok(
          pod.volumes.some((v: Obj) => v.name === tmp.name && v.emptyDir !== undefined),
          d.name,
        );
      }
      assert.equal(podSpec(oneOf(DEPLOYMENT, /^helium-backend$/)).securityContext.runAsUser, 10001);
      // Port 80 as non-root needs the unprivileged-port sysctl; port 8000 does not.
      assert.deepEqual(podSpec(oneOf(DEPLOYMENT, /^helium-frontend$/)).securityContext.sysctls, [
        { name: "net.ipv4.ip_unprivileged_port_start", value: "0" },
      ]);
      assert.equal(podSpec(oneOf(DEPLOYMENT, /^helium-backend$/)).securityContext.sysctls, undefined);
    });

    it("exposes frontend on 80 and backend on 8000 as ClusterIP Services, and the worker not at all", () => {
      const frontend = spec(oneOf(SERVICE, /^helium-frontend$/));
      assert.equal(frontend.type, "ClusterIP");
      assert.deepEqual(frontend.ports, [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
      assert.deepEqual(spec(oneOf(SERVICE, /^helium-backend$/)).ports, [
        { name: "http", port: 8000, targetPort: "http", protocol: "TCP" },
      ]);
      assert.equal(resourcesOfType(SERVICE).filter((s) => s.name.includes("worker")).length, 0);
      for (const name of ["frontend", "backend"]) {
        const svc = spec(oneOf(SERVICE, new RegExp(`^helium-${name}$`)));
        const deployment = oneOf(DEPLOYMENT, new RegExp(`^helium-${name}$`));
        assert.deepEqual(svc.selector, spec(deployment).selector.matchLabels);
        for (const [key, value] of Object.entries(svc.selector))
          assert.equal(spec(deployment).template.metadata.labels[key], value);
      }
    });

    it("gives every Helium Deployment a PodDisruptionBudget that never blocks draining a single replica", () => {
      for (const svc of ["frontend", "backend", "worker"]) {
        const pdb = spec(oneOf(PDB, new RegExp(`^helium-${svc}-pdb$`)));
        assert.equal(pdb.maxUnavailable, 1);
        assert.equal(pdb.minAvailable, undefined);
        assert.deepEqual(
          pdb.selector.matchLabels,
          spec(oneOf(DEPLOYMENT, new RegExp(`^helium-${svc}$`))).selector.matchLabels,
        );
      }
    });

    it("routes / to the frontend and /api/ to the backend through an nginx-class Ingress with Prefix paths", () => {
      const ingress = spec(oneOf(INGRESS));
      assert.equal(ingress.ingressClassName, "nginx");
      assert.equal(ingress.rules.length, 1);
      assert.equal(ingress.rules[0].host, undefined);
      const paths = (ingress.rules[0].http.paths as Obj[]).map((p): unknown[] => [
        p.path,
        p.pathType,
        p.backend.service.name,
        p.backend.service.port.number,
      ]);
      assert.deepEqual(paths.sort(), [
        ["/", "Prefix", "helium-frontend", 80],
        ["/api/", "Prefix", "helium-backend", 8000],
      ]);
    });

    it("writes backend and worker Secrets as secrets (app secrets plus the in-cluster Redis) and loads them with envFrom", async () => {
      const password = oneOf("random:index/randomPassword:RandomPassword").outputs.result;
      for (const svc of ["backend", "worker"]) {
        const secret = oneOf(SECRET, new RegExp(`^helium-${svc}-secret$`));
        assert.ok(isSecretEnvelope(secret.inputs.stringData), `${svc} stringData is not marked secret`);
        assert.deepEqual(revealSecrets(secret.inputs.stringData), {
          SESSION_KEY: "s3cr3t-value",
          REDIS_HOST: "helium-redis.helium.svc.cluster.local",
          REDIS_PORT: "6379",
          REDIS_AUTH_TOKEN: password,
        });
        assert.equal((secret.inputs.metadata as Obj).name, undefined, "auto-named so a changed value rolls the pods");
        const secretName = (secret.outputs.metadata as Obj).name;
        assert.deepEqual(container(oneOf(DEPLOYMENT, new RegExp(`^helium-${svc}$`))).envFrom, [
          { secretRef: { name: secretName } },
        ]);
      }
      assert.equal(resourcesOfType(SECRET).filter((s) => s.name.includes("frontend")).length, 0);
      assert.equal(container(oneOf(DEPLOYMENT, /^helium-frontend$/)).envFrom, undefined);
      // The value appears nowhere but inside the secret envelopes.
      for (const r of recorder.resources.filter((x) => x.type !== SECRET)) {
        assert.ok(!JSON.stringify(r.inputs).includes("s3cr3t-value"), `${r.name} carries the secret in plain text`);
      }
      assert.equal(await valueOf(app.redisHost), "helium-redis.helium.svc.cluster.local");
    });

    it("runs an in-cluster Redis with AUTH from a Secret, reachable only from the backend and worker", () => {
      const redis = oneOf(DEPLOYMENT, /^helium-redis$/);
      const c = container(redis);
      assert.equal(c.image, "redis:7.2-alpine");
      assert.deepEqual(c.args.slice(0, 2), ["--requirepass", "$(REDIS_PASSWORD)"]);
      const auth = oneOf(SECRET, /^helium-redis-auth$/);
      assert.ok(isSecretEnvelope(auth.inputs.stringData));
      assert.deepEqual(c.env, [
        {
          name: "REDIS_PASSWORD",
          valueFrom: { secretKeyRef: { name: (auth.outputs.metadata as Obj).name, key: "REDIS_PASSWORD" } },
        },
      ]);
      assert.equal(podSpec(redis).securityContext.runAsNonRoot, true);
      assert.deepEqual(spec(oneOf(SERVICE, /^helium-redis$/)).ports, [
        { name: "redis", port: 6379, targetPort: "redis", protocol: "TCP" },
      ]);
      const policy = spec(oneOf(NETWORK_POLICY, /^helium-redis-clients$/));
      assert.deepEqual(policy.podSelector.matchLabels, spec(redis).selector.matchLabels);
      assert.deepEqual(policy.ingress[0].from[0].podSelector.matchExpressions[0].values, [
        "helium-backend",
        "helium-worker",
      ]);
    });

    it("installs no cluster add-ons unless asked", () => {
      assert.equal(resourcesOfType(RELEASE).length, 0);
      assert.deepEqual(
        oneOf(INGRESS).dependencies.filter((d) => d.includes("Release")),
        [],
      );
    });

    it("exports the namespace, service names, HPA names and ingress URL", async () => {
      assert.equal(await valueOf(app.namespace), "helium");
      assert.deepEqual(Object.keys(app.serviceNames).sort(), ["backend", "frontend"]);
      assert.equal(await valueOf(app.serviceNames.backend), "helium-backend");
      assert.deepEqual(Object.keys(app.hpaNames).sort(), ["backend", "worker"]);
      assert.deepEqual(await valueOf(app.ingress), {
        name: "helium",
        className: "nginx",
        host: null,
        url: "http://localhost/",
      });
    });
  });

  describe("options", () => {
    const config = defaults();
    beforeEach(() => recorder.reset());

    it("installs metrics-server and ingress-nginx from pinned charts, and the Ingress waits for the controller", async () => {
      await render(argsFrom(config, { installClusterAddons: true }));
      const metrics = oneOf(RELEASE, /^metrics-server$/).inputs;
      assert.deepEqual(
        [metrics.chart, metrics.version, (metrics.repositoryOpts as Obj).repo, metrics.namespace],
        [
          "metrics-server",
          CLUSTER_ADDONS.metricsServer.version,
          "https://kubernetes-sigs.github.io/metrics-server/",
          "kube-system",
        ],
      );
      assert.match(String(metrics.version), /^\d+\.\d+\.\d+$/);
      const nginx = oneOf(RELEASE, /^ingress-nginx$/);
      assert.deepEqual(
        [nginx.inputs.chart, (nginx.inputs.repositoryOpts as Obj).repo],
        ["ingress-nginx", "https://kubernetes.github.io/ingress-nginx"],
      );
      assert.match(String(nginx.inputs.version), /^\d+\.\d+\.\d+$/);
      const controller = (nginx.inputs.values as Obj).controller;
      assert.deepEqual(controller.hostPort, { enabled: true });
      assert.deepEqual(controller.nodeSelector["ingress-ready"], "true");
      assert.equal(controller.ingressClassResource.name, "nginx");
      assert.ok(oneOf(INGRESS).dependencies.includes(nginx.urn));
    });

    it("uses the given namespace, prefix, host, class and UID everywhere", async () => {
      const app = await render(
        argsFrom(config, {
          namespace: "team-a",
          namePrefix: "he",
          ingressHost: "helium.localhost",
          ingressClassName: "public",
          runAsUser: 20000,
        }),
      );
      for (const r of kubernetesObjects(recorder.resources).filter((x) => x.type !== "kubernetes:core/v1:Namespace")) {
        assert.equal((r.inputs.metadata as Obj).namespace, "team-a", r.name);
      }
      assert.equal(spec(oneOf(INGRESS)).ingressClassName, "public");
      assert.equal(spec(oneOf(INGRESS)).rules[0].host, "helium.localhost");
      assert.equal(podSpec(oneOf(DEPLOYMENT, /^he-backend$/)).securityContext.runAsUser, 20000);
      assert.deepEqual(await valueOf(app.ingress), {
        name: "he",
        className: "public",
        host: "helium.localhost",
        url: "http://helium.localhost/",
      });
      for (const r of kubernetesObjects(recorder.resources)) validateAgainstSchema(r);
    });

    it("passes the provider given to the component to every object", async () => {
      const provider = new k8s.Provider("kind", { context: "kind-test" });
      await render(argsFrom(config, { installClusterAddons: true }), { providers: [provider] });
      const providerRecord = oneOf("pulumi:providers:kubernetes");
      assert.equal(providerRecord.inputs.context, "kind-test");
      const objects = recorder.resources.filter((r) => r.type.startsWith("kubernetes:"));
      assert.ok(objects.length > 18);
      for (const r of objects)
        assert.ok(r.provider?.startsWith(`${providerRecord.urn}::`), `${r.name} uses ${r.provider}`);
    });

    it("renders a frontend HPA when its declaration gets a replica range, and skips disabled services", async () => {
      let services = withService(config, "frontend", (s) => ({
        ...s,
        kubernetes: { ...(s.kubernetes as NonNullable<ServiceSpec["kubernetes"]>), minReplicas: 2, maxReplicas: 4 },
      }));
      services = withService({ ...config, services }, "worker", (s) => ({ ...s, enabled: false }));
      await render({ ...argsFrom(config), services });
      assert.equal(spec(oneOf(HPA, /^helium-frontend-hpa$/)).maxReplicas, 4);
      assert.equal(spec(oneOf(DEPLOYMENT, /^helium-frontend$/)).replicas, 2, "the HPA minimum, never absent");
      assert.equal(recorder.resources.filter((r) => r.name.includes("worker")).length, 0);
    });
  });

  // Change test: the Deployment the engine would send to the provider when the config changes from one
  // replica model to the other. The mocks record each config's program inputs; `engineUpdate` applies the
  // resource options to them as the engine does on an update.
  describe("switching a service between a fixed count and an HPA (issue: HPA drops the service to one pod)", () => {
    const services = (frontend: Record<string, unknown>) =>
      defaults({ "helium:services": JSON.stringify({ frontend: { kubernetes: frontend } }) });
    const FIXED_4 = services({ replicas: 4 });
    const HPA_2_6 = services({ replicas: 4, minReplicas: 2, maxReplicas: 6 });
    const HPA_3_6 = services({ replicas: 4, minReplicas: 3, maxReplicas: 6 });
    const FIXED_2 = services({ replicas: 2 });

    interface Rendered {
      readonly inputs: Obj;
      readonly ignoreChanges: readonly string[];
      readonly hpa: Obj | undefined;
    }

    /** The frontend's Deployment inputs and options, and its HPA spec, for one config. */
    async function frontendOf(config: LocalStackConfig): Promise<Rendered> {
      recorder.reset();
      const captured = captureOptions();
      await render(argsFrom(config), { transformations: [captured.transformation] });
      const hpas = resourcesOfType(HPA).filter((r) => r.name === "helium-frontend-hpa");
      return {
        inputs: oneOf(DEPLOYMENT, /^helium-frontend$/).inputs,
        ignoreChanges: captured.options.get(`${DEPLOYMENT}::helium-frontend`)?.ignoreChanges ?? [],
        hpa: hpas.length === 1 ? spec(hpas[0]) : undefined,
      };
    }

    /**
     * The inputs the engine sends on an update from `old` (inputs in state) to `next`: each ignoreChanges
     * path keeps its value from state when state has one, else takes the program's value
     * (https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/).
     */
    function engineUpdate(old: Obj, next: Rendered): Obj {
      const sent = structuredClone(next.inputs);
      for (const path of next.ignoreChanges) {
        const keys = path.split(".");
        const last = keys.pop() as string;
        const oldParent = keys.reduce<Obj | undefined>((o, k) => o?.[k] as Obj | undefined, old);
        const sentParent = keys.reduce<Obj>((o, k) => o[k] as Obj, sent);
        if (oldParent !== undefined && last in oldParent) sentParent[last] = oldParent[last];
      }
      return sent;
    }

    it("fixed 4 → HPA 2-6: the update keeps spec.replicas at 4 and leaves it to the HPA from then on", async () => {
      const before = await frontendOf(FIXED_4);
      const after = await frontendOf(HPA_2_6);
      assert.equal(before.inputs.spec.replicas, 4);
      assert.equal(before.hpa, undefined);
      assert.equal(after.inputs.spec.replicas, 2, "a new Deployment would start at the HPA minimum");
      assert.deepEqual(after.ignoreChanges, ["spec.replicas"]);
      assert.equal(engineUpdate(before.inputs, after).spec.replicas, 4, "spec.replicas is sent, unchanged");
      assert.deepEqual([after.hpa?.minReplicas, after.hpa?.maxReplicas], [2, 6]);
    });

    it("HPA 2-6 → fixed 4: the update sends spec.replicas 4, force-applied over the HPA controller's ownership", async () => {
      const before = await frontendOf(HPA_2_6);
      const after = await frontendOf(FIXED_4);
      const sent = engineUpdate(engineUpdate(before.inputs, before), after);
      assert.equal(sent.spec.replicas, 4);
      assert.deepEqual(after.ignoreChanges, []);
      assert.equal(sent.metadata.annotations["pulumi.com/patchForce"], "true");
      assert.equal(after.hpa, undefined);
    });

    it("an HPA-managed Deployment ignores replica changes: a new HPA range changes the HPA, not the Deployment", async () => {
      const fixed = await frontendOf(FIXED_4);
      const hpa = await frontendOf(HPA_2_6);
      const inState = engineUpdate(fixed.inputs, hpa);
      const narrower = await frontendOf(HPA_3_6);
      assert.equal(narrower.inputs.spec.replicas, 3);
      assert.deepEqual(engineUpdate(inState, narrower), inState, "the Deployment update is a no-op");
      assert.equal(narrower.hpa?.minReplicas, 3);
    });

    it("a Deployment registered without spec.replicas under an HPA (before this fix) gets the HPA minimum, not nothing", async () => {
      const hpa = await frontendOf(HPA_2_6);
      const legacy = structuredClone(hpa.inputs);
      delete legacy.spec.replicas;
      assert.equal(engineUpdate(legacy, hpa).spec.replicas, 2);
    });

    it("spec.replicas is a positive count in every update between the four configs, both ways", async () => {
      const configs = { FIXED_4, HPA_2_6, HPA_3_6, FIXED_2 };
      const rendered = new Map<string, Rendered>();
      for (const [label, config] of Object.entries(configs)) rendered.set(label, await frontendOf(config));
      for (const [from, old] of rendered) {
        for (const [to, next] of rendered) {
          const replicas = engineUpdate(old.inputs, next).spec.replicas;
          assert.ok(Number.isInteger(replicas) && replicas >= 1, `${from} → ${to} sends replicas ${replicas}`);
        }
      }
    });
  });

  describe("NetworkPolicies (default deny; open exactly the declared paths)", () => {
    /** Labels the pinned ingress-nginx chart puts on its pods (templates/_helpers.tpl and the controller/webhook templates). */
    const chartLabels = (component: string) => ({
      "app.kubernetes.io/name": "ingress-nginx",
      "app.kubernetes.io/instance": "ingress-nginx",
      "app.kubernetes.io/part-of": "ingress-nginx",
      "app.kubernetes.io/managed-by": "Helm",
      "app.kubernetes.io/component": component,
    });

    /** Pods around Helium's: the controller, its admission job, cluster DNS, and strangers in and out of the namespace. */
    const OTHER_PODS: Record<string, Pod> = {
      controller: {
        name: "controller",
        namespace: "ingress-nginx",
        labels: chartLabels("controller"),
        ip: "10.244.2.10",
      },
      admission: {
        name: "admission",
        namespace: "ingress-nginx",
        labels: chartLabels("admission-webhook"),
        ip: "10.244.2.11",
      },
      dns: { name: "coredns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" }, ip: "10.244.0.2" },
      otherSystem: {
        name: "kube-proxy",
        namespace: "kube-system",
        labels: { "k8s-app": "kube-proxy" },
        ip: "10.244.0.3",
      },
      intruder: { name: "intruder", namespace: "default", labels: { app: "intruder" }, ip: "10.244.3.10" },
      debug: { name: "debug", namespace: "helium", labels: { run: "debug" }, ip: "10.244.1.99" },
      traefik: {
        name: "traefik",
        namespace: "traefik",
        labels: { "app.kubernetes.io/name": "traefik" },
        ip: "10.244.4.10",
      },
    };
    const internet = (ip: string): Endpoint => ({ name: `internet ${ip}`, ip });

    /** Helium's pods as its Deployments label them, the other pods, and the rendered NetworkPolicies. */
    function clusterOf(): { cluster: Cluster; pods: Record<string, Pod> } {
      const ns = oneOf(NAMESPACE);
      const pods: Record<string, Pod> = { ...OTHER_PODS };
      resourcesOfType(DEPLOYMENT).forEach((d, i) => {
        pods[d.name.replace(/^helium-/, "")] = {
          name: d.name,
          namespace: (d.inputs.metadata as Obj).namespace,
          labels: spec(d).template.metadata.labels,
          ip: `10.244.1.${10 + i}`,
        };
      });
      const policies = resourcesOfType(NETWORK_POLICY).map((r) => ({
        namespace: (r.inputs.metadata as Obj).namespace as string,
        spec: r.inputs.spec as PolicySpec,
      }));
      const namespaces = { "ingress-nginx": {}, "kube-system": {}, default: {}, traefik: {} };
      return {
        cluster: new Cluster(
          { ...namespaces, [(ns.inputs.metadata as Obj).name]: (ns.inputs.metadata as Obj).labels },
          policies,
        ),
        pods,
      };
    }

    /** Port a workload listens on; the port-less worker is probed on 8000. */
    const portOf = (config: LocalStackConfig, app: string) =>
      app === "redis" ? 6379 : (config.services[app].kubernetes?.containerPort ?? config.services[app].port ?? 8000);

    /** For every ordered pair of Helium workloads: allowed iff the sender declares it consumes the receiver. */
    function pairMismatches(config: LocalStackConfig): string[] {
      const { cluster, pods } = clusterOf();
      const apps = [...Object.keys(config.services).filter((s) => config.services[s].enabled), "redis"];
      const mismatches: string[] = [];
      for (const from of apps) {
        for (const to of apps) {
          if (from === to) continue; // a pod cannot block access to itself
          const declared = from !== "redis" && config.services[from].consumes.includes(to === "redis" ? "cache" : to);
          const allowed = cluster.allows({ from: pods[from], to: pods[to], port: portOf(config, to) });
          if (allowed !== declared) mismatches.push(`${from} → ${to}: allowed ${allowed}, declared ${declared}`);
        }
      }
      return mismatches;
    }

    type Case = readonly [from: string, to: string | Endpoint, port: number, expected: boolean, protocol?: "UDP"];
    function caseMismatches(cases: readonly Case[]): string[] {
      const { cluster, pods } = clusterOf();
      return cases
        .map(([from, to, port, expected, protocol]) => {
          const target = typeof to === "string" ? pods[to] : to;
          assert.ok(pods[from] && target, `unknown endpoint in ${from} → ${typeof to === "string" ? to : to.name}`);
          const allowed = cluster.allows({ from: pods[from], to: target, port, protocol });
          return allowed === expected
            ? ""
            : `${from} → ${target.name}:${port}/${protocol ?? "TCP"}: allowed ${allowed}`;
        })
        .filter((m) => m !== "");
    }

    async function renderWith(config: LocalStackConfig, extra: Partial<KubernetesAppArgs> = {}): Promise<void> {
      recorder.reset();
      await render(argsFrom(config, extra));
      for (const r of resourcesOfType(NETWORK_POLICY)) validateAgainstSchema(r);
    }

    describe("with the seed's declarations", () => {
      const config = defaults();
      before(() => renderWith(config));

      it("denies ingress and egress to every pod of the namespace unless another policy allows it", () => {
        assert.deepEqual(spec(oneOf(NETWORK_POLICY, /^helium-default-deny$/)), {
          podSelector: {},
          policyTypes: ["Ingress", "Egress"],
        });
      });

      it("lets each Helium workload reach another only when it declares it consumes it: backend and worker → Redis", () => {
        assert.deepEqual(pairMismatches(config), []);
      });

      it("opens the controller → frontend/backend, the Redis consumers, DNS, and nothing else", () => {
        const dns = (from: string): Case[] => [
          [from, "dns", 53, true, "UDP"],
          [from, "dns", 53, true],
        ];
        const cases: Case[] = [
          ["controller", "frontend", 80, true],
          ["controller", "backend", 8000, true],
          ["controller", "frontend", 8000, false],
          ["controller", "backend", 8001, false],
          ["controller", "worker", 8000, false],
          ["controller", "redis", 6379, false],
          ["admission", "frontend", 80, false],
          ["otherSystem", "frontend", 80, false],
          ["intruder", "frontend", 80, false],
          ["intruder", "backend", 8000, false],
          ["intruder", "redis", 6379, false],
          ["debug", "redis", 6379, false],
          ["debug", "backend", 8000, false],
          ["frontend", "redis", 6379, false],
          ["backend", "redis", 6379, true],
          ["worker", "redis", 6379, true],
          ["backend", "redis", 6380, false],
          ["backend", "redis", 6379, false, "UDP"],
          ...dns("frontend"),
          ...dns("backend"),
          ...dns("worker"),
          ["redis", "dns", 53, false, "UDP"],
          ["backend", "dns", 5353, false, "UDP"],
          ["backend", "otherSystem", 53, false, "UDP"],
          ["backend", "intruder", 53, false, "UDP"],
          ["backend", "debug", 8000, false],
          ["frontend", "controller", 80, false],
          ["backend", internet("93.184.216.34"), 443, false],
          ["frontend", internet("93.184.216.34"), 443, false],
          ["worker", internet("93.184.216.34"), 443, false],
          ["redis", internet("93.184.216.34"), 443, false],
        ];
        assert.deepEqual(caseMismatches(cases), []);
      });
    });

    it("opens each declared egress CIDR on its ports and protocol only, for the declaring service only", async () => {
      const config = defaults({
        "helium:services": JSON.stringify({
          backend: { kubernetes: { egress: [{ cidr: "203.0.113.0/24", ports: [443, 8443] }] } },
          worker: { kubernetes: { egress: [{ cidr: "198.51.100.53/32", ports: [53], protocol: "UDP" }] } },
        }),
      });
      await renderWith(config);
      assert.deepEqual(
        caseMismatches([
          ["backend", internet("203.0.113.10"), 443, true],
          ["backend", internet("203.0.113.10"), 8443, true],
          ["backend", internet("203.0.113.10"), 80, false],
          ["backend", internet("198.51.100.1"), 443, false],
          ["frontend", internet("203.0.113.10"), 443, false],
          ["worker", internet("203.0.113.10"), 443, false],
          ["worker", internet("198.51.100.53"), 53, true, "UDP"],
          ["worker", internet("198.51.100.53"), 53, false],
          ["worker", internet("198.51.100.54"), 53, false, "UDP"],
        ]),
        [],
      );
      assert.deepEqual(pairMismatches(config), []);
    });

    it("lets a service consume another: frontend → backend opens that direction only", async () => {
      const config = defaults({
        "helium:services": JSON.stringify({ frontend: { consumes: ["backend"] } }),
      });
      await renderWith(config);
      assert.deepEqual(pairMismatches(config), []);
      assert.deepEqual(
        caseMismatches([
          ["frontend", "backend", 8000, true],
          ["backend", "frontend", 80, false],
          ["worker", "backend", 8000, false],
          ["controller", "backend", 8000, true],
        ]),
        [],
      );
    });

    it("keeps Redis closed to a service that stops consuming it (worker without Redis)", async () => {
      const config = defaults({
        "helium:services": JSON.stringify({ worker: { secrets: [], consumes: [] } }),
      });
      await renderWith(config);
      assert.deepEqual(pairMismatches(config), []);
      assert.deepEqual(
        caseMismatches([
          ["worker", "redis", 6379, false],
          ["backend", "redis", 6379, true],
        ]),
        [],
      );
      assert.deepEqual(
        spec(oneOf(NETWORK_POLICY, /^helium-redis-clients$/)).ingress[0].from[0].podSelector.matchExpressions,
        [{ key: "app.kubernetes.io/name", operator: "In", values: ["helium-backend"] }],
      );
    });

    it("closes Redis entirely when nothing consumes it, and opens routed services to the configured controller only", async () => {
      const config = defaults({
        "helium:services": JSON.stringify({
          backend: { secrets: [], consumes: [] },
          worker: { secrets: [], consumes: [] },
        }),
      });
      await renderWith(config, {
        ingressController: { namespace: "traefik", podLabels: { "app.kubernetes.io/name": "traefik" } },
      });
      assert.deepEqual(spec(oneOf(NETWORK_POLICY, /^helium-redis-clients$/)).ingress, []);
      assert.deepEqual(pairMismatches(config), []);
      assert.deepEqual(
        caseMismatches([
          ["backend", "redis", 6379, false],
          ["traefik", "frontend", 80, true],
          ["traefik", "backend", 8000, true],
          ["controller", "frontend", 80, false],
        ]),
        [],
      );
    });

    describe("the evaluator itself (so the tests above can fail)", () => {
      const a: Pod = { name: "a", namespace: "x", labels: { app: "a" }, ip: "10.0.0.1" };
      const b: Pod = { name: "b", namespace: "x", labels: { app: "b" }, ip: "10.0.0.2" };
      const c: Pod = { name: "c", namespace: "y", labels: { app: "a" }, ip: "10.0.1.1" };
      const namespaces = { x: {}, y: { team: "y" } };
      const ingressTo = (podSelector: Obj, ingress: Obj[]) => [
        { namespace: "x", spec: { podSelector, policyTypes: ["Ingress"], ingress } },
      ];

      it("allows everything without policies and nothing under a default deny, in both directions", () => {
        assert.equal(new Cluster(namespaces, []).allows({ from: a, to: b, port: 80 }), true);
        const deny = new Cluster(namespaces, [
          { namespace: "x", spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
        ]);
        assert.equal(deny.allows({ from: a, to: b, port: 80 }), false);
        assert.equal(deny.allows({ from: c, to: a, port: 80 }), false);
        assert.equal(deny.allows({ from: a, to: c, port: 80 }), false);
      });

      it("ANDs a namespace and a pod selector in one peer, ORs them in two peers", () => {
        const onePeer = ingressTo({ matchLabels: { app: "b" } }, [
          { from: [{ namespaceSelector: { matchLabels: { team: "y" } }, podSelector: { matchLabels: { app: "z" } } }] },
        ]);
        const twoPeers = ingressTo({ matchLabels: { app: "b" } }, [
          {
            from: [
              { namespaceSelector: { matchLabels: { team: "y" } } },
              { podSelector: { matchLabels: { app: "z" } } },
            ],
          },
        ]);
        assert.equal(new Cluster(namespaces, onePeer).allows({ from: c, to: b, port: 80 }), false);
        assert.equal(new Cluster(namespaces, twoPeers).allows({ from: c, to: b, port: 80 }), true);
      });

      it("matches ports with their protocol, expressions, and ipBlocks with exceptions; rejects named ports", () => {
        const policies = ingressTo({ matchExpressions: [{ key: "app", operator: "In", values: ["b"] }] }, [
          {
            from: [{ podSelector: { matchExpressions: [{ key: "app", operator: "NotIn", values: ["q"] }] } }],
            ports: [{ port: 53, protocol: "UDP" }],
          },
          {
            from: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.1.0/24"] } }],
            ports: [{ port: 8000, endPort: 8010 }],
          },
        ]);
        const cluster = new Cluster(namespaces, policies);
        assert.equal(cluster.allows({ from: a, to: b, port: 53, protocol: "UDP" }), true);
        assert.equal(cluster.allows({ from: a, to: b, port: 53 }), false);
        assert.equal(cluster.allows({ from: a, to: b, port: 8005 }), true);
        assert.equal(cluster.allows({ from: c, to: b, port: 8005 }), false, "10.0.1.1 is excepted");
        assert.equal(cluster.allows({ from: a, to: b, port: 8011 }), false);
        assert.throws(
          () =>
            new Cluster(namespaces, ingressTo({}, [{ ports: [{ port: "http" }] }])).allows({
              from: a,
              to: b,
              port: 80,
            }),
          /named port http/,
        );
      });
    });
  });

  describe("bad input", () => {
    const config = defaults();
    beforeEach(() => recorder.reset());
    const kube = (svc: string) => config.services[svc].kubernetes as NonNullable<ServiceSpec["kubernetes"]>;

    async function rejects(args: KubernetesAppArgs, ...expected: RegExp[]): Promise<void> {
      assert.throws(
        () => new KubernetesApp("bad", args),
        (error: unknown) => {
          assert.ok(error instanceof InputError);
          for (const pattern of expected) assert.match(error.message, pattern);
          return true;
        },
      );
      await settle();
      // Nothing was registered, not even the component.
      assert.deepEqual(
        recorder.resources.map((r) => r.name),
        [],
      );
    }

    it("rejects a replica range with min > max, naming the key and both values", async () => {
      const services = withService(config, "backend", (s) => ({
        ...s,
        kubernetes: { ...kube("backend"), minReplicas: 7, maxReplicas: 3 },
      }));
      await rejects(
        { ...argsFrom(config), services },
        /services\.backend\.kubernetes\.minReplicas: 7/,
        /minReplicas ≤ maxReplicas \(maxReplicas is 3\)/,
      );
    });

    it("rejects an HPA CPU target outside 1-100", async () => {
      for (const target of [0, 101]) {
        recorder.reset();
        const services = withService(config, "worker", (s) => ({
          ...s,
          kubernetes: { ...kube("worker"), cpuTargetPercent: target },
        }));
        await rejects(
          { ...argsFrom(config), services },
          new RegExp(`services\\.worker\\.kubernetes\\.cpuTargetPercent: ${target} — .*1-100`),
        );
      }
    });

    it('rejects an invalid resource quantity such as "500 m"', async () => {
      const services = withService(config, "backend", (s) => ({
        ...s,
        kubernetes: { ...kube("backend"), limits: { cpu: "500 m", memory: "1Gi" } },
      }));
      await rejects(
        { ...argsFrom(config), services },
        /services\.backend\.kubernetes\.limits\.cpu: "500 m" — allowed: must be a Kubernetes quantity such as 250m/,
      );
    });

    it("rejects requests above limits, which the API server would refuse", async () => {
      const services = withService(config, "backend", (s) => ({
        ...s,
        kubernetes: { ...kube("backend"), requests: { cpu: "1", memory: "512Mi" } },
      }));
      await rejects(
        { ...argsFrom(config), services },
        /services\.backend\.kubernetes\.requests\.cpu: "1" — allowed: the cpu request exceeds its limit 500m/,
      );
    });

    it("rejects an image reference without a repository, and a repository without an image", async () => {
      await rejects(
        argsFrom(config, { images: { ...config.images, "helium-backend": ":latest" } }),
        /images\.helium-backend: ":latest" — allowed: must be an image reference with a repository/,
      );
      recorder.reset();
      await rejects(
        argsFrom(config, { images: { "helium-backend": "helium-backend:local" } }),
        /images\.helium-frontend: \(missing\) — allowed: service frontend runs repository helium-frontend, which has no image/,
      );
      recorder.reset();
      await rejects(
        argsFrom(config, { redisImage: "@sha256:" + "a".repeat(64) }),
        /redisImage: .* — allowed: an image reference with a repository/,
      );
    });

    it("rejects a declared secret without a value, an ALB pattern an Ingress cannot express, and a root UID", async () => {
      const services = withService(config, "backend", (s) => ({
        ...s,
        secrets: [...s.secrets, "DATABASE_URL"],
        routes: [{ pathPatterns: ["/api/*/v1"] }],
      }));
      await rejects(
        { ...argsFrom(config), services, runAsUser: 0 },
        /services\.backend\.secrets\[3\]: "DATABASE_URL" — allowed: no value for secret DATABASE_URL/,
        /services\.backend\.routes\[0\]\.pathPatterns\[0\]: "\/api\/\*\/v1"/,
        /runAsUser: 0 — allowed: a non-root UID/,
      );
    });

    it("rejects an ingress controller without pod labels (it would select its whole namespace) or with a bad namespace", async () => {
      await rejects(
        argsFrom(config, { ingressController: { namespace: "Ingress_NS", podLabels: {} } }),
        /ingressController\.namespace: "Ingress_NS" — allowed: a namespace name/,
        /ingressController\.podLabels: \{\} — allowed: at least one label/,
      );
    });

    it("rejects connections a NetworkPolicy could not express or should not open, naming each key", async () => {
      let services = withService(config, "frontend", (s) => ({
        ...s,
        consumes: ["worker", "postgres"],
        kubernetes: {
          ...kube("frontend"),
          egress: [{ cidr: "10.0.0.1/8", ports: [0], protocol: "TCP" }],
        },
      }));
      services = withService({ ...config, services }, "worker", (s) => ({
        ...s,
        kubernetes: kube("worker"),
        consumes: [],
      }));
      await rejects(
        { ...argsFrom(config), services },
        /services\.frontend\.consumes\[0\]: "worker" — allowed: service worker has no port/,
        /services\.frontend\.consumes\[1\]: "postgres" — allowed: is neither an in-cluster store/,
        /services\.frontend\.kubernetes\.egress\[0\]\.cidr: "10\.0\.0\.1\/8" — allowed: must be an IPv4 CIDR block/,
        /services\.frontend\.kubernetes\.egress\[0\]\.ports\[0\]: 0 — allowed: must be a port in 1-65535/,
        /services\.worker\.secrets\[0\]: "REDIS_HOST" — allowed: is the in-cluster cache's/,
      );
    });
  });

  it("the schema check fails on a misspelt or mistyped field (it can fail)", () => {
    const base = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "x" },
      spec: { scaleTargetRef: { kind: "Deployment", name: "x" }, maxReplicas: 3 },
    };
    validateObject(HPA, base);
    assert.throws(
      () => validateObject(HPA, { ...base, spec: { ...base.spec, maxReplica: 3 } }),
      /does not define: \/spec\/maxReplica/,
    );
    assert.throws(() => validateObject(HPA, { ...base, spec: { ...base.spec, maxReplicas: "3" } }), /must be integer/);
    assert.throws(
      () =>
        validateObject(DEPLOYMENT, {
          apiVersion: "apps/v1",
          kind: "Deployment",
          spec: {
            selector: {},
            template: { spec: { containers: [{ name: "a", resources: { limits: { cpu: "500 m" } } }] } },
          },
        }),
      /quantity/,
    );
  });
});
