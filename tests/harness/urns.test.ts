import * as assert from "node:assert/strict";
import { engineUrn, engineUrnsOf, parseUrn, typeOfUrn } from "../../offline/urns";

const ROOT = "urn:pulumi:dev::helium::pulumi:pulumi:Stack::helium-dev";

describe("engine URNs (offline/urns.ts)", () => {
  it("parses a URN whose name contains '::'", () => {
    assert.deepEqual(parseUrn("urn:pulumi:dev::helium::a:b:C$d:e:F::x::y"), {
      stack: "dev",
      project: "helium",
      qualifiedType: "a:b:C$d:e:F",
      name: "x::y",
    });
    assert.equal(typeOfUrn("urn:pulumi:dev::helium::a:b:C$d:e:F::x"), "d:e:F");
    assert.throws(() => parseUrn("arn:aws:s3:::bucket"), /not a Pulumi URN/);
  });

  it("root-level resources and children of the root Stack have just their type; children the whole chain", () => {
    const region = engineUrn("mumbai", "helium:index:Region", null, "helium", "dev");
    assert.equal(region, "urn:pulumi:dev::helium::helium:index:Region::mumbai");
    assert.equal(engineUrn("mumbai", "helium:index:Region", ROOT, "helium", "dev"), region);
    const service = engineUrn("api", "helium:index:Service", region, "helium", "dev");
    assert.equal(
      engineUrn("role", "aws:iam/role:Role", service, "helium", "dev"),
      "urn:pulumi:dev::helium::helium:index:Region$helium:index:Service$aws:iam/role:Role::role",
    );
  });

  it("converts an evaluation recorded with mock URNs (parent's last type only) through its parent links", () => {
    const mock = (type: string, name: string) => `urn:pulumi:dev::helium::${type}::${name}`;
    const recorded = [
      { urn: mock("helium:index:Region", "r"), type: "helium:index:Region", name: "r", parent: null },
      {
        urn: mock("helium:index:Region$helium:index:Service", "s"),
        type: "helium:index:Service",
        name: "s",
        parent: mock("helium:index:Region", "r"),
      },
      // The mock's URN of the grandchild lacks Region: the engine's does not.
      {
        urn: mock("helium:index:Service$aws:iam/role:Role", "role"),
        type: "aws:iam/role:Role",
        name: "role",
        parent: mock("helium:index:Region$helium:index:Service", "s"),
      },
      { urn: "", type: "pulumi:pulumi:StackReference", name: "shared", parent: null },
    ];
    assert.deepEqual(engineUrnsOf(recorded, "helium", "dev"), [
      "urn:pulumi:dev::helium::helium:index:Region::r",
      "urn:pulumi:dev::helium::helium:index:Region$helium:index:Service::s",
      "urn:pulumi:dev::helium::helium:index:Region$helium:index:Service$aws:iam/role:Role::role",
      "urn:pulumi:dev::helium::pulumi:pulumi:StackReference::shared",
    ]);
  });

  it("refuses to guess: a parent not recorded before its child, or a mock URN standing for two engine URNs", () => {
    assert.throws(
      () =>
        engineUrnsOf([{ urn: "u", type: "t:t:T", name: "n", parent: "urn:pulumi:dev::helium::x:x:X::p" }], "h", "d"),
      /parent .* is not recorded before it/,
    );
    const shared = "urn:pulumi:dev::helium::helium:index:B$t:t:T::n";
    assert.throws(
      () =>
        engineUrnsOf(
          [
            { urn: "urn:pulumi:dev::helium::helium:index:A::a", type: "helium:index:A", name: "a", parent: null },
            { urn: "urn:pulumi:dev::helium::helium:index:B::b", type: "helium:index:B", name: "b", parent: null },
            { urn: shared, type: "t:t:T", name: "n", parent: "urn:pulumi:dev::helium::helium:index:A::a" },
            { urn: shared, type: "t:t:T", name: "n", parent: "urn:pulumi:dev::helium::helium:index:B::b" },
          ],
          "helium",
          "dev",
        ),
      /stands for both/,
    );
  });
});
