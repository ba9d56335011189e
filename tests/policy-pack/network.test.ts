import assert from "node:assert/strict";
import { unknownCheckingProxy } from "@pulumi/policy";
import { SubnetRouting, resolveByNameOrDependency, subnetReferences } from "../../policy-pack/lib/network";
import type { ResourceNode } from "../../policy-pack/lib/values";
import type { RecordedResource } from "../../offline/types";
import { T, UNKNOWN_ARRAY, network, res } from "./fixtures";

/** RecordedResource → the node shape a stack policy sees (props behind the runtime's unknown-checking proxy). */
function nodes(resources: readonly RecordedResource[]): ResourceNode[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    props: unknownCheckingProxy(r.inputs) as Record<string, unknown>,
    propertyDependencies: Object.fromEntries(
      Object.entries(r.propertyDependencies).map(([k, urns]) => [
        k,
        urns.map((u) => ({ urn: u, type: byUrn.get(u)?.type ?? "" })),
      ]),
    ),
  }));
}

describe("policy-pack/lib/network SubnetRouting", () => {
  for (const known of [true, false]) {
    describe(known ? "ids known (update, mocks)" : "ids unknown (first preview)", () => {
      const net = network(known);
      const routing = new SubnetRouting(nodes(net.resources));

      it("classifies a subnet associated with an IGW-routed table as internet", () => {
        assert.equal(routing.exposureOf(net.publicSubnet.urn), "internet");
        if (known) assert.equal(routing.exposureOf("subnet-0pub"), "internet");
      });

      it("classifies a subnet whose default route goes to a NAT gateway as private", () => {
        assert.equal(routing.exposureOf(net.privateSubnet.urn), "private");
        if (known) assert.equal(routing.exposureOf("subnet-0prv"), "private");
      });
    });
  }

  it("links an id-only reference to a URN-only association through an association that has both", () => {
    const subnet = res(T.subnet, "s", {}, { id: "subnet-9" });
    const table = res(T.routeTable, "rt", {});
    const igw = res(T.igw, "igw", {});
    const routing = new SubnetRouting(
      nodes([
        subnet,
        table,
        igw,
        res(T.route, "r", {}, { deps: { routeTableId: [table], gatewayId: [igw] } }),
        res(T.association, "a", { subnetId: "subnet-9" }, { deps: { subnetId: [subnet], routeTableId: [table] } }),
      ]),
    );
    assert.equal(routing.exposureOf("subnet-9"), "internet");
    assert.equal(routing.exposureOf(subnet.urn), "internet");
  });

  it("sees inline routes of a RouteTable", () => {
    const subnet = res(T.subnet, "s", {});
    const table = res(T.routeTable, "rt", { routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }] });
    const routing = new SubnetRouting(
      nodes([subnet, table, res(T.association, "a", {}, { deps: { subnetId: [subnet], routeTableId: [table] } })]),
    );
    assert.equal(routing.exposureOf(subnet.urn), "internet");
  });

  it("reports a subnet without an explicit association as unassociated", () => {
    const subnet = res(T.subnet, "lonely", {}, { id: "subnet-x" });
    assert.equal(new SubnetRouting(nodes([subnet])).exposureOf("subnet-x"), "unassociated");
  });

  it("falls back to Subnet dependency URNs when the subnet list is unknown", () => {
    const a = res(T.subnet, "a", {});
    const [service] = nodes([
      a,
      res(
        T.service,
        "svc",
        { networkConfiguration: { subnets: UNKNOWN_ARRAY } },
        { deps: { networkConfiguration: [a] } },
      ),
    ]).slice(1);
    assert.deepEqual(subnetReferences(service, ["networkConfiguration", "subnets"]), [a.urn]);
  });

  it("resolves a subnet group by name or by dependency", () => {
    const group = res(T.cacheSubnetGroup, "cache-subnets", { name: "helium-cache-mum" });
    const [groupNode, byName, byDep] = nodes([
      group,
      res(T.replicationGroup, "by-name", { subnetGroupName: "helium-cache-mum" }),
      res(T.replicationGroup, "by-dep", {}, { deps: { subnetGroupName: [group] } }),
    ]) as [ResourceNode, ResourceNode, ResourceNode];
    assert.equal(resolveByNameOrDependency(byName, "subnetGroupName", [groupNode])?.urn, group.urn);
    assert.equal(resolveByNameOrDependency(byDep, "subnetGroupName", [groupNode])?.urn, group.urn);
  });
});
