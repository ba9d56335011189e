/**
 * The in-cluster PostgreSQL of the local stack: absent by default, rendered when `helium:database` is set,
 * wired by the same `consumes: ["database"]` declarations as ECS (Secret keys, NetworkPolicy
 * `helium-postgres-clients`), and the connections the rendered policies allow evaluated pair by pair.
 */
import { oneOf, recorder, resourcesOfType, settle, valueOf } from "../harness/component";
import assert from "node:assert/strict";
import { KubernetesApp, type KubernetesAppArgs } from "../../components/KubernetesApp";
import type { LocalStackConfig } from "../../config/kubernetes";
import { parseStackConfig } from "../../config/stack";
import { InputError } from "../../lib/input-error";
import { evaluateStack } from "../../offline/evaluate";
import type { RecordedResource } from "../../offline/types";
import { isSecretEnvelope, kubernetesObjects, revealSecrets, validateAgainstSchema } from "./kubernetes-schema";
import { Cluster, type Pod, type PolicySpec } from "./network-policy-eval";
import { startEvaluations } from "../harness/prefetch";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const SECRET = "kubernetes:core/v1:Secret";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const NAMESPACE = "kubernetes:core/v1:Namespace";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- recorded JSON, navigated in assertions
const spec = (r: RecordedResource): Obj => r.inputs.spec as Obj;
const podSpec = (r: RecordedResource): Obj => spec(r).template.spec as Obj;
const container = (r: RecordedResource): Obj => podSpec(r).containers[0] as Obj;

const CONSUMER = JSON.stringify({ backend: { consumes: ["cache", "database"] } });

function localConfig(overrides: Record<string, string> = {}): LocalStackConfig {
  const parsed = parseStackConfig({ stack: "local", config: { "helium:role": "kubernetes", ...overrides } });
  if (parsed.role !== "kubernetes") throw new Error("expected the local stack");
  return parsed.config;
}

/** The component's args as stacks/local.ts builds them. */
function argsOf(config: LocalStackConfig): KubernetesAppArgs {
  return {
    services: config.services,
    images: config.images,
    ...(config.database !== undefined ? { database: config.database } : {}),
  };
}

async function render(args: KubernetesAppArgs): Promise<KubernetesApp> {
  recorder.reset();
  const app = new KubernetesApp("helium", args);
  await settle();
  return app;
}

describe("KubernetesApp: the in-cluster PostgreSQL", () => {
  startEvaluations([
    ["local", { configOverrides: { "helium:database": JSON.stringify({ name: "app" }), "helium:services": CONSUMER } }],
  ]);
  it("is not rendered by default (the committed local stack)", async () => {
    const app = await render(argsOf(localConfig()));
    assert.deepEqual(
      kubernetesObjects(recorder.resources)
        .map((r) => r.name)
        .filter((n) => n.includes("postgres")),
      [],
    );
    assert.equal(app.databaseHost, undefined);
  });

  it('refuses consumes: ["database"] without helium:database, naming the entry, and registers nothing', async () => {
    assert.throws(
      () => localConfig({ "helium:services": CONSUMER }),
      (error: unknown) =>
        InputError.isInputError(error) &&
        error.problems.some((p) => p.key === "helium:services.backend.consumes[1]" && p.value === "database"),
    );
    const config = localConfig();
    recorder.reset();
    assert.throws(
      () =>
        new KubernetesApp("helium", {
          ...argsOf(config),
          services: { ...config.services, backend: { ...config.services.backend, consumes: ["cache", "database"] } },
        }),
      (error: unknown) =>
        InputError.isInputError(error) && error.problems.some((p) => p.key === "services.backend.consumes[1]"),
    );
    await settle();
    assert.deepEqual(recorder.resources, []);
  });

  it("the local stack renders it from helium:database and exports its host", async function () {
    this.timeout(180_000);
    const local = await evaluateStack("local", {
      configOverrides: { "helium:database": JSON.stringify({ name: "app" }), "helium:services": CONSUMER },
    });
    const names = local.resources
      .filter((r) => r.type.startsWith("kubernetes:"))
      .map((r) => `${r.type.split(":")[2]}/${r.name}`);
    for (const object of [
      "Deployment/helium-postgres",
      "Service/helium-postgres",
      "NetworkPolicy/helium-postgres-clients",
    ]) {
      assert.ok(names.includes(object), `${object} in ${names.join(", ")}`);
    }
    assert.equal(local.outputs.databaseHost, "helium-postgres.helium.svc.cluster.local");
    const committed = await evaluateStack("local");
    assert.equal(committed.outputs.databaseHost, undefined);
  });

  it("checks the database name and user as RDS would, naming the key", () => {
    assert.throws(
      () => localConfig({ "helium:database": JSON.stringify({ name: "select", username: "pg_x" }) }),
      (error: unknown) =>
        InputError.isInputError(error) &&
        JSON.stringify(error.problems.map((p) => p.key)) ===
          JSON.stringify(["helium:database.name", "helium:database.username"]),
    );
  });

  describe('with helium:database and the backend declaring consumes: ["database"]', () => {
    const config = localConfig({ "helium:database": "{}", "helium:services": CONSUMER });
    let app: KubernetesApp;
    before(async () => {
      app = await render(argsOf(config));
    });

    it("renders objects the Kubernetes schemas accept", () => {
      for (const r of kubernetesObjects(recorder.resources)) validateAgainstSchema(r);
    });

    it("runs one locked-down PostgreSQL pod with a generated password and a ClusterIP Service on 5432", async () => {
      const postgres = oneOf(DEPLOYMENT, /^helium-postgres$/);
      const c = container(postgres);
      assert.equal(c.image, "postgres:17-alpine");
      assert.equal(spec(postgres).strategy.type, "Recreate");
      assert.deepEqual(
        {
          runAsNonRoot: podSpec(postgres).securityContext.runAsNonRoot,
          runAsUser: podSpec(postgres).securityContext.runAsUser,
        },
        { runAsNonRoot: true, runAsUser: 70 },
      );
      assert.equal(c.securityContext.readOnlyRootFilesystem, true);
      assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] });
      const env = Object.fromEntries((c.env as Obj[]).map((e) => [e.name, e.value ?? e.valueFrom]));
      assert.equal(env.POSTGRES_DB, "helium");
      assert.equal(env.POSTGRES_USER, "helium");
      const auth = oneOf(SECRET, /^helium-postgres-auth$/);
      assert.deepEqual(env.POSTGRES_PASSWORD, {
        secretKeyRef: { name: (auth.outputs.metadata as Obj).name, key: "POSTGRES_PASSWORD" },
      });
      assert.ok(isSecretEnvelope(auth.inputs.stringData));
      assert.deepEqual(spec(oneOf(SERVICE, /^helium-postgres$/)).ports, [
        { name: "postgres", port: 5432, targetPort: "postgres", protocol: "TCP" },
      ]);
      assert.equal(
        await valueOf(app.databaseHost as NonNullable<typeof app.databaseHost>),
        "helium-postgres.helium.svc.cluster.local",
      );
    });

    it("gives the consumer's Secret DB_HOST, DB_PORT, DB_NAME, DB_USER and DB_PASSWORD; nobody else gets them", () => {
      const password = oneOf("random:index/randomPassword:RandomPassword", /^helium-postgres-password$/).outputs.result;
      const data = (svc: string) =>
        revealSecrets(oneOf(SECRET, new RegExp(`^helium-${svc}-secret$`)).inputs.stringData) as Record<string, string>;
      const backend = data("backend");
      assert.deepEqual(Object.fromEntries(Object.entries(backend).filter(([k]) => k.startsWith("DB_"))), {
        DB_HOST: "helium-postgres.helium.svc.cluster.local",
        DB_PORT: "5432",
        DB_NAME: "helium",
        DB_USER: "helium",
        DB_PASSWORD: password,
      });
      assert.deepEqual(
        Object.keys(data("worker")).filter((k) => k.startsWith("DB_")),
        [],
      );
      assert.equal(resourcesOfType(SECRET).filter((s) => s.name.startsWith("helium-frontend")).length, 0);
    });

    it("lets only the declared consumer reach PostgreSQL on 5432 (helium-postgres-clients), and PostgreSQL reach nothing", () => {
      const ns = oneOf(NAMESPACE);
      const namespace = (ns.inputs.metadata as Obj).name as string;
      const pods: Record<string, Pod> = {
        intruder: { name: "intruder", namespace: "default", labels: { app: "intruder" }, ip: "10.244.3.10" },
        debug: { name: "debug", namespace, labels: { run: "debug" }, ip: "10.244.1.99" },
      };
      resourcesOfType(DEPLOYMENT).forEach((d, i) => {
        pods[d.name.replace(/^helium-/, "")] = {
          name: d.name,
          namespace,
          labels: spec(d).template.metadata.labels,
          ip: `10.244.1.${10 + i}`,
        };
      });
      const cluster = new Cluster(
        { [namespace]: (ns.inputs.metadata as Obj).labels, default: {} },
        resourcesOfType(NETWORK_POLICY).map((r) => ({
          namespace: (r.inputs.metadata as Obj).namespace as string,
          spec: r.inputs.spec as PolicySpec,
        })),
      );
      const reach = (from: string, port = 5432) => cluster.allows({ from: pods[from], to: pods.postgres, port });
      assert.deepEqual(
        ["backend", "worker", "frontend", "redis", "debug", "intruder"].map((from) => [from, reach(from)]),
        [
          ["backend", true],
          ["worker", false],
          ["frontend", false],
          ["redis", false],
          ["debug", false],
          ["intruder", false],
        ],
      );
      assert.equal(reach("backend", 5433), false);
      assert.equal(cluster.allows({ from: pods.postgres, to: pods.backend, port: 8000 }), false);
      const policy = spec(oneOf(NETWORK_POLICY, /^helium-postgres-clients$/));
      assert.deepEqual(policy.policyTypes, ["Ingress"]);
    });
  });
});
