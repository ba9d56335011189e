import * as assert from "assert";
import { changedPaths, diffPlans, renderDiff } from "../../offline/diff";
import { secretFingerprint, newFingerprintKey } from "../../offline/secret-fingerprint";
import { createHash } from "crypto";
import { REPLACEMENT_INPUTS, replacingInputs } from "../../offline/replacements";

const plan = (resources: Array<{ type: string; name: string; inputs: Record<string, unknown> }>) => ({
  stack: "s",
  resources,
});
const TG = "aws:lb/targetGroup:TargetGroup";
const TD = "aws:ecs/taskDefinition:TaskDefinition";

describe("offline diff", () => {
  it("lists added, removed and changed resources by type and name", () => {
    const diff = diffPlans(
      plan([
        { type: TG, name: "a", inputs: { port: 8000 } },
        { type: TG, name: "gone", inputs: {} },
      ]),
      plan([
        { type: TG, name: "a", inputs: { port: 8080 } },
        { type: TG, name: "new", inputs: {} },
      ]),
    );
    assert.deepStrictEqual(diff.added, [{ type: TG, name: "new" }]);
    assert.deepStrictEqual(diff.removed, [{ type: TG, name: "gone" }]);
    assert.deepStrictEqual(diff.changed, [{ type: TG, name: "a", changedPaths: ["port"], replacedBy: ["port"] }]);
  });

  it("an unchanged resource is not listed, whatever its key order", () => {
    const diff = diffPlans(
      plan([{ type: TG, name: "a", inputs: { port: 1, tags: { A: "1", B: "2" } } }]),
      plan([{ type: TG, name: "a", inputs: { tags: { B: "2", A: "1" }, port: 1 } }]),
    );
    assert.deepStrictEqual(diff.changed, []);
  });

  it("compares JSON documents held in strings as data and names the nested path", () => {
    const before = JSON.stringify([{ name: "app", image: "repo:v1", cpu: 1 }]);
    const after = JSON.stringify([{ name: "app", image: "repo:v2", cpu: 1 }]);
    assert.deepStrictEqual(changedPaths({ containerDefinitions: before }, { containerDefinitions: after }), [
      "containerDefinitions[0].image",
    ]);
  });

  it("an in-place update replaces nothing; a forcing input replaces", () => {
    assert.deepStrictEqual(replacingInputs(TG, ["healthCheck", "tags"]), []);
    assert.deepStrictEqual(replacingInputs(TG, ["healthCheck", "port"]), ["port"]);
    assert.deepStrictEqual(replacingInputs(TD, ["containerDefinitions"]), ["containerDefinitions"]);
    assert.deepStrictEqual(replacingInputs("aws:anything/x:X", ["region"]), ["region"]);
  });

  it("every replacement table entry names inputs, none twice", () => {
    for (const [type, inputs] of Object.entries(REPLACEMENT_INPUTS)) {
      assert.ok(inputs.length > 0, type);
      assert.strictEqual(new Set(inputs).size, inputs.length, type);
    }
  });

  it("follows a replacement through the inputs taken from the replaced resource, transitively", () => {
    const LISTENER = "aws:lb/listener:Listener";
    const RULE = "aws:lb/listenerRule:ListenerRule";
    const resources = (lbArnInput: string) => [
      { type: "aws:lb/loadBalancer:LoadBalancer", name: "alb", inputs: { internal: lbArnInput === "b" } },
      {
        type: LISTENER,
        name: "https",
        inputs: { loadBalancerArn: "arn:lb" },
        dependencies: { loadBalancerArn: ["aws:lb/loadBalancer:LoadBalancer::alb"] },
      },
      {
        type: RULE,
        name: "rule",
        inputs: { listenerArn: "arn:listener", priority: 100 },
        dependencies: { listenerArn: [`${LISTENER}::https`] },
      },
      { type: TD, name: "untouched", inputs: { cpu: "256" } },
    ];
    const diff = diffPlans(plan(resources("a")), plan(resources("b")));
    assert.deepEqual(
      diff.changed.map((c) => [c.name, c.replacedBy]),
      [
        ["alb", ["internal"]],
        ["https", ["loadBalancerArn"]],
        ["rule", ["listenerArn"]],
      ],
    );
    assert.match(diff.changed[2].changedPaths[0], /^listenerArn \(from replaced aws:lb\/listener:Listener::https\)$/);
  });

  it("renders counts and marks replacements", () => {
    const text = renderDiff(
      diffPlans(
        plan([{ type: TG, name: "a", inputs: { port: 1 } }]),
        plan([{ type: TG, name: "a", inputs: { port: 2 } }]),
      ),
    );
    assert.match(text, /0 to add, 0 to update, 1 to replace, 0 to delete/);
    assert.match(text, /\+-aws:lb\/targetGroup:TargetGroup a \(replaced: port changed\)/);
  });

  describe("secret inputs", () => {
    const SV = "aws:secretsmanager/secretVersion:SecretVersion";
    const key = newFingerprintKey();
    const secret = (value: unknown) => `[secret] ${secretFingerprint(key, value)}`;
    const version = (secretString: string) => plan([{ type: SV, name: "v", inputs: { secretId: "s", secretString } }]);

    // Fault: both sides read "[secret]", so a rotated secret showed no change (docs/runbook.md, "Rotate a secret").
    it("a secret fingerprinted under one key on both sides shows as changed, without its value", () => {
      const diff = diffPlans(
        version(secret('{"PAYMENT_API_KEY":"old"}')),
        version(secret('{"PAYMENT_API_KEY":"abc"}')),
      );
      assert.deepStrictEqual(diff.changed, [
        { type: SV, name: "v", changedPaths: ["secretString ([secret] changed)"], replacedBy: [] },
      ]);
      assert.deepStrictEqual(diff.secretsNotCompared, []);
      const text = renderDiff(diff);
      assert.match(
        text,
        /~ aws:secretsmanager\/secretVersion:SecretVersion v\n {6}secretString \(\[secret\] changed\)/,
      );
      assert.ok(!text.includes("abc") && !text.includes("hmac"), text);
      assert.deepStrictEqual(diffPlans(version(secret("same")), version(secret("same"))).changed, []);
    });

    it("a secret without a fingerprint on a side (a saved plan) is listed as not compared, and the text says why", () => {
      for (const [before, after] of [
        ["[secret]", secret("abc")],
        ["[secret]", "[secret]"],
      ]) {
        const diff = diffPlans(version(before), version(after));
        assert.deepStrictEqual(diff.changed, []);
        assert.deepStrictEqual(diff.secretsNotCompared, [{ type: SV, name: "v", path: "secretString" }]);
        const text = renderDiff(diff, { base: "base.json", secretsNotComparedBecause: "a saved plan holds none" });
        assert.match(text, /^Offline diff against base\.json: 0 to add, 0 to update, 0 to replace, 0 to delete\n/);
        assert.match(text, /1 secret input\(s\) of 1 resource\(s\) not compared: a saved plan holds none\./);
        assert.match(text, /A change to a secret value does not show here/);
      }
    });

    it("a fingerprint is keyed: another key gives another one, and it is no plain hash of the value", () => {
      const value = { PAYMENT_API_KEY: "abc" };
      assert.equal(secretFingerprint(key, value), secretFingerprint(key, { ...value }));
      assert.equal(secretFingerprint(key, { a: 1, b: 2 }), secretFingerprint(key, { b: 2, a: 1 }), "key order aside");
      assert.notEqual(secretFingerprint(key, value), secretFingerprint(newFingerprintKey(), value));
      const plain = createHash("sha256").update(JSON.stringify(value)).digest("hex");
      assert.ok(!secretFingerprint(key, value).includes(plain));
      assert.match(secretFingerprint(key, value), /^hmac-sha256:[0-9a-f]{64}$/);
    });
  });
});
