import assert from "node:assert/strict";
import {
  dataStoresPrivateSubnets,
  ecsPrivateNetworking,
  loadBalancerInternalUnlessEdge,
  loadBalancersInternalBehindApiGateway,
  publicIngressEdgeOnly,
  rdsNotPublic,
} from "../../policy-pack/policies/private-networking";
import { T, UNKNOWN_ARRAY, found, network, res, run } from "./fixtures";

const EDGE_TAGS = { "helium:exposure": "public-edge" };

describe("private-networking policies", () => {
  for (const known of [true, false]) {
    describe(`helium-ecs-private-networking (${known ? "ids known" : "first preview, ids unknown"})`, () => {
      const net = network(known);
      const td = res(T.taskDefinition, "backend-td", { networkMode: "awsvpc", family: "backend" });
      const service = (name: string, subnet: typeof net.privateSubnet, extra: Record<string, unknown> = {}) =>
        res(
          T.service,
          name,
          {
            taskDefinition: known ? "arn:td" : UNKNOWN_ARRAY,
            networkConfiguration: {
              subnets: known ? [net.subnetId(subnet.id as string)] : UNKNOWN_ARRAY,
              assignPublicIp: false,
              ...extra,
            },
          },
          { deps: { networkConfiguration: [subnet], taskDefinition: [td] } },
        );

      it("passes a service in a private subnet without public IP", () => {
        assert.deepEqual(
          run(ecsPrivateNetworking, [...net.resources, td, service("ok", net.privateSubnet)]).violations,
          [],
        );
      });

      it("flags a service in a subnet that routes to the internet gateway", () => {
        const report = run(ecsPrivateNetworking, [...net.resources, td, service("exposed", net.publicSubnet)]);
        assert.deepEqual(found(report), [
          { policy: "helium-ecs-private-networking", enforcementLevel: "mandatory", resourceName: "exposed" },
        ]);
        assert.match(report.violations[0]?.message ?? "", /not private: .*routes to an internet gateway/);
      });
    });
  }

  it("helium-ecs-private-networking flags assignPublicIp, a missing networkConfiguration and a non-awsvpc task definition", () => {
    const net = network(true);
    const bridge = res(T.taskDefinition, "bridge-td", { networkMode: "bridge" });
    const report = run(ecsPrivateNetworking, [
      ...net.resources,
      bridge,
      res(T.service, "public-ip", { networkConfiguration: { subnets: ["subnet-0prv"], assignPublicIp: true } }),
      res(T.service, "no-network", {}),
      res(
        T.service,
        "bridged",
        { networkConfiguration: { subnets: ["subnet-0prv"] } },
        { deps: { taskDefinition: [bridge] } },
      ),
    ]);
    assert.deepEqual(
      report.violations.map((v) => [v.resourceName, v.message.split(":")[0]]),
      [
        ["public-ip", "networkConfiguration.assignPublicIp is true"],
        ["no-network", "the service has no networkConfiguration"],
        ["bridged", "task definition bridge-td uses networkMode bridge; only awsvpc is allowed"],
      ],
    );
  });

  it("helium-ecs-private-networking refuses a subnet it cannot resolve (no association in the stack)", () => {
    const report = run(ecsPrivateNetworking, [
      res(T.service, "svc", { networkConfiguration: { subnets: ["subnet-elsewhere"] } }),
    ]);
    assert.match(report.violations[0]?.message ?? "", /subnet-elsewhere \(no route table association/);
  });

  describe("helium-data-private-subnets", () => {
    const net = network(true);
    const cacheGroup = (name: string, subnet: string) => res(T.cacheSubnetGroup, name, { name, subnetIds: [subnet] });

    it("passes Redis in a private subnet group and flags one in a public subnet group", () => {
      const report = run(dataStoresPrivateSubnets, [
        ...net.resources,
        cacheGroup("private-group", "subnet-0prv"),
        cacheGroup("public-group", "subnet-0pub"),
        res(T.replicationGroup, "redis-ok", { subnetGroupName: "private-group" }),
        res(T.replicationGroup, "redis-bad", { subnetGroupName: "public-group" }),
      ]);
      assert.deepEqual(found(report), [
        { policy: "helium-data-private-subnets", enforcementLevel: "mandatory", resourceName: "redis-bad" },
      ]);
      assert.match(
        report.violations[0]?.message ?? "",
        /subnet group public-group holds subnets that are not private: subnet-0pub/,
      );
    });

    it("flags an RDS instance without a subnet group", () => {
      const report = run(dataStoresPrivateSubnets, [...net.resources, res(T.rdsInstance, "db", {})]);
      assert.deepEqual(found(report), [
        { policy: "helium-data-private-subnets", enforcementLevel: "mandatory", resourceName: "db" },
      ]);
      assert.match(report.violations[0]?.message ?? "", /dbSubnetGroupName is not set/);
    });
  });

  it("helium-rds-not-public flags publiclyAccessible only", () => {
    const report = run(rdsNotPublic, [
      res(T.rdsInstance, "public-db", { publiclyAccessible: true }),
      res(T.rdsInstance, "private-db", { publiclyAccessible: false }),
    ]);
    assert.deepEqual(found(report), [
      { policy: "helium-rds-not-public", enforcementLevel: "mandatory", resourceName: "public-db" },
    ]);
  });

  it("helium-lb-internal-unless-public-edge allows internal and tagged edge LBs, flags an untagged internet-facing one", () => {
    const report = run(loadBalancerInternalUnlessEdge, [
      res(T.lb, "internal", { internal: true }),
      res(T.lb, "edge", { internal: false, tags: EDGE_TAGS }),
      res(T.lb, "accidental", {}),
    ]);
    assert.deepEqual(found(report), [
      { policy: "helium-lb-internal-unless-public-edge", enforcementLevel: "mandatory", resourceName: "accidental" },
    ]);
    assert.match(report.violations[0]?.message ?? "", /internet-facing .* not tagged "helium:exposure": "public-edge"/);
  });

  describe("helium-lb-internal-behind-api-gateway", () => {
    const VPC_LINK = "aws:apigatewayv2/vpcLink:VpcLink";
    const ENTRY = { "helium:entry": "apiGateway" };

    it("accepts an internal load balancer behind a VPC link", () => {
      const report = run(loadBalancersInternalBehindApiGateway, [
        res(VPC_LINK, "link", {}),
        res(T.lb, "internal", { internal: true, tags: ENTRY }),
      ]);
      assert.deepEqual(report.violations, []);
    });

    it("flags every internet-facing load balancer once a VPC link exists, even one tagged as the public edge", () => {
      const report = run(loadBalancersInternalBehindApiGateway, [
        res(VPC_LINK, "link", {}),
        res(T.lb, "internal", { internal: true }),
        res(T.lb, "edge", { internal: false, tags: EDGE_TAGS }),
        res(T.lb, "default-scheme", {}),
      ]);
      assert.deepEqual(
        found(report).map((f) => [f.policy, f.enforcementLevel, f.resourceName]),
        [
          ["helium-lb-internal-behind-api-gateway", "mandatory", "edge"],
          ["helium-lb-internal-behind-api-gateway", "mandatory", "default-scheme"],
        ],
      );
      assert.match(report.violations[0]?.message ?? "", /VPC link \(link\).* edge is internet-facing/);
    });

    it("knows the entry from the load balancer's tag when no VPC link is in the stack", () => {
      const report = run(loadBalancersInternalBehindApiGateway, [
        res(T.lb, "tagged", { internal: false, tags: ENTRY }),
      ]);
      assert.deepEqual(
        found(report).map((f) => f.resourceName),
        ["tagged"],
      );
      assert.match(report.violations[0]?.message ?? "", /tagged "helium:entry": "apiGateway"/);
    });

    it("leaves the accelerator entry alone: an internet-facing edge with no VPC link passes", () => {
      const report = run(loadBalancersInternalBehindApiGateway, [
        res(T.lb, "edge", { internal: false, tags: EDGE_TAGS }),
      ]);
      assert.deepEqual(report.violations, []);
    });
  });

  describe("helium-public-ingress-edge-only", () => {
    const albSg = res(T.sg, "alb-sg", {}, { id: "sg-alb" });
    const taskSg = res(T.sg, "task-sg", {}, { id: "sg-task" });
    const edge = res(
      T.lb,
      "edge",
      { internal: false, tags: EDGE_TAGS, securityGroups: ["sg-alb"] },
      { deps: { securityGroups: [albSg] } },
    );
    const open = (
      name: string,
      group: typeof albSg,
      port: number,
      cidr: Record<string, string> = { cidrIpv4: "0.0.0.0/0" },
    ) =>
      res(
        T.ingress,
        name,
        { securityGroupId: group.id, ipProtocol: "tcp", fromPort: port, toPort: port, ...cidr },
        { deps: { securityGroupId: [group] } },
      );

    it("allows 80/443 from anywhere on the edge LB's security group", () => {
      const report = run(publicIngressEdgeOnly, [
        albSg,
        edge,
        open("https", albSg, 443),
        open("http6", albSg, 80, { cidrIpv6: "::/0" }),
      ]);
      assert.deepEqual(report.violations, []);
    });

    it("flags open ingress on another port and open ingress to a non-edge security group", () => {
      const report = run(publicIngressEdgeOnly, [
        albSg,
        taskSg,
        edge,
        open("ssh", albSg, 22),
        open("task-open", taskSg, 443),
      ]);
      assert.deepEqual(
        found(report).map((f) => f.resourceName),
        ["ssh", "task-open"],
      );
      assert.match(report.violations[0]?.message ?? "", /only on TCP 80 or 443/);
      assert.match(
        report.violations[1]?.message ?? "",
        /no internet-facing "helium:exposure": "public-edge" load balancer uses/,
      );
    });

    it("does not accept an edge tag on an internal load balancer as the public edge", () => {
      const internalTagged = res(T.lb, "edge", { internal: true, tags: EDGE_TAGS, securityGroups: ["sg-alb"] });
      assert.equal(run(publicIngressEdgeOnly, [albSg, internalTagged, open("https", albSg, 443)]).violations.length, 1);
    });

    it("checks inline ingress blocks too", () => {
      const inline = res(T.sg, "inline", {
        ingress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }],
      });
      assert.deepEqual(
        found(run(publicIngressEdgeOnly, [inline])).map((f) => f.resourceName),
        ["inline"],
      );
    });
  });
});
