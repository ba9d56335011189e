import { recorder, settle, valueOf } from "../harness/component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../components/aliases";

class Holder extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("helium:test:Holder", name, {}, opts);
    this.registerOutputs({});
  }
}

describe("childOf (resource options for a child that moved under a sub-component)", () => {
  let former: Holder;
  let next: Holder;

  before(async () => {
    recorder.reset();
    former = new Holder("former");
    next = new Holder("next", { parent: former });
    await settle();
  });

  it("without a former parent: the parent and the extra options only, no alias", () => {
    assert.deepEqual(childOf(next, undefined, { protect: true }), { protect: true, parent: next });
  });

  it("with one: the extra options' aliases first, then the former parent named by its URN", async () => {
    const opts = childOf(next, former, { protect: true, aliases: [{ name: "old-name" }] });
    assert.equal(opts.parent, next);
    assert.equal(opts.protect, true);
    assert.equal(opts.aliases?.length, 2);
    assert.deepEqual(opts.aliases[0], { name: "old-name" });
    const alias = opts.aliases[1] as pulumi.Alias;
    assert.deepEqual(Object.keys(alias), ["parent"]);
    // A URN, not the Resource: the SDK walks an alias's whole value for unknowns (components/aliases.ts).
    assert.ok(pulumi.Output.isInstance(alias.parent), "the alias's parent is an Output<URN>");
    assert.equal(await valueOf(alias.parent as pulumi.Output<string>), await valueOf(former.urn));
  });
});
