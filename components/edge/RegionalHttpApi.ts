/**
 * RegionalHttpApi: one region's public entry in the API Gateway entry mode (docs/entry.md).
 *
 * - A VPC link in the private subnets with its own security group, which may send HTTPS to the internal ALB's
 *   group and nowhere else; the ALB's group accepts HTTPS from it and from nothing else.
 * - An HTTP API (its execute-api endpoint disabled: only the custom domains reach it) with one private
 *   integration to the ALB's HTTPS listener. The integration verifies the ALB's certificate for the API name
 *   and passes the client's Host on, so the listener rules keep doing host and path routing.
 * - Routes from the services (lib/http-api-routes.ts), each optionally behind the JWT authoriser; a `$default`
 *   stage with throttling and JSON access logs to a log group encrypted with the region's key, and a metric
 *   filter counting throttled (429) requests.
 * - Regional custom domains (the API name, every routed host, the region's own API name) on the region's
 *   certificate; a Route 53 HTTPS health check on the region's own name; latency alias records with that
 *   health check for the API name and every host, and a plain alias for the region's own name.
 *
 * Route 53 and the health check are global; everything else names its region (aws v7 `region`).
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  ACCESS_LOG_FORMAT,
  API_LOG_METRIC_NAMESPACE,
  THROTTLED_FILTER_PATTERN,
  THROTTLED_REQUESTS_METRIC,
} from "../../lib/api-gateway-logs";
import { InputError } from "../../lib/input-error";
import { stableHash } from "../../lib/name-fitting";
import { INTEGRATION_TIMEOUT_MS, type RegionalHttpApiArgs, regionalHttpApiProblems } from "./http-api-args";

export {
  INTEGRATION_TIMEOUT_MS,
  type HttpApiFoundation,
  type RegionalHttpApiArgs,
  regionalHttpApiProblems,
} from "./http-api-args";

/** A readable, unique logical-name part for a route key or host name. */
function slug(text: string): string {
  const readable = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${readable.slice(0, 40) || "root"}-${stableHash(text, 6)}`;
}

export class RegionalHttpApi extends pulumi.ComponentResource {
  readonly region: string;
  readonly apiId: pulumi.Output<string>;
  readonly stageName: pulumi.Output<string>;
  readonly accessLogGroupName: pulumi.Output<string>;
  readonly vpcLinkSecurityGroupId: pulumi.Output<string>;
  readonly healthCheckId: pulumi.Output<string>;
  /** `https://<the region's own API name>`. */
  readonly regionalUrl: string;
  /** This region's latency record per host (the API name and routed hosts). */
  readonly latencyRecords: Readonly<Record<string, aws.route53.Record>>;

  constructor(name: string, args: RegionalHttpApiArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = regionalHttpApiProblems(args);
    if (problems.length > 0) throw new InputError(`RegionalHttpApi ${name}`, problems);
    super("helium:edge:RegionalHttpApi", name, {}, opts);
    const { model, region: names, foundation } = args;
    const region = names.region;
    const tags = { ...(args.tags ?? {}) };
    const child = { parent: this };
    this.region = region;

    // ── Network path: VPC link → internal ALB, HTTPS only ──────────────────────────────────────────────
    const linkGroup = new aws.ec2.SecurityGroup(
      `${name}-vpc-link-sg`,
      {
        region,
        vpcId: foundation.vpcId,
        // Generated name: a replacement is created before the group still attached to the link is deleted.
        namePrefix: `${names.vpcLinkSecurityGroup}-`,
        description: "Helium API Gateway VPC link: HTTPS to the internal ALB only",
        tags: { ...tags, Name: names.vpcLinkSecurityGroup },
      },
      child,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-vpc-link-out-443`,
      {
        region,
        securityGroupId: linkGroup.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: foundation.albSecurityGroupId,
        description: "VPC link to the internal ALB (HTTPS)",
      },
      child,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-alb-in-443`,
      {
        region,
        securityGroupId: foundation.albSecurityGroupId,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: linkGroup.id,
        description: "HTTPS from the API Gateway VPC link",
      },
      child,
    );
    const vpcLink = new aws.apigatewayv2.VpcLink(
      `${name}-vpc-link`,
      {
        region,
        name: names.vpcLinkName,
        securityGroupIds: [linkGroup.id],
        subnetIds: [...foundation.privateSubnetIds],
        tags,
      },
      child,
    );
    this.vpcLinkSecurityGroupId = linkGroup.id;

    // ── API, integration, authoriser, routes ──────────────────────────────────────────────────────────
    const api = new aws.apigatewayv2.Api(
      `${name}-api`,
      {
        region,
        name: names.apiName,
        protocolType: "HTTP",
        description: `Helium ${args.environment} in ${region}: public entry to the internal ALB`,
        // Clients use the custom domains; the default endpoint would bypass nothing but is one more name to guard.
        disableExecuteApiEndpoint: true,
        tags,
      },
      child,
    );
    const integration = new aws.apigatewayv2.Integration(
      `${name}-alb`,
      {
        region,
        apiId: api.id,
        integrationType: "HTTP_PROXY",
        integrationMethod: "ANY",
        integrationUri: foundation.httpsListenerArn,
        connectionType: "VPC_LINK",
        connectionId: vpcLink.id,
        payloadFormatVersion: "1.0",
        timeoutMilliseconds: INTEGRATION_TIMEOUT_MS,
        // HTTPS to the ALB, whose certificate must name the API (SNI and verification).
        tlsConfig: { serverNameToVerify: model.apiFqdn },
        // API Gateway sends the integration's host otherwise; the listener's host rules need the client's.
        requestParameters: { "overwrite:header.host": "$request.header.host" },
      },
      child,
    );
    let authorizer: aws.apigatewayv2.Authorizer | undefined;
    if (model.jwtAuthorizer !== undefined) {
      authorizer = new aws.apigatewayv2.Authorizer(
        `${name}-jwt`,
        {
          region,
          apiId: api.id,
          name: `${names.apiName}-jwt`,
          authorizerType: "JWT",
          identitySources: ["$request.header.Authorization"],
          jwtConfiguration: { issuer: model.jwtAuthorizer.issuer, audiences: [...model.jwtAuthorizer.audience] },
        },
        child,
      );
    }
    const routes: aws.apigatewayv2.Route[] = [];
    for (const route of model.routes) {
      const jwt = route.authorization === "JWT" && authorizer !== undefined;
      const created = new aws.apigatewayv2.Route(
        `${name}-route-${slug(route.routeKey)}`,
        {
          region,
          apiId: api.id,
          routeKey: route.routeKey,
          target: pulumi.interpolate`integrations/${integration.id}`,
          authorizationType: jwt ? "JWT" : "NONE",
          ...(jwt && authorizer !== undefined ? { authorizerId: authorizer.id } : {}),
        },
        child,
      );
      routes.push(created);
    }

    // ── Stage: throttling and access logs ─────────────────────────────────────────────────────────────
    const logs = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      {
        region,
        name: names.accessLogGroup,
        retentionInDays: model.logRetentionDays,
        kmsKeyId: foundation.kmsKeyArn,
        tags,
      },
      child,
    );
    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        region,
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingRateLimit: model.throttling.rateLimit,
          throttlingBurstLimit: model.throttling.burstLimit,
        },
        accessLogSettings: { destinationArn: logs.arn, format: ACCESS_LOG_FORMAT },
        tags,
      },
      child,
    );
    new aws.cloudwatch.LogMetricFilter(
      `${name}-throttled`,
      {
        region,
        logGroupName: logs.name,
        name: THROTTLED_REQUESTS_METRIC,
        pattern: THROTTLED_FILTER_PATTERN,
        metricTransformation: {
          namespace: API_LOG_METRIC_NAMESPACE,
          name: THROTTLED_REQUESTS_METRIC,
          value: "1",
          unit: "Count",
          dimensions: { ApiId: "$.apiId" },
        },
      },
      child,
    );
    this.apiId = api.id;
    this.stageName = stage.name;
    this.accessLogGroupName = logs.name;

    // ── Custom domains and DNS ────────────────────────────────────────────────────────────────────────
    const domain = (host: string) => {
      const custom = new aws.apigatewayv2.DomainName(
        `${name}-domain-${slug(host)}`,
        {
          region,
          domainName: host,
          domainNameConfiguration: {
            certificateArn: foundation.certificateArn,
            endpointType: "REGIONAL",
            securityPolicy: "TLS_1_2",
          },
          tags,
        },
        child,
      );
      new aws.apigatewayv2.ApiMapping(
        `${name}-mapping-${slug(host)}`,
        { region, apiId: api.id, domainName: custom.id, stage: stage.id },
        child,
      );
      return {
        name: custom.domainNameConfiguration.targetDomainName,
        zoneId: custom.domainNameConfiguration.hostedZoneId,
      };
    };

    const own = domain(names.regionalFqdn);
    new aws.route53.Record(
      `${name}-regional-record`,
      {
        zoneId: model.hostedZoneId,
        name: names.regionalFqdn,
        type: "A",
        aliases: [{ name: own.name, zoneId: own.zoneId, evaluateTargetHealth: false }],
      },
      child,
    );
    const health = new aws.route53.HealthCheck(
      `${name}-health-check`,
      {
        type: "HTTPS",
        fqdn: names.regionalFqdn,
        port: 443,
        resourcePath: model.healthCheck.path,
        requestInterval: model.healthCheck.intervalSeconds,
        failureThreshold: model.healthCheck.failureThreshold,
        // The checker's TLS handshake names the host, as the custom domain requires.
        enableSni: true,
        tags: { ...tags, Name: `helium-${args.environment}-${region}-api` },
      },
      child,
    );
    this.healthCheckId = health.id;

    // One latency record per name and region: Route 53 answers with the lowest-latency region whose health
    // check passes; evaluateTargetHealth adds API Gateway's own regional health. DNS moves traffic here only
    // once the API serves (stage, routes, integration through the VPC link) and what it needs is ready.
    const latencyRecords: Record<string, aws.route53.Record> = {};
    for (const host of [model.apiFqdn, ...model.hostNames]) {
      const target = domain(host);
      const former = args.formerRecords?.[host];
      latencyRecords[host] = new aws.route53.Record(
        `${name}-latency-${slug(host)}`,
        {
          zoneId: model.hostedZoneId,
          name: host,
          type: "A",
          setIdentifier: region,
          latencyRoutingPolicies: [{ region }],
          healthCheckId: health.id,
          aliases: [{ name: target.name, zoneId: target.zoneId, evaluateTargetHealth: true }],
        },
        {
          ...child,
          dependsOn: [stage, integration, ...routes, ...(args.recordsAfter ?? [])],
          ...(former !== undefined ? { aliases: [former] } : {}),
        },
      );
    }
    this.latencyRecords = latencyRecords;
    this.regionalUrl = `https://${names.regionalFqdn}`;

    this.registerOutputs({
      apiId: this.apiId,
      stageName: this.stageName,
      healthCheckId: this.healthCheckId,
      regionalUrl: this.regionalUrl,
    });
  }
}
