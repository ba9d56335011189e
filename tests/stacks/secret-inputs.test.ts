/**
 * Secretness of inputs: every input the engine receives marked secret has a secret source, and every secret
 * source still arrives marked. An input is secret when any value it was computed from is (a RandomPassword
 * result, a config secret, a token): Pulumi propagates secretness through `all`/`apply`/`interpolate`, so a
 * whole task definition once became secret because one of its inputs was, and the plan and the engine's
 * diff could then show nothing of it. The offline runtime records a secret input as the runtime's secret
 * envelope (offline/runtime-adapter.ts `secretEnvelope`, what the mock monitor receives); this test reads
 * those envelopes in every committed stack's evaluation, after an update and at a first preview.
 *
 * At a first preview a secret computed from an unknown value (the Redis token of a password not generated
 * yet) is sent as unknown, without the secret mark (the SDK serialises an unknown before it looks at
 * secretness: @pulumi/pulumi runtime/rpc.js `if (!isKnown) return unknownValue`), so fewer inputs are secret.
 */
import assert from "node:assert/strict";
import { evaluateStack } from "../../offline/evaluate";
import { specialSecretSig, specialSigKey } from "../../offline/runtime-adapter";
import type { EvaluationMode, RecordedResource } from "../../offline/types";

interface ExpectedSecret {
  readonly type: string;
  /** Path of the secret-marked value inside the inputs. */
  readonly path: string;
  /** What makes it secret. */
  readonly source: string;
  /** Stacks that send it marked secret after an update. */
  readonly stacks: readonly string[];
}

/** The secret inputs of the committed stacks, each with its source. Anything else secret is a defect. */
export const EXPECTED_SECRET_INPUTS: readonly ExpectedSecret[] = [
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    path: "authToken",
    source: "the Redis AUTH token: a random.RandomPassword result (components/region/DataStores.ts)",
    stacks: ["staging", "production"],
  },
  {
    type: "aws:secretsmanager/secretVersion:SecretVersion",
    path: "secretString",
    source: "the backend secret's value: the Redis AUTH token and the helium:appSecrets config secrets",
    stacks: ["staging", "production"],
  },
  {
    type: "pulumi:providers:grafana",
    path: "auth",
    source:
      "the Grafana provider's auth: the workspace service-account token's key (aws.grafana.WorkspaceServiceAccountToken)",
    stacks: ["staging", "production"],
  },
  {
    type: "kubernetes:core/v1:Secret",
    path: "stringData",
    source: "Kubernetes Secret data: the Redis password (random.RandomPassword) and the services' config secrets",
    stacks: ["local"],
  },
];

const STACKS = ["shared", "staging", "production", "local"] as const;

/** Paths of the secret-marked values in `value` (a marked value's inside is not searched further). */
export function secretPaths(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretPaths(v, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  if (record[specialSigKey] === specialSecretSig) return [path];
  return Object.entries(record).flatMap(([k, v]) => secretPaths(v, path === "" ? k : `${path}.${k}`));
}

interface SecretInput {
  readonly resource: RecordedResource;
  readonly path: string;
}

function secretInputs(resources: readonly RecordedResource[]): SecretInput[] {
  return resources.flatMap((resource) => secretPaths(resource.inputs).map((path) => ({ resource, path })));
}

const expectedFor = (input: SecretInput) =>
  EXPECTED_SECRET_INPUTS.find((e) => e.type === input.resource.type && e.path === input.path);

describe("secret inputs have a secret source (committed stacks, update and first preview)", function () {
  this.timeout(300_000);

  it("finds a marked input: the check reads the recorder's secret envelopes", () => {
    const marked = { a: { [specialSigKey]: specialSecretSig, value: "x" }, b: [1, { c: "plain" }] };
    assert.deepEqual(secretPaths(marked), ["a"]);
    assert.deepEqual(secretPaths({ containerDefinitions: "[]" }), []);
  });

  for (const mode of ["update", "preview"] as const satisfies readonly EvaluationMode[]) {
    for (const stack of STACKS) {
      it(`${stack} (${mode}): every secret input is an expected one`, async () => {
        const { resources } = await evaluateStack(stack, { mode });
        const found = secretInputs(resources);
        const unexpected = found
          .filter((f) => expectedFor(f) === undefined)
          .map((f) => `${f.resource.type} ${f.resource.name}: ${f.path}`);
        assert.deepEqual(unexpected, [], "secret without a secret source");
        for (const f of found)
          console.log(`      secret ${f.resource.type} ${f.resource.name}.${f.path}: ${expectedFor(f)?.source}`);
        if (mode === "update") {
          // Every source is still secret where the stack has it: a lost mark would leak the value into state diffs.
          const types = new Set(resources.map((r) => r.type));
          for (const expected of EXPECTED_SECRET_INPUTS.filter((e) => e.stacks.includes(stack))) {
            assert.ok(types.has(expected.type), `${stack} has a ${expected.type}`);
            const holders = resources.filter((r) => r.type === expected.type);
            for (const holder of holders)
              assert.ok(
                found.some((f) => f.resource === holder && f.path === expected.path),
                `${holder.type} ${holder.name}.${expected.path} is not marked secret (${expected.source})`,
              );
          }
        }
      });
    }
  }

  it("task definitions' containerDefinitions are never secret: they hold secret names (ARNs), not values", async () => {
    for (const stack of ["staging", "production"]) {
      for (const mode of ["update", "preview"] as const) {
        const { resources } = await evaluateStack(stack, { mode });
        const definitions = resources.filter((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition");
        assert.ok(definitions.length > 0);
        for (const d of definitions) assert.deepEqual(secretPaths(d.inputs), [], `${stack} ${mode} ${d.name}`);
      }
    }
  });
});
