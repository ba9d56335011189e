/**
 * The cost model (lib/cost/*, `npm run report:cost`): its arithmetic on a small hand-built plan, with every
 * expected figure computed by hand from the price table; the price table's bookkeeping; the report and the
 * diff; and docs/cost.md's comparison of idle production with seed 004, recomputed from a fresh evaluation.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { regionCuts, topDrivers } from "../../lib/cost/advice";
import { byRegionAndKind, estimate, roundUsd, unpriced } from "../../lib/cost/estimate";
import { PRICE_TABLE, findPrice } from "../../lib/cost/prices";
import { renderCostDiff, renderCostReport } from "../../lib/cost/render";
import { SEED_004_PUBLISHED, renderSeedComparison, seedComparison } from "../../lib/cost/seed-004";
import { type CostResource, GLOBAL } from "../../lib/cost/types";
import { splitByStrategy, taskFamily } from "../../lib/cost/fargate-usage";
import { costResources, parseCostArgs, readBasePlan } from "../../scripts/cost-report";
import { evaluateStack } from "../../offline/evaluate";

const MUM = "ap-south-1";
const at = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  region: string | null = MUM,
): CostResource => ({
  type,
  name,
  region,
  inputs,
});

/** A small plan: one region with a bit of everything, one global accelerator, and one resource with no price. */
const SMALL_PLAN: readonly CostResource[] = [
  at("aws:ec2/vpc:Vpc", "vpc", {}),
  at("aws:ec2/natGateway:NatGateway", "nat-1", {}),
  at("aws:ec2/natGateway:NatGateway", "nat-2", {}),
  at("aws:ec2/eip:Eip", "eip-1", { domain: "vpc" }),
  at("aws:ec2/eip:Eip", "eip-2", { domain: "vpc" }),
  at("aws:lb/loadBalancer:LoadBalancer", "alb", {
    loadBalancerType: "application",
    internal: false,
    subnets: ["a", "b"],
  }),
  at("aws:ecs/taskDefinition:TaskDefinition", "api-td", {
    family: "api",
    cpu: "512",
    memory: "1024",
    runtimePlatform: { cpuArchitecture: "ARM64" },
  }),
  at("aws:ecs/service:Service", "api", {
    taskDefinition: "arn:aws:ecs:ap-south-1:1:task-definition/api:7",
    launchType: "FARGATE",
    desiredCount: 2,
  }),
  at("aws:ecs/taskDefinition:TaskDefinition", "jobs-td", {
    family: "jobs",
    cpu: "1024",
    memory: "2048",
    runtimePlatform: { cpuArchitecture: "ARM64" },
  }),
  at("aws:ecs/service:Service", "jobs", {
    taskDefinition: "jobs:3",
    desiredCount: 3,
    capacityProviderStrategies: [
      { capacityProvider: "FARGATE", base: 1, weight: 1 },
      { capacityProvider: "FARGATE_SPOT", weight: 1 },
    ],
  }),
  at("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
    engine: "valkey",
    nodeType: "cache.t3.micro",
    numCacheClusters: 2,
  }),
  at("aws:ec2/vpcEndpoint:VpcEndpoint", "ecr-api", { vpcEndpointType: "Interface", subnetIds: ["a", "b"] }),
  at("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcEndpointType: "Gateway" }),
  at("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm", { period: 60 }),
  at("aws:cloudwatch/metricAlarm:MetricAlarm", "rate", {
    metricQueries: [{ id: "a", metric: { period: 60 } }, { id: "b", metric: { period: 60 } }, { id: "e" }],
  }),
  at("aws:cloudwatch/logGroup:LogGroup", "app-logs", { name: "/x/app" }),
  at("aws:cloudwatch/logGroup:LogGroup", "flow", { name: "/x/vpc-flow-logs/ap-south-1" }),
  at("aws:kms/key:Key", "key", {}),
  at("aws:secretsmanager/secret:Secret", "secret", {}),
  at("aws:s3/bucket:Bucket", "bucket", {}),
  at("aws:globalaccelerator/accelerator:Accelerator", "ga", {}, null),
  at(
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "far-cache",
    { engine: "valkey", nodeType: "cache.t3.micro" },
    "eu-west-1",
  ),
];

/** Hand-computed from the table's ap-south-1 prices; each term is quantity × price. */
const EXPECTED = {
  nat: 2 * 730 * 0.056 + 2 * 10 * 0.056, // 81.76 + 1.12
  publicIpv4: 2 * 730 * 0.005 + 2 * 730 * 0.005, // NAT EIPs + the ALB's 2 AZs
  loadBalancer: 730 * 0.0239 + 730 * 0.008, // hours + 1 LCU
  compute:
    2 * 0.5 * 730 * 0.02383 + // api: 2 on-demand tasks × 0.5 vCPU
    2 * 1 * 730 * 0.00262 + //        × 1 GB
    2 * 1 * 730 * 0.02383 + // jobs: base 1 + half of 2 on FARGATE = 2 tasks × 1 vCPU
    2 * 2 * 730 * 0.00262 + //        × 2 GB
    1 * 1 * 730 * 0.009532 + //       1 Spot task × 1 vCPU at 0.02383 × (1 − 0.6)
    1 * 2 * 730 * 0.001048, //        × 2 GB at 0.00262 × (1 − 0.6)
  cache: 2 * 730 * 0.0136,
  endpoints: 2 * 730 * 0.011,
  monitoring: (1 + 2) * 0.1 + (1 + 5) * 0.67, // 3 alarm metrics; 1 GB app + 5 GB flow logs
  kms: 1,
  secrets: 0.4,
  storage: 5 * 0.025,
  edge: 730 * 0.025,
};

describe("lib/cost: arithmetic on a small plan", () => {
  const e = estimate("small", SMALL_PLAN);
  const cell = byRegionAndKind(e);

  it("prices every kind as computed by hand", () => {
    const got = {
      nat: cell(MUM, "nat"),
      publicIpv4: cell(MUM, "public-ipv4"),
      loadBalancer: cell(MUM, "load-balancer"),
      compute: cell(MUM, "compute"),
      cache: cell(MUM, "cache"),
      endpoints: cell(MUM, "endpoints"),
      monitoring: cell(MUM, "monitoring"),
      kms: cell(MUM, "kms"),
      secrets: cell(MUM, "secrets"),
      storage: cell(MUM, "storage"),
      edge: cell(GLOBAL, "edge"),
    };
    for (const [kind, usd] of Object.entries(EXPECTED))
      assert.equal(roundUsd(got[kind as keyof typeof got]), roundUsd(usd), kind);
    assert.equal(roundUsd(EXPECTED.nat), 82.88);
    assert.equal(roundUsd(EXPECTED.compute), 72.15);
  });

  it("totals per region and overall, leaving the unpriced resource out and listing it", () => {
    const mumbai = Object.values(EXPECTED).reduce((a, b) => a + b, 0) - EXPECTED.edge;
    assert.equal(roundUsd(mumbai), 234.68);
    assert.equal(roundUsd(e.totalUsd), roundUsd(mumbai + EXPECTED.edge));
    assert.equal(roundUsd(e.totalUsd), 252.93);
    assert.deepEqual(
      e.regions,
      [MUM, "eu-west-1", GLOBAL].sort((a, b) => (a === GLOBAL ? 1 : b === GLOBAL ? -1 : a.localeCompare(b))),
    );
    assert.deepEqual(
      unpriced(e).map((l) => [l.region, l.item, l.resources]),
      [["eu-west-1", "elasticache-node-hour:valkey:cache.t3.micro", ["far-cache"]]],
    );
  });

  it("splits tasks by capacity provider strategy: bases first, then by weight; the cluster's default without one", () => {
    assert.deepEqual(
      splitByStrategy(3, [
        { capacityProvider: "FARGATE", base: 1, weight: 1 },
        { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
      ]),
      { FARGATE: 2, FARGATE_SPOT: 1 },
    );
    assert.deepEqual(
      splitByStrategy(5, [
        { capacityProvider: "FARGATE", base: 1, weight: 1 },
        { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 },
      ]),
      { FARGATE: 2, FARGATE_SPOT: 3 },
    );
    const viaCluster = estimate("c", [
      at("aws:ecs/taskDefinition:TaskDefinition", "td", {
        family: "w",
        cpu: "1024",
        memory: "2048",
        runtimePlatform: { cpuArchitecture: "ARM64" },
      }),
      at("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "cp", {
        clusterName: "c1",
        defaultCapacityProviderStrategies: [
          { capacityProvider: "FARGATE", base: 1, weight: 1 },
          { capacityProvider: "FARGATE_SPOT", weight: 3 },
        ],
      }),
      at("aws:ecs/service:Service", "w", {
        cluster: "arn:aws:ecs:ap-south-1:1:cluster/c1",
        taskDefinition: "w",
        desiredCount: 5,
      }),
    ]);
    const vcpu = (capacity: string) =>
      viaCluster.lines
        .filter((l) => l.item === `fargate-vcpu-hour:arm64:${capacity}`)
        .reduce((n, l) => n + l.quantity, 0);
    assert.deepEqual([vcpu("on-demand"), vcpu("spot")], [2 * 730, 3 * 730]);
    assert.equal(taskFamily("arn:aws:ecs:us-east-1:1:task-definition/helium-backend-va:12"), "helium-backend-va");
  });

  it("names the biggest drivers with their cut, and the region-level changes", () => {
    const drivers = topDrivers(e, 3);
    assert.deepEqual(
      drivers.map((d) => [d.region, d.kind]),
      [
        [MUM, "nat"],
        [MUM, "compute"],
        [MUM, "load-balancer"],
      ],
    );
    assert.match(drivers[0].cut, /natGateways: single/);
    // One NAT, its GB and its Elastic IP go: half the NAT cost plus one address.
    assert.equal(roundUsd(drivers[0].saveUsd ?? 0), roundUsd(EXPECTED.nat / 2 + 730 * 0.005));
    assert.deepEqual(regionCuts(e, SMALL_PLAN), [
      `dropping ${MUM} from helium:regions saves $234.68/month (one failover region less)`,
    ]);
  });
});

describe("lib/cost/prices: the dated table", () => {
  it("every row has an AWS pricing page, a source, the date it was read and a known evidence level", () => {
    for (const row of PRICE_TABLE) {
      assert.match(row.url, /^https:\/\/aws\.amazon\.com\/[a-z0-9-]+(\/[a-z0-9-]+)*\/pricing\/$/, row.item);
      assert.ok(row.source.length > 5, row.item);
      assert.match(row.retrieved, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(["aws-page", "bill", "third-party", "unverified"].includes(row.evidence));
      assert.ok(row.usd > 0, row.item);
    }
  });

  it("prices each item at most once per region, and nothing outside the regions it lists", () => {
    const seen = new Set<string>();
    for (const row of PRICE_TABLE) {
      for (const region of row.regions === GLOBAL ? [GLOBAL] : row.regions) {
        const key = `${row.item}@${region}`;
        assert.ok(!seen.has(key), `${key} twice`);
        seen.add(key);
      }
    }
    assert.equal(findPrice("nat-gateway-hour", "eu-west-1"), undefined);
    assert.equal(findPrice("accelerator-hour", MUM), undefined, "a global price is not a regional one");
    assert.equal(findPrice("accelerator-hour", GLOBAL)?.usd, 0.025);
  });

  it("the report marks every unverified price it used", () => {
    const text = renderCostReport(estimate("small", SMALL_PLAN), SMALL_PLAN);
    const used = estimate("small", SMALL_PLAN)
      .lines.map((l) => l.price)
      .filter((p) => p?.evidence === "unverified");
    assert.ok(used.length > 0);
    for (const p of used) assert.ok(text.includes(`  * ${p?.item} [`), `${p?.item} is marked unverified`);
    assert.match(text, /rests on unverified prices/);
  });
});

describe("scripts/cost-report", () => {
  it("parses its arguments and refuses bad ones", () => {
    assert.deepEqual(parseCostArgs(["production"]), { stack: "production", json: false, seed004: false });
    assert.deepEqual(parseCostArgs(["production", "--diff", "base.json"]), {
      stack: "production",
      json: false,
      seed004: false,
      baseFile: "base.json",
    });
    assert.throws(() => parseCostArgs(["production", "--diff"]), /--diff needs a plan file or a git ref/);
    assert.throws(() => parseCostArgs([]), /usage: npm run report:cost/);
    assert.throws(() => parseCostArgs(["production", "--frobnicate"]), /unknown option --frobnicate/);
  });

  it("prints the cost of a change from a base plan: one NAT gateway and its address fewer", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cost-")), "base.json");
    fs.writeFileSync(file, JSON.stringify({ stack: "small", resources: SMALL_PLAN, outputs: {} }));
    const base = readBasePlan(file, "small");
    assert.throws(() => readBasePlan(file, "production"), /is a plan of stack small, not production/);
    const regionless = file.replace("base.json", "old.json");
    fs.writeFileSync(regionless, JSON.stringify({ stack: "small", resources: [{ type: "t", name: "n", inputs: {} }] }));
    assert.throws(() => readBasePlan(regionless, "small"), /carry no region/);
    const head = SMALL_PLAN.filter((r) => r.name !== "nat-2" && r.name !== "eip-2");
    const text = renderCostDiff(estimate("small", base.resources), estimate("small", head));
    const saved = 730 * 0.056 + 10 * 0.056 + 730 * 0.005;
    assert.match(text, new RegExp(`^Cost of the change \\(stack small\\): −\\$${saved.toFixed(2)}/month`));
    assert.match(text, /ap-south-1\s+NAT gateways\s+82\.88\s+41\.44\s+−\$41\.44/);
    assert.match(text, /ap-south-1\s+Public IPv4\s+14\.60\s+10\.95\s+−\$3\.65/);
    assert.match(renderCostDiff(estimate("small", head), estimate("small", head)), /no modelled cost changes/);
  });
});

describe("idle production vs seed 004 (docs/cost.md)", function () {
  this.timeout(180_000);
  let production: ReturnType<typeof estimate>;
  let resources: CostResource[];

  before(async () => {
    resources = costResources((await evaluateStack("production")).resources);
    production = estimate("production", resources);
  });

  it("every billable resource of production has a price row", () => {
    assert.deepEqual(unpriced(production), []);
    assert.deepEqual(production.regions, ["ap-south-1", "ap-southeast-1", "us-east-1", GLOBAL]);
  });

  it("docs/cost.md holds the comparison as computed now (npm run report:cost -- production --seed-004)", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "cost.md"), "utf8");
    const block = /<!-- SEED-004-COMPARISON:START -->\n([\s\S]*?)\n<!-- SEED-004-COMPARISON:END -->/.exec(doc);
    assert.ok(block, "docs/cost.md has the SEED-004-COMPARISON markers");
    assert.equal(
      block[1].trim(),
      renderSeedComparison(production).trim(),
      "regenerate: npm run report:cost -- production --seed-004",
    );
  });

  it("at equal HA the seed's own resources cost more than its published figure, and idle Helium more again", () => {
    const rows = Object.fromEntries(seedComparison(production).map((r) => [r.item, r]));
    const total = rows["Total per region"];
    assert.equal(total.published, SEED_004_PUBLISHED.total);
    const nat = rows["NAT gateways (2, one per AZ)"];
    assert.ok((nat.repriced ?? 0) > SEED_004_PUBLISHED.nat, "the seed priced NAT at the us-east-1 rate");
    assert.ok((total.helium ?? 0) > (total.published ?? 0));
    const scope = rows["Equal-HA scope: NAT, IPv4, ALB, Fargate"];
    assert.equal(scope.published, SEED_004_PUBLISHED.nat + SEED_004_PUBLISHED.alb + SEED_004_PUBLISHED.fargate);
  });

  it("production's report: interface endpoints and NAT gateways are the top drivers, each with its config cut", () => {
    const drivers = topDrivers(production);
    assert.deepEqual(
      drivers.map((d) => d.kind),
      ["endpoints", "endpoints", "endpoints", "nat", "nat"],
    );
    assert.match(drivers[0].cut, /^interfaceEndpoints: \[\]/);
    assert.match(drivers[3].cut, /^natGateways: single/);
  });
});
