/**
 * RegionSecurityGroups: every network path of a region, from the resolved model, in one place.
 *
 * - The ALB accepts 80/443 from the internet (the Global Accelerator edge); when internal (entry apiGateway),
 *   nothing here: its only ingress, HTTPS from the VPC link, is made with the link; with
 *   `loadBalancer.acceptOnlyFromAccelerator`, nothing here either: GlobalEdge opens it to Global Accelerator's
 *   own group once that exists (docs/security.md). It may only reach each load-balanced service on its port.
 * - Each service has its own group: it accepts its port from the ALB only, may call AWS APIs over HTTPS, and
 *   reaches the cache only when it declares `cache`.
 * - The cache accepts 6379 from the groups of the services that declare it, and from nothing else.
 * - With a database (`model.database`), it gets a group of its own that accepts 5432 from the groups of the
 *   services that declare `database`, and from nothing else; only those services get the matching egress.
 * - A service that consumes another service (`consumes: ["backend"]`) may reach that service's port, and the
 *   provider accepts its port from exactly its consumers (Service Connect's agent calls the provider's task on
 *   the container port), and from nothing else.
 *
 * Groups get generated names (a readable prefix plus a suffix), so a replacement — a description or VPC
 * change forces one — is created before the old group, still attached to tasks, is deleted. Tags carry
 * what the policy pack checks: `helium:service` on a service's group, `helium:consumes` its declared stores.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { regionScopedName } from "../../lib/naming";
import { servicePaths } from "../../model/service";
import type { RegionModel } from "../../model/types/region";
import { childOf } from "../aliases";

export interface RegionSecurityGroupsArgs {
  readonly model: RegionModel;
  /** Prefix of every child's logical name (the HeliumRegion's name), so URNs stay as they were. */
  readonly namePrefix: string;
  readonly vpcId: pulumi.Input<string>;
}

/** Tag naming the data stores a service's group may reach, comma-separated (`cache`, `database`). */
export const CONSUMES_TAG = "helium:consumes";
/** Tag naming what a data store's group protects (`cache`, `database`). */
export const DATA_STORE_TAG = "helium:data-store";

export class RegionSecurityGroups extends pulumi.ComponentResource {
  readonly albSecurityGroupId: pulumi.Output<string>;
  readonly cacheSecurityGroupId: pulumi.Output<string>;
  /** The database's group; undefined when the region has no database. */
  readonly databaseSecurityGroupId: pulumi.Output<string> | undefined;
  /** Security group id per service name. */
  readonly serviceSecurityGroupIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: RegionSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("helium:region:SecurityGroups", name, {}, opts);
    const { model, namePrefix: n } = args;
    const { region, environment: env } = model;
    const child = childOf(this, opts?.parent);
    const group = (logical: string, thing: string, description: string, tags: Record<string, string> = {}) => {
      const readable = regionScopedName(env, region, thing);
      return new aws.ec2.SecurityGroup(
        `${n}-${logical}`,
        { region, vpcId: args.vpcId, namePrefix: `${readable}-`, description, tags: { Name: readable, ...tags } },
        child,
      );
    };
    const ingress = (ruleName: string, rule: aws.vpc.SecurityGroupIngressRuleArgs) =>
      new aws.vpc.SecurityGroupIngressRule(`${n}-${ruleName}`, { region, ...rule }, child);
    const egress = (ruleName: string, rule: aws.vpc.SecurityGroupEgressRuleArgs) =>
      new aws.vpc.SecurityGroupEgressRule(`${n}-${ruleName}`, { region, ...rule }, child);

    // An internal ALB (entry apiGateway) accepts HTTPS from the API Gateway VPC link's group only; that rule
    // is made with the link (components/edge/RegionalHttpApi.ts). The description differs, so the group is
    // replaced (create-before-delete, generated name) together with the ALB when an environment switches.
    const internal = model.loadBalancer.internal;
    const alb = group(
      "alb-sg",
      "alb-sg",
      internal
        ? "Helium internal ALB: HTTPS from the API Gateway VPC link only"
        : "Helium ALB: HTTP/HTTPS from the internet (Global Accelerator edge)",
    );
    const cache = group("redis-sg", "redis-sg", "Helium cache: 6379 from the services that declare it", {
      [DATA_STORE_TAG]: "cache",
    });
    this.albSecurityGroupId = alb.id;
    this.cacheSecurityGroupId = cache.id;
    const database =
      model.database === undefined
        ? undefined
        : group("db-sg", "db-sg", `Helium database: ${model.database.port} from the services that declare it`, {
            [DATA_STORE_TAG]: "database",
          });
    this.databaseSecurityGroupId = database?.id;
    // The stores a service's declaration may open here: the cache always, the database when the region has one.
    const stores = database === undefined ? ["cache"] : ["cache", "database"];

    for (const port of internal || model.loadBalancer.acceptOnlyFromAccelerator ? [] : [80, 443]) {
      ingress(`alb-in-${port}-v4`, {
        securityGroupId: alb.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: "0.0.0.0/0",
        description: `Public ${port === 443 ? "HTTPS" : "HTTP (redirected to HTTPS)"} via Global Accelerator`,
      });
    }

    const serviceGroups: Record<string, pulumi.Output<string>> = {};
    for (const service of model.services) {
      const consumes = service.consumes.filter((c) => stores.includes(c));
      const sg = group(
        `${service.name}-sg`,
        `${service.name}-sg`,
        `Helium ${service.name}: its port from the ALB only`,
        { "helium:service": service.name, [CONSUMES_TAG]: consumes.join(",") },
      );
      serviceGroups[service.name] = sg.id;
      if (service.routes.length > 0 && service.port !== undefined) {
        ingress(`${service.name}-in-${service.port}`, {
          securityGroupId: sg.id,
          ipProtocol: "tcp",
          fromPort: service.port,
          toPort: service.port,
          referencedSecurityGroupId: alb.id,
          description: `${service.name} port ${service.port} from the ALB`,
        });
        egress(`alb-out-${service.name}`, {
          securityGroupId: alb.id,
          ipProtocol: "tcp",
          fromPort: service.port,
          toPort: service.port,
          referencedSecurityGroupId: sg.id,
          description: `ALB to ${service.name} on ${service.port}`,
        });
      }
      // AWS APIs (ECR, Secrets Manager, SQS, X-Ray, S3, CloudWatch Logs) over HTTPS, through NAT or endpoints.
      egress(`${service.name}-out-https`, {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
        description: `${service.name} to AWS APIs over HTTPS`,
      });
      if (service.consumes.includes("cache")) {
        ingress(`redis-in-${service.name}`, {
          securityGroupId: cache.id,
          ipProtocol: "tcp",
          fromPort: model.cache.port,
          toPort: model.cache.port,
          referencedSecurityGroupId: sg.id,
          description: `Cache from ${service.name}`,
        });
        egress(`${service.name}-out-redis`, {
          securityGroupId: sg.id,
          ipProtocol: "tcp",
          fromPort: model.cache.port,
          toPort: model.cache.port,
          referencedSecurityGroupId: cache.id,
          description: `${service.name} to the cache`,
        });
      }
      if (database !== undefined && model.database !== undefined && service.consumes.includes("database")) {
        const port = model.database.port;
        ingress(`db-in-${service.name}`, {
          securityGroupId: database.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          referencedSecurityGroupId: sg.id,
          description: `Database from ${service.name}`,
        });
        egress(`${service.name}-out-db`, {
          securityGroupId: sg.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          referencedSecurityGroupId: database.id,
          description: `${service.name} to the database`,
        });
      }
    }
    // Service-to-service paths, exactly as declared: consumer SG → provider SG on the provider's port.
    for (const path of servicePaths(model.services)) {
      const consumer = serviceGroups[path.consumer];
      const provider = serviceGroups[path.provider];
      ingress(`${path.provider}-in-${path.port}-from-${path.consumer}`, {
        securityGroupId: provider,
        ipProtocol: "tcp",
        fromPort: path.port,
        toPort: path.port,
        referencedSecurityGroupId: consumer,
        description: `${path.provider} port ${path.port} from ${path.consumer}`,
      });
      egress(`${path.consumer}-out-${path.provider}`, {
        securityGroupId: consumer,
        ipProtocol: "tcp",
        fromPort: path.port,
        toPort: path.port,
        referencedSecurityGroupId: provider,
        description: `${path.consumer} to ${path.provider} on ${path.port}`,
      });
    }
    this.serviceSecurityGroupIds = serviceGroups;
    this.registerOutputs({
      albSecurityGroupId: this.albSecurityGroupId,
      cacheSecurityGroupId: this.cacheSecurityGroupId,
      ...(this.databaseSecurityGroupId !== undefined ? { databaseSecurityGroupId: this.databaseSecurityGroupId } : {}),
    });
  }
}
