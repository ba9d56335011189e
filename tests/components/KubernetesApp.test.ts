import { oneOf, recorder, resourcesOfType, settle, valueOf } from "../harness/component";
import assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  CLUSTER_ADDONS,
  KubernetesApp,
  type KubernetesAppArgs,
  KubernetesAppArgsError,
} from "../../components/KubernetesApp";
import { parseStackConfig } from "../../config/load";
import type { LocalStackConfig } from "../../config/kubernetes";
import type { ServiceSpec } from "../../config/services";
import type { RecordedResource } from "../../offline/types";
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

/** The local stack's defaults, straight from the schema: the same declarations ECS renders. */
function defaults(overrides: Record<string, string> = {}): LocalStackConfig {
  const parsed = parseStackConfig("local", overrides);
  if (parsed.stack !== "local") throw new Error("expected the local stack");
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
    // Rendered once; every test below only reads the recording.
    before(async () => {
      recorder.reset();
      app = await render(argsFrom(config, { appSecrets: { SESSION_KEY: pulumi.secret("s3cr3t-value") } }));
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
        "NetworkPolicy/helium-redis-clients",
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
      assert.ok(objects.length >= 18);
      for (const r of objects) validateAgainstSchema(r);
    });

    it("puts every namespaced object in the helium namespace, which enforces the restricted Pod Security Standard", () => {
      const ns = oneOf("kubernetes:core/v1:Namespace");
      assert.equal((ns.inputs.metadata as Obj).name, "helium");
      assert.equal((ns.inputs.metadata as Obj).labels["pod-security.kubernetes.io/enforce"], "restricted");
      for (const r of kubernetesObjects(recorder.resources).filter((x) => x !== ns))
        assert.equal((r.inputs.metadata as Obj).namespace, "helium", r.name);
    });

    it("runs frontend with 2 fixed replicas and leaves backend and worker counts to their HPAs", () => {
      assert.equal(spec(oneOf(DEPLOYMENT, /^helium-frontend$/)).replicas, 2);
      assert.equal(spec(oneOf(DEPLOYMENT, /^helium-backend$/)).replicas, undefined);
      assert.equal(spec(oneOf(DEPLOYMENT, /^helium-worker$/)).replicas, undefined);
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
      const paths = (ingress.rules[0].http.paths as Obj[]).map((p) => [
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
      const policy = spec(oneOf("kubernetes:networking.k8s.io/v1:NetworkPolicy"));
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
      assert.equal(spec(oneOf(DEPLOYMENT, /^helium-frontend$/)).replicas, undefined);
      assert.equal(recorder.resources.filter((r) => r.name.includes("worker")).length, 0);
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
          assert.ok(error instanceof KubernetesAppArgsError);
          for (const pattern of expected) assert.match(error.message, pattern);
          return true;
        },
      );
      await settle();
      // Nothing but the component itself was registered.
      assert.deepEqual(
        recorder.resources.filter((r) => r.type !== "helium:index:KubernetesApp").map((r) => r.name),
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
        /services\.backend\.kubernetes\.limits\.cpu: "500 m" — must be a Kubernetes quantity such as 250m/,
      );
    });

    it("rejects requests above limits, which the API server would refuse", async () => {
      const services = withService(config, "backend", (s) => ({
        ...s,
        kubernetes: { ...kube("backend"), requests: { cpu: "1", memory: "512Mi" } },
      }));
      await rejects(
        { ...argsFrom(config), services },
        /services\.backend\.kubernetes\.requests\.cpu: "1" — the cpu request exceeds its limit 500m/,
      );
    });

    it("rejects an image reference without a repository, and a repository without an image", async () => {
      await rejects(
        argsFrom(config, { images: { ...config.images, "helium-backend": ":latest" } }),
        /images\.helium-backend: ":latest" — must be an image reference with a repository/,
      );
      recorder.reset();
      await rejects(
        argsFrom(config, { images: { "helium-backend": "helium-backend:local" } }),
        /images\.helium-frontend: \(missing\) — service frontend runs repository helium-frontend, which has no image/,
      );
      recorder.reset();
      await rejects(
        argsFrom(config, { redisImage: "@sha256:" + "a".repeat(64) }),
        /redisImage: .* must be an image reference with a repository/,
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
        /services\.backend\.secrets\[3\]: "DATABASE_URL" — no value for secret DATABASE_URL/,
        /services\.backend\.routes\[0\]\.pathPatterns\[0\]: "\/api\/\*\/v1"/,
        /runAsUser: 0 — must be a non-root UID/,
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
