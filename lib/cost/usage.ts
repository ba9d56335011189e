/**
 * What a plan will run for a month, counted from its resources' types and inputs: hours of NAT gateways, load
 * balancers and cache nodes, Fargate vCPU- and GB-hours from task sizes × desired counts (Spot where a capacity
 * provider strategy says so), and so on. Pure; usage the plan cannot show comes from lib/cost/assumptions.ts.
 */
import { ASSUMPTIONS, type AssumptionKey, HOURS_PER_MONTH } from "./assumptions";
import { clusterName, fargate } from "./fargate-usage";
import type { CostResource, UsageLine } from "./types";
import { line, list, num, ofType, plural, record, str } from "./usage-line";

const H = HOURS_PER_MONTH;

function natGateways(resources: readonly CostResource[]): UsageLine[] {
  const gb = ASSUMPTIONS.natGbPerGateway.value;
  return ofType(resources, "aws:ec2/natGateway:NatGateway").flatMap((r) => [
    line(r, "nat", "nat-gateway-hour", H, `1 NAT gateway × ${H} h`),
    line(r, "nat", "nat-gateway-gb", gb, `${gb} GB processed (assumed)`, ["natGbPerGateway"]),
  ]);
}

function elasticIps(resources: readonly CostResource[]): UsageLine[] {
  return ofType(resources, "aws:ec2/eip:Eip").map((r) =>
    line(r, "public-ipv4", "public-ipv4-hour", H, `1 Elastic IP × ${H} h`),
  );
}

function loadBalancers(resources: readonly CostResource[]): UsageLine[] {
  return ofType(resources, "aws:lb/loadBalancer:LoadBalancer").flatMap((r) => {
    const type = str(r.inputs.loadBalancerType) ?? "application";
    if (type !== "application") return [line(r, "load-balancer", `${type}-load-balancer-hour`, H, `1 × ${H} h`)];
    const lcu = ASSUMPTIONS.albLcuPerHour.value;
    const lines = [
      line(r, "load-balancer", "alb-hour", H, `1 ALB × ${H} h`),
      line(r, "load-balancer", "alb-lcu-hour", lcu * H, `${lcu} LCU (assumed) × ${H} h`, ["albLcuPerHour"]),
    ];
    if (r.inputs.internal !== true) {
      const azs = Math.max(list(r.inputs.subnets).length, list(r.inputs.subnetMappings).length);
      const ips = azs * ASSUMPTIONS.albPublicIpv4PerSubnet.value;
      lines.push(
        line(r, "public-ipv4", "public-ipv4-hour", ips * H, `${plural(ips, "ALB address")} (one per AZ) × ${H} h`, [
          "albPublicIpv4PerSubnet",
        ]),
      );
    }
    return lines;
  });
}

/** `nodes` ElastiCache nodes of `r` for the month, priced by engine and node type. */
function cacheNodeHours(r: CostResource, nodes: number): UsageLine {
  const engine = str(r.inputs.engine) ?? "redis";
  const nodeType = str(r.inputs.nodeType) ?? "unknown";
  return line(
    r,
    "cache",
    `elasticache-node-hour:${engine}:${nodeType}`,
    nodes * H,
    `${plural(nodes, "node")} × ${H} h (${nodeType}, ${engine})`,
  );
}

function caches(resources: readonly CostResource[]): UsageLine[] {
  const groups = ofType(resources, "aws:elasticache/replicationGroup:ReplicationGroup").map((r) => {
    const shards = num(r.inputs.numNodeGroups);
    const nodes =
      shards !== undefined
        ? shards * ((num(r.inputs.replicasPerNodeGroup) ?? 0) + 1)
        : (num(r.inputs.numCacheClusters) ?? 1);
    return cacheNodeHours(r, nodes);
  });
  const clusters = ofType(resources, "aws:elasticache/cluster:Cluster").map((r) =>
    cacheNodeHours(r, num(r.inputs.numCacheNodes) ?? 1),
  );
  const serverless = ofType(resources, "aws:elasticache/serverlessCache:ServerlessCache").map((r) =>
    line(r, "cache", "elasticache-serverless", 1, "serverless cache (usage-priced; not modelled)"),
  );
  return [...groups, ...clusters, ...serverless];
}

function databases(resources: readonly CostResource[]): UsageLine[] {
  const instances = ofType(resources, "aws:rds/instance:Instance").flatMap((r) => {
    const multiAz = r.inputs.multiAz === true;
    const az = multiAz ? "multi-az" : "single-az";
    const instanceClass = str(r.inputs.instanceClass) ?? "unknown";
    const storage = num(r.inputs.allocatedStorage) ?? 0;
    const storageType = str(r.inputs.storageType) ?? "gp2";
    const copies = multiAz ? 2 : 1;
    return [
      line(r, "database", `rds-instance-hour:${instanceClass}:${az}`, H, `1 ${instanceClass} ${az} × ${H} h`),
      ...(storage > 0
        ? [
            line(
              r,
              "database",
              `rds-${storageType}-gb-month`,
              storage * copies,
              `${storage} GB ${storageType} × ${copies}`,
            ),
          ]
        : []),
    ];
  });
  const clusters = ofType(resources, "aws:rds/cluster:Cluster").map((r) =>
    line(r, "database", "rds-cluster", 1, "Aurora cluster (not modelled)"),
  );
  return [...instances, ...clusters];
}

function accelerators(resources: readonly CostResource[]): UsageLine[] {
  return ofType(resources, "aws:globalaccelerator/accelerator:Accelerator").map((r) =>
    line(r, "edge", "accelerator-hour", H, `1 accelerator × ${H} h`),
  );
}

function endpoints(resources: readonly CostResource[]): UsageLine[] {
  return ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint")
    .filter((r) => (str(r.inputs.vpcEndpointType) ?? "Gateway") !== "Gateway")
    .map((r) => {
      const azs = Math.max(list(r.inputs.subnetIds).length, list(r.inputs.subnetConfigurations).length, 1);
      const service = (str(r.inputs.serviceName) ?? r.name).split(".").slice(3).join(".") || r.name;
      return line(r, "endpoints", "interface-endpoint-az-hour", azs * H, `${service}: ${plural(azs, "AZ")} × ${H} h`);
    });
}

function monitoring(resources: readonly CostResource[]): UsageLine[] {
  const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => {
    const queries = list(r.inputs.metricQueries).map(record);
    const metrics = queries.length > 0 ? queries.filter((q) => q.metric !== undefined).length : 1;
    const periods = [num(r.inputs.period), ...queries.map((q) => num(record(q.metric).period))].filter(
      (p): p is number => p !== undefined,
    );
    const highResolution = periods.some((p) => p < 60);
    return line(
      r,
      "monitoring",
      highResolution ? "high-resolution-alarm-metric-month" : "alarm-metric-month",
      metrics,
      `1 alarm × ${plural(metrics, "metric")}`,
    );
  });
  const composites = ofType(resources, "aws:cloudwatch/compositeAlarm:CompositeAlarm").map((r) =>
    line(r, "monitoring", "composite-alarm-month", 1, "1 composite alarm"),
  );
  const dashboards = ofType(resources, "aws:cloudwatch/dashboard:Dashboard").map((r) =>
    line(r, "monitoring", "dashboard-month", 1, "1 dashboard"),
  );
  const logs = ofType(resources, "aws:cloudwatch/logGroup:LogGroup").map((r) => {
    const flow = /flow-log/.test(str(r.inputs.name) ?? r.name);
    const key: AssumptionKey = flow ? "logGbPerFlowLogGroup" : "logGbPerLogGroup";
    const gb = ASSUMPTIONS[key].value;
    return line(r, "monitoring", "logs-ingest-gb", gb, `${gb} GB ingested (assumed${flow ? ", flow logs" : ""})`, [
      key,
    ]);
  });
  const services = ofType(resources, "aws:ecs/service:Service");
  const insights = ofType(resources, "aws:ecs/cluster:Cluster").flatMap((r) => {
    const setting = list(r.inputs.settings)
      .map(record)
      .find((s) => s.name === "containerInsights");
    if (setting === undefined || setting.value === "disabled") return [];
    const name = str(r.inputs.name) ?? r.name;
    const inCluster = services.filter(
      (s) => s.region === r.region && clusterName(str(s.inputs.cluster) ?? "") === name,
    ).length;
    const metrics =
      ASSUMPTIONS.containerInsightsMetricsPerCluster.value +
      inCluster * ASSUMPTIONS.containerInsightsMetricsPerService.value;
    const gb = ASSUMPTIONS.containerInsightsLogGbPerCluster.value;
    return [
      line(
        r,
        "monitoring",
        "custom-metric-month",
        metrics,
        `Container Insights (${String(setting.value)}): cluster + ${plural(inCluster, "service")} ≈ ${metrics} metrics`,
        ["containerInsightsMetricsPerCluster", "containerInsightsMetricsPerService"],
      ),
      line(r, "monitoring", "logs-ingest-gb", gb, `Container Insights performance logs, ${gb} GB (assumed)`, [
        "containerInsightsLogGbPerCluster",
      ]),
    ];
  });
  return [...alarms, ...composites, ...dashboards, ...logs, ...insights];
}

function grafana(resources: readonly CostResource[]): UsageLine[] {
  return ofType(resources, "aws:grafana/workspace:Workspace").flatMap((workspace) => {
    const inWorkspace = (r: CostResource) => r.region === workspace.region;
    let editors = 0;
    let viewers = 0;
    const counted: CostResource[] = [workspace];
    const assumptions: AssumptionKey[] = [];
    for (const a of ofType(resources, "aws:grafana/roleAssociation:RoleAssociation").filter(inWorkspace)) {
      const groups = list(a.inputs.groupIds).length;
      if (groups > 0) assumptions.push("grafanaUsersPerGroup");
      const users = list(a.inputs.userIds).length + groups * ASSUMPTIONS.grafanaUsersPerGroup.value;
      if (a.inputs.role === "VIEWER") viewers += users;
      else editors += users;
      counted.push(a);
    }
    for (const s of ofType(resources, "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount").filter(
      inWorkspace,
    )) {
      if (s.inputs.grafanaRole === "VIEWER") viewers += 1;
      else editors += 1;
      counted.push(s);
    }
    // Every workspace pays for at least one editor licence (AWS pricing page).
    editors = Math.max(editors, 1);
    return [
      line(
        counted,
        "grafana",
        "grafana-editor-user-month",
        editors,
        `${plural(editors, "editor or admin")} (service accounts count)`,
        assumptions,
      ),
      ...(viewers > 0
        ? [line(counted, "grafana", "grafana-viewer-user-month", viewers, plural(viewers, "viewer"), assumptions)]
        : []),
    ];
  });
}

function storageAndKeys(resources: readonly CostResource[]): UsageLine[] {
  const gb = ASSUMPTIONS.s3GbPerBucket.value;
  return [
    ...ofType(resources, "aws:s3/bucket:Bucket").map((r) =>
      line(r, "storage", "s3-standard-gb-month", gb, `${gb} GB stored (assumed)`, ["s3GbPerBucket"]),
    ),
    ...ofType(resources, "aws:secretsmanager/secret:Secret").map((r) =>
      line(r, "secrets", "secret-month", 1, "1 secret"),
    ),
    ...[...ofType(resources, "aws:kms/key:Key"), ...ofType(resources, "aws:kms/replicaKey:ReplicaKey")].map((r) =>
      line(r, "kms", "kms-key-month", 1, "1 customer managed key"),
    ),
  ];
}

function dns(resources: readonly CostResource[]): UsageLine[] {
  const zones = ofType(resources, "aws:route53/zone:Zone").map((r) =>
    line(r, "dns", "hosted-zone-month", 1, "1 hosted zone"),
  );
  const checks = ofType(resources, "aws:route53/healthCheck:HealthCheck").flatMap((r) => {
    const type = str(r.inputs.type) ?? "";
    const features = [
      type.startsWith("HTTPS"),
      num(r.inputs.requestInterval) === 10,
      type.endsWith("STR_MATCH"),
      r.inputs.measureLatency === true,
    ].filter(Boolean).length;
    return [
      line(r, "dns", "health-check-month", 1, `1 health check (${type || "unknown type"})`),
      ...(features > 0
        ? [line(r, "dns", "health-check-feature-month", features, plural(features, "optional feature"))]
        : []),
    ];
  });
  return [...zones, ...checks];
}

/** Every usage line of a plan's resources (resources the model does not price are ignored). */
export function usageOf(resources: readonly CostResource[]): UsageLine[] {
  return [
    ...natGateways(resources),
    ...elasticIps(resources),
    ...loadBalancers(resources),
    ...fargate(resources),
    ...caches(resources),
    ...databases(resources),
    ...accelerators(resources),
    ...endpoints(resources),
    ...monitoring(resources),
    ...grafana(resources),
    ...storageAndKeys(resources),
    ...dns(resources),
  ];
}
