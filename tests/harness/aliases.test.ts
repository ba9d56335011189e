import { recorder, settle } from "./component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { resolveAliases } from "../../offline/aliases";
import type { RecordedResource } from "../../offline/types";

/**
 * Alias resolution as the engine does it, on small component trees registered under the in-process mocks:
 * an "old" program is registered first and its URNs become the old state; then the "new" program, with
 * aliases, is resolved against it. Expected URNs are written out by the engine's rule, never copied from
 * the recorder.
 */
const TARGET = { project: "helium", stack: "unit" };
const U = (qualifiedType: string, name: string) => `urn:pulumi:unit::helium::${qualifiedType}::${name}`;

class Node extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions = {}) {
    super(`helium:index:${type}`, name, {}, opts);
    this.registerOutputs({});
  }
}

/** Registers a program and returns what it recorded, then clears the recorder for the next program. */
async function registered(program: () => void): Promise<RecordedResource[]> {
  recorder.reset();
  program();
  await settle();
  const resources = [...recorder.resources];
  recorder.reset();
  return resources;
}

async function resolve(oldProgram: () => void, newProgram: () => void) {
  const olds = new Set((await registered(oldProgram)).map((r) => r.urn));
  const resources = await registered(newProgram);
  return { olds, resources, resolution: resolveAliases(resources, olds, TARGET) };
}

describe("alias resolution (engine rules, in-process component tree)", () => {
  it("records engine URNs: a grandchild carries the whole parent type chain", async () => {
    const [, , leaf] = await registered(() => {
      const root = new Node("Root", "root");
      const child = new Node("Child", "child", { parent: root });
      new Node("Leaf", "leaf", { parent: child });
    });
    assert.equal(leaf.urn, U("helium:index:Root$helium:index:Child$helium:index:Leaf", "leaf"));
    assert.equal(leaf.parent, U("helium:index:Root$helium:index:Child", "child"));
  });

  it("a child moved to a new parent with { parent: old } claims its old URN, and its own child inherits it", async () => {
    const { resolution } = await resolve(
      () => {
        const root = new Node("Root", "root");
        const a = new Node("Old", "a", { parent: root });
        const logs = new Node("Child", "logs", { parent: a });
        new Node("Leaf", "leaf", { parent: logs });
      },
      () => {
        const root = new Node("Root", "root");
        const a = new Node("Old", "a", { parent: root });
        const b = new Node("New", "b", { parent: root });
        const logs = new Node("Child", "logs", { parent: b, aliases: [{ parent: a }] });
        new Node("Leaf", "leaf", { parent: logs });
      },
    );
    const newLogs = U("helium:index:Root$helium:index:New$helium:index:Child", "logs");
    const newLeaf = U("helium:index:Root$helium:index:New$helium:index:Child$helium:index:Leaf", "leaf");
    assert.equal(resolution.claims.get(newLogs), U("helium:index:Root$helium:index:Old$helium:index:Child", "logs"));
    assert.equal(
      resolution.claims.get(newLeaf),
      U("helium:index:Root$helium:index:Old$helium:index:Child$helium:index:Leaf", "leaf"),
      "inherited from the aliased parent: the leaf declares no alias",
    );
    assert.deepEqual(resolution.errors, []);
  });

  it("a renamed component ({ name }) takes its children along, renaming those named after it", async () => {
    const { resolution } = await resolve(
      () => {
        const app = new Node("App", "app");
        new Node("Bucket", "app-bucket", { parent: app });
        new Node("Queue", "jobs", { parent: app });
      },
      () => {
        const app = new Node("App", "newapp", { aliases: [{ name: "app" }] });
        new Node("Bucket", "newapp-bucket", { parent: app });
        new Node("Queue", "jobs", { parent: app });
      },
    );
    assert.equal(resolution.claims.get(U("helium:index:App", "newapp")), U("helium:index:App", "app"));
    assert.equal(
      resolution.claims.get(U("helium:index:App$helium:index:Bucket", "newapp-bucket")),
      U("helium:index:App$helium:index:Bucket", "app-bucket"),
    );
    assert.equal(
      resolution.claims.get(U("helium:index:App$helium:index:Queue", "jobs")),
      U("helium:index:App$helium:index:Queue", "jobs"),
    );
  });

  it("a retyped resource ({ type }), a root resource moved into a component ({ parent: undefined }) and a URN alias", async () => {
    const { resolution } = await resolve(
      () => {
        new Node("Legacy", "edge");
        new Node("Bucket", "files");
        new Node("Topic", "alerts");
      },
      () => {
        new Node("Edge", "edge", { aliases: [{ type: "helium:index:Legacy" }] });
        const region = new Node("Region", "mumbai");
        new Node("Bucket", "files", { parent: region, aliases: [{ parent: undefined }] });
        new Node("Topic", "alerts", { parent: region, aliases: [U("helium:index:Topic", "alerts")] });
      },
    );
    assert.equal(resolution.claims.get(U("helium:index:Edge", "edge")), U("helium:index:Legacy", "edge"));
    assert.equal(
      resolution.claims.get(U("helium:index:Region$helium:index:Bucket", "files")),
      U("helium:index:Bucket", "files"),
    );
    assert.equal(
      resolution.claims.get(U("helium:index:Region$helium:index:Topic", "alerts")),
      U("helium:index:Topic", "alerts"),
    );
    assert.equal(resolution.claims.has(U("helium:index:Region", "mumbai")), false, "a create");
  });

  it("a move without an alias claims nothing: the engine would delete the old resource and create a new one", async () => {
    const { resolution, olds } = await resolve(
      () => {
        new Node("Bucket", "files");
      },
      () => {
        new Node("Bucket", "files", { parent: new Node("Region", "mumbai") });
      },
    );
    assert.equal(resolution.claims.size, 0);
    assert.deepEqual([...olds], [U("helium:index:Bucket", "files")]);
  });

  it("two resources claiming one old resource is an error, as in the engine", async () => {
    const { resolution } = await resolve(
      () => {
        new Node("Bucket", "files");
      },
      () => {
        new Node("Bucket", "files-a", { aliases: [{ name: "files" }] });
        new Node("Bucket", "files-b", { aliases: [{ name: "files" }] });
      },
    );
    assert.equal(resolution.errors.length, 1);
    assert.match(resolution.errors[0], /both claim urn:pulumi:unit::helium::helium:index:Bucket::files/);
  });
});
