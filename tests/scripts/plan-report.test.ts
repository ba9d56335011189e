/**
 * The pure functions behind `npm run plan`: secret redaction, the JSON document CI scripts against, and the
 * counts and component tree of the readable summary, on small hand-built inputs.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyReport } from "../../policy-pack/engine";
import {
  REDACTED,
  componentTree,
  countsByRegion,
  countsByType,
  planDocument,
  redactSecrets,
  renderSummary,
  skippedByPolicy,
} from "../../scripts/plan-report";
import type { RecordedResource, StackEvaluation } from "../../offline/types";
import { UNKNOWN } from "../../offline/unknowns";

/** A value as the engine hands secret inputs to the program's mocks. */
const secret = (value: unknown): Record<string, unknown> => ({
  [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
  value,
});

const STACK_URN = "urn:pulumi:production::helium::pulumi:pulumi:Stack::helium-production";
const urnOf = (type: string, name: string): string => `urn:pulumi:production::helium::${type}::${name}`;

function resource(type: string, name: string, fields: Partial<RecordedResource> = {}): RecordedResource {
  const custom = fields.custom ?? !type.startsWith("helium:");
  return {
    urn: urnOf(type, name),
    type,
    name,
    id: custom ? `${name}-id` : null,
    custom,
    parent: null,
    provider: null,
    region: null,
    protect: false,
    inputs: {},
    outputs: {},
    dependencies: [],
    propertyDependencies: {},
    aliases: [],
    ...fields,
  };
}

/*
 * prod-sg (HeliumRegion, Singapore)
 *   vpc, logs (SecureBucket) → logs bucket
 * edge (GlobalEdge)
 *   accelerator (global), flow-logs bucket (us-east-1)
 * stack level: a deploy role (global), an explicit provider and a StackReference (neither is planned)
 */
const region = resource("helium:index:HeliumRegion", "prod-sg", { parent: STACK_URN });
const vpc = resource("aws:ec2/vpc:Vpc", "prod-sg-vpc", {
  parent: region.urn,
  region: "ap-southeast-1",
  inputs: { cidrBlock: "10.20.0.0/16" },
});
const logs = resource("helium:index:SecureBucket", "prod-sg-logs", { parent: region.urn });
const logsBucket = resource("aws:s3/bucket:Bucket", "prod-sg-logs", {
  parent: logs.urn,
  region: "ap-southeast-1",
  inputs: { bucket: "helium-logs-sin" },
});
const edge = resource("helium:index:GlobalEdge", "edge", { parent: STACK_URN });
const accelerator = resource("aws:globalaccelerator/accelerator:Accelerator", "edge-accelerator", { parent: edge.urn });
const flowLogs = resource("aws:s3/bucket:Bucket", "edge-flow-logs", {
  parent: edge.urn,
  region: "us-east-1",
  inputs: { bucket: "helium-flow-logs" },
});
const role = resource("aws:iam/role:Role", "deploy", {
  inputs: { name: "helium-deploy", description: secret("do not print") },
});
const provider = resource("pulumi:providers:aws", "aws-production", {
  region: "ap-southeast-1",
  inputs: { region: "ap-southeast-1" },
});
const reference = resource("pulumi:pulumi:StackReference", "shared", { inputs: { name: "shared" } });
const RESOURCES: readonly RecordedResource[] = [
  region,
  vpc,
  logs,
  logsBucket,
  edge,
  accelerator,
  flowLogs,
  role,
  provider,
  reference,
];

const REPORT: PolicyReport = {
  violations: [
    {
      policy: "s3-versioning",
      enforcementLevel: "advisory",
      resource: logsBucket.urn,
      resourceName: logsBucket.name,
      resourceType: logsBucket.type,
      message: "enable versioning",
    },
    {
      policy: "stack-tags",
      enforcementLevel: "mandatory",
      resource: "",
      resourceName: "",
      resourceType: "",
      message: "tag everything",
    },
  ],
  exempted: [{ policy: "iam-pass-role", resource: role.urn, reason: "CI deploy role", message: "PassRole on a path" }],
  skipped: [
    skippedCheck("iam-no-wildcards", "mandatory", role.urn, "string value at .policy can't be known during preview"),
    skippedCheck("iam-no-wildcards", "mandatory", vpc.urn, "string value at .policy can't be known during preview"),
    skippedCheck("iam-no-wildcards", "mandatory", vpc.urn, "string value at .role can't be known during preview"),
    skippedCheck("s3-versioning", "advisory", logsBucket.urn, "string value at .bucket can't be known during preview"),
  ],
  mandatoryCount: 1,
};

function skippedCheck(
  policy: string,
  enforcementLevel: "mandatory" | "advisory",
  resource: string,
  reason: string,
): PolicyReport["skipped"][number] {
  return {
    policy,
    enforcementLevel,
    resource,
    reason,
    message: `can't run policy '${policy}' during preview: ${reason}`,
  };
}

describe("plan report", () => {
  describe("redactSecrets", () => {
    it("replaces a secret-marked value at any depth and leaves everything else as it was", () => {
      const input = {
        name: "helium",
        password: secret("hunter2"),
        nested: { list: [1, secret({ inner: "x" }), { deeper: secret(42) }], flag: false, nothing: null },
      };
      assert.deepEqual(redactSecrets(input), {
        name: "helium",
        password: REDACTED,
        nested: { list: [1, REDACTED, { deeper: REDACTED }], flag: false, nothing: null },
      });
      assert.equal(redactSecrets(secret("top")), REDACTED);
      assert.ok(!JSON.stringify(redactSecrets(input)).includes("hunter2"));
    });

    it("does not redact other special values (assets) that share the signature key", () => {
      const asset = { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialAssetSig, path: "./index.html" };
      assert.deepEqual(redactSecrets({ asset }), { asset });
      assert.deepEqual(redactSecrets(["a", 2, true]), ["a", 2, true]);
    });
  });

  describe("planDocument", () => {
    const evaluation: StackEvaluation = {
      stack: "production",
      mode: "update",
      resources: RESOURCES,
      outputs: { apiFqdn: "api.he2.site", redisAuth: "s3cr3t", regions: ["ap-southeast-1", "us-east-1"] },
      secretOutputs: ["redisAuth"],
    };
    const document = planDocument(evaluation, REPORT);

    it("has exactly the documented JSON shape", () => {
      assert.deepEqual(Object.keys(document).sort(), [
        "exempted",
        "outputs",
        "resources",
        "skipped",
        "stack",
        "violations",
      ]);
      for (const r of document.resources)
        assert.deepEqual(Object.keys(r).sort(), ["dependencies", "inputs", "name", "parent", "region", "type"]);
      for (const v of document.violations)
        assert.deepEqual(Object.keys(v).sort(), ["enforcementLevel", "message", "policy", "resource"]);
      for (const e of document.exempted) assert.deepEqual(Object.keys(e).sort(), ["policy", "reason", "resource"]);
      for (const k of document.skipped)
        assert.deepEqual(Object.keys(k).sort(), ["enforcementLevel", "policy", "reason", "resource"]);
      assert.deepEqual(
        JSON.parse(JSON.stringify(document)),
        document,
        "the document survives a JSON round trip unchanged",
      );
    });

    it("lists every planned resource with type, name, parent, region and redacted inputs, without providers or StackReferences", () => {
      assert.equal(document.stack, "production");
      const planned = RESOURCES.filter((r) => r !== provider && r !== reference);
      assert.deepEqual(
        document.resources,
        planned.map((r) => ({
          type: r.type,
          name: r.name,
          parent: r.parent,
          region: r.region,
          inputs: r === role ? { name: "helium-deploy", description: REDACTED } : r.inputs,
          dependencies: {},
        })),
      );
    });

    it("names each input's source resources by type and name, so the diff can follow a replacement", () => {
      const withDependency: StackEvaluation = {
        ...evaluation,
        resources: [role, { ...vpc, propertyDependencies: { role: [role.urn], other: ["urn:gone"] } }],
      };
      const [, dependent] = planDocument(withDependency, REPORT).resources;
      assert.deepEqual(dependent.dependencies, { role: [`${role.type}::${role.name}`] });
    });

    it("redacts secret outputs and keeps the others", () => {
      assert.deepEqual(document.outputs, {
        apiFqdn: "api.he2.site",
        redisAuth: REDACTED,
        regions: ["ap-southeast-1", "us-east-1"],
      });
    });

    it("carries every violation and exemption with the documented fields only", () => {
      assert.deepEqual(document.violations, [
        {
          policy: "s3-versioning",
          enforcementLevel: "advisory",
          resource: logsBucket.urn,
          message: "enable versioning",
        },
        { policy: "stack-tags", enforcementLevel: "mandatory", resource: "", message: "tag everything" },
      ]);
      assert.deepEqual(document.exempted, [{ policy: "iam-pass-role", resource: role.urn, reason: "CI deploy role" }]);
      assert.deepEqual(
        document.skipped,
        REPORT.skipped.map(({ message: _message, ...rest }) => rest),
      );
    });

    it('shows unknown values (first preview) as "[unknown]" in inputs and outputs, secrets still redacted', () => {
      const unknownVpc = { ...vpc, inputs: { cidrBlock: "10.20.0.0/16", tags: { Id: UNKNOWN, Name: "x" } } };
      const preview = planDocument(
        {
          ...evaluation,
          mode: "preview",
          resources: [unknownVpc, role],
          outputs: { apiFqdn: UNKNOWN, nested: { arn: UNKNOWN, name: "n" }, redisAuth: UNKNOWN },
        },
        REPORT,
      );
      assert.deepEqual(preview.resources[0].inputs, {
        cidrBlock: "10.20.0.0/16",
        tags: { Id: "[unknown]", Name: "x" },
      });
      assert.deepEqual(preview.outputs, {
        apiFqdn: "[unknown]",
        nested: { arn: "[unknown]", name: "n" },
        redisAuth: REDACTED,
      });
      assert.ok(!JSON.stringify(preview).includes(UNKNOWN), "no sentinel leaks into the document");
    });
  });

  describe("summary counts", () => {
    it("countsByType counts planned resources per type, largest first, ties by name", () => {
      const document = planDocument(
        { stack: "production", mode: "update", resources: RESOURCES, outputs: {}, secretOutputs: [] },
        { violations: [], exempted: [], skipped: [], mandatoryCount: 0 },
      );
      assert.deepEqual(countsByType(document.resources), [
        ["aws:s3/bucket:Bucket", 2],
        ["aws:ec2/vpc:Vpc", 1],
        ["aws:globalaccelerator/accelerator:Accelerator", 1],
        ["aws:iam/role:Role", 1],
        ["helium:index:GlobalEdge", 1],
        ["helium:index:HeliumRegion", 1],
        ["helium:index:SecureBucket", 1],
      ]);
    });

    it("countsByRegion counts custom, planned resources per region, `global` for region-less ones", () => {
      assert.deepEqual(countsByRegion(RESOURCES), [
        ["ap-southeast-1", 2],
        ["global", 2],
        ["us-east-1", 1],
      ]);
    });

    it("componentTree nests components under their parents with the regions and resource counts below them", () => {
      assert.deepEqual(componentTree(RESOURCES), [
        "helium:index:HeliumRegion prod-sg [ap-southeast-1] 2 resources",
        "  helium:index:SecureBucket prod-sg-logs [ap-southeast-1] 1 resources",
        "helium:index:GlobalEdge edge [global, us-east-1] 2 resources",
        "(stack level) 1 resources",
      ]);
    });

    it("skippedByPolicy counts skipped checks per policy and level, most first, with each distinct reason", () => {
      assert.deepEqual(skippedByPolicy(REPORT.skipped), [
        {
          policy: "iam-no-wildcards",
          enforcementLevel: "mandatory",
          count: 3,
          reasons: [
            ["string value at .policy can't be known during preview", 2],
            ["string value at .role can't be known during preview", 1],
          ],
        },
        {
          policy: "s3-versioning",
          enforcementLevel: "advisory",
          count: 1,
          reasons: [["string value at .bucket can't be known during preview", 1]],
        },
      ]);
    });

    it("the summary of a preview prints the skipped checks per policy and level, and why", () => {
      const evaluation: StackEvaluation = {
        stack: "production",
        mode: "preview",
        resources: RESOURCES,
        outputs: {},
        secretOutputs: [],
      };
      const text = renderSummary(evaluation, planDocument(evaluation, REPORT), 1);
      assert.match(text, /evaluated offline as a first preview/);
      assert.match(text, /Policy checks skipped at preview \(a value they read is unknown\): 4\n/);
      assert.match(text, /\n +3 {2}\[mandatory\] iam-no-wildcards\n +2 × string value at \.policy can't be known/);
      assert.match(text, /\n +1 {2}\[advisory\] s3-versioning\n/);
    });

    it("componentTree marks a component with no resources below it", () => {
      const empty = resource("helium:index:Observability", "obs");
      assert.deepEqual(componentTree([empty]), ["helium:index:Observability obs [-] 0 resources"]);
    });
  });
});
