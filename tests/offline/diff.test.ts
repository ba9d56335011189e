import * as assert from "assert";
import { changedPaths, diffPlans, renderDiff } from "../../offline/diff";
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
});
