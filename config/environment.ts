/**
 * Config of an application environment (`helium:role: environment`). Every key lives under `helium:` in
 * `Pulumi.<stack>.yaml`; the home region is `aws:region`. Defaults that differ between production and other
 * environments are stated in each key's description and applied by the resolve step (model/environment.ts).
 */
import { z } from "zod";
import { corsOriginProblem, sqsQueueAgeAlarmProblem } from "../lib/aws-constraints";
import { isValidCidr, subnetLayoutProblem } from "../lib/cidr";
import { DATABASE_SECRET_KEYS, ENTRY_MODES, PLATFORM_SECRET_KEYS, SECONDS_PER_DAY } from "../lib/platform";
import { REGIONS } from "../lib/regions";
import { apiGatewaySchema } from "./api-gateway";
import { allowedBy } from "./constraints";
import { databaseSchema } from "./database";
import { alertsSchema, grafanaRegionFor, grafanaSchema, tracingSchema } from "./observability";
import { acceleratorSchema, albSchema, queueSchema, redisSchema, regionSchema } from "./platform-settings";
import {
  dnsLabel,
  environmentName,
  envVarName,
  imageTagOrDigest,
  logRetentionDays,
  stackReferenceName,
  strictObject,
} from "./primitives";
import { type ConfigRule, refineWith } from "./rules";
import { serviceConsumesIssues } from "./service-capabilities";
import { withDefaultServices } from "./service-defaults";
import { servicesSchema } from "./services";

/**
 * The rollback pin: run this image instead of the promoted (or configured) one until the key is removed. Set with
 * `pulumi config set --path helium:imageOverride.tag <tag>` and `… helium:imageOverride.reason "<why>"`.
 */
const imageOverrideSchema = strictObject({
  tag: z
    // `pulumi config set --path …tag 123` stores a number; a tag is text.
    .preprocess((value) => (typeof value === "number" ? String(value) : value), imageTagOrDigest)
    .describe("Image tag or digest to run instead, e.g. the tag production ran before. Required."),
  reason: z
    .string()
    .trim()
    .min(1, { error: "a reason: why the image is pinned (printed with every preview and up, and exported)" })
    .max(256, { error: "at most 256 characters" })
    .describe("Why the image is pinned, e.g. an incident id. Printed with every preview and up. Required."),
});

/** Config of an application environment on AWS (`helium:role: environment`): staging, production, dev, … */
export const environmentObject = strictObject({
  role: z
    .literal("environment")
    .describe("What this stack is: `environment` (an application environment on AWS). Required."),
  environment: environmentName
    .optional()
    .describe(
      "Environment name: part of physical names and tags, and the key of this environment in the shared stack's helium:environments. Defaults to the stack name.",
    ),
  production: z
    .boolean()
    .default(false)
    .describe(
      "Production defaults: NAT per AZ, all interface endpoints, deletion protection, protected state, 7-day cache snapshots, 30-day secret recovery window. Defaults to false.",
    ),
  sharedStack: stackReferenceName.describe(
    "StackReference name of the shared stack, e.g. acme/helium/shared. Required.",
  ),
  promoteFrom: stackReferenceName
    .optional()
    .describe(
      "StackReference name of the stack whose exported imageTag is deployed (production: staging). Mutually exclusive with imageTag.",
    ),
  imageTag: imageTagOrDigest
    .optional()
    .describe("Image tag or digest deployed from the shared ECR repositories. Required unless promoteFrom is set."),
  imageOverride: imageOverrideSchema
    .optional()
    .describe(
      "Rollback pin { tag, reason }: every service runs this image instead of the one promoteFrom or imageTag selects; exported as imageSelection. Remove with 'pulumi config rm helium:imageOverride' to return to them. Defaults to none.",
    ),
  apiRecordName: dnsLabel
    .optional()
    .describe(
      "DNS label of the API record in the shared zone. Defaults to api in production, api-<environment> elsewhere.",
    ),
  appOrigins: z
    .array(z.string().superRefine(allowedBy((origin: string) => corsOriginProblem(origin))))
    .optional()
    .describe("Origins allowed by the files bucket's CORS. Defaults to https://<domain> and https://www.<domain>."),
  regions: z
    .array(regionSchema)
    .min(1, { error: "at least one region is needed" })
    .describe("Regions this environment runs in. The first holds the dashboard and, where offered, Grafana. Required."),
  services: z
    .preprocess(withDefaultServices, servicesSchema)
    .describe("Services, merged field by field over the defaults (backend, worker, frontend). See config/services.ts."),
  appSecrets: z
    .record(envVarName, z.string())
    .default({})
    .describe(
      `Extra keys for the backend secret; set with 'pulumi config set --secret --path helium:appSecrets.KEY'. ${PLATFORM_SECRET_KEYS.join(", ")} are written by the platform. Defaults to none.`,
    ),
  redis: redisSchema.prefault({}).describe("ElastiCache settings."),
  database: databaseSchema
    .optional()
    .describe(
      'RDS for PostgreSQL in every region, reachable only from services that declare consumes: ["database"]. Defaults to none (no database); `{}` turns it on with the defaults below. See docs/database.md.',
    ),
  queue: queueSchema.prefault({}).describe("Work queue settings."),
  alb: albSchema.prefault({}).describe("Load balancer settings."),
  accelerator: acceleratorSchema.prefault({}).describe("Global Accelerator settings (entry accelerator)."),
  entry: z
    .enum(ENTRY_MODES)
    .default("accelerator")
    .describe(
      "How traffic enters (docs/entry.md): accelerator (one Global Accelerator in front of internet-facing ALBs) or apiGateway (an HTTP API per region, a VPC link to an internal ALB, latency-routed DNS with health checks). Defaults to accelerator.",
    ),
  apiGateway: apiGatewaySchema
    .optional()
    .describe(
      "API Gateway entry settings (config/api-gateway.ts); only with entry apiGateway. Defaults to the defaults of each key.",
    ),
  logRetentionDays: logRetentionDays.default(30).describe("Retention of service and flow log groups. Defaults to 30."),
  protect: z
    .boolean()
    .optional()
    .describe(
      "Protect stateful resources (bucket, cache, secret, queues) from deletion. Defaults to true in production, false elsewhere.",
    ),
  alerts: alertsSchema.prefault({}).describe("Alarm thresholds and subscribers."),
  grafana: grafanaSchema.prefault({}).describe("Managed Grafana workspace."),
  tracing: tracingSchema.prefault({}).describe("X-Ray sampling."),
});
/** The environment's keys, each validated on its own (before the cross-field rules). */
export type EnvironmentShape = z.infer<typeof environmentObject>;
export const environmentSchema = environmentObject.superRefine((cfg, ctx) => refineWith(ENVIRONMENT_RULES)(cfg, ctx));
export type EnvironmentConfig = z.infer<typeof environmentSchema>;

/** Cross-field rules of an environment's config (config/rules.ts runs them on every key that parsed). */
export const ENVIRONMENT_RULES: readonly ConfigRule<EnvironmentShape>[] = [
  {
    keys: ["promoteFrom", "imageTag"],
    check: (cfg, add) => {
      if (cfg.promoteFrom !== undefined && cfg.imageTag !== undefined) {
        add(
          ["imageTag"],
          `no imageTag with promoteFrom: promotion deploys exactly what ${cfg.promoteFrom} exports (pin an image with imageOverride)`,
          cfg.imageTag,
        );
      }
      if (cfg.promoteFrom === undefined && cfg.imageTag === undefined) {
        add(["imageTag"], "an image tag or sha256 digest, or helium:promoteFrom (a stack to promote from)", undefined);
      }
    },
  },
  {
    keys: ["regions"],
    check: (cfg, add) => {
      const codes = cfg.regions.map((r) => r.region);
      codes.forEach((code, i) => {
        if (codes.indexOf(code) !== i)
          add(["regions", i, "region"], `each region once (${code} is listed twice)`, code);
      });
      cfg.regions.forEach((r, i) => {
        const info = REGIONS.get(r.region);
        if (!info) return; // reported by regionCode
        const zones = info.azLetters.map((l) => r.region + l);
        if (r.availabilityZones) {
          r.availabilityZones.forEach((az, j) => {
            if (!zones.includes(az))
              add(["regions", i, "availabilityZones", j], `a zone of ${r.region}: ${zones.join(", ")}`, az);
          });
        } else if (r.azCount > info.azLetters.length) {
          add(
            ["regions", i, "azCount"],
            `at most ${info.azLetters.length}: ${r.region} offers ${zones.join(", ")} here`,
            r.azCount,
          );
        }
        // A value that is no CIDR at all is reported once, by cidrBlock (zod runs this rule on it all the same).
        if (r.vpcCidr !== undefined && isValidCidr(r.vpcCidr)) {
          const layout = subnetLayoutProblem(r.vpcCidr, r.availabilityZones?.length ?? r.azCount);
          if (layout !== undefined) add(["regions", i, "vpcCidr"], layout, r.vpcCidr);
        }
      });
    },
  },
  {
    keys: ["grafana", "regions"],
    check: (cfg, add) => {
      if (!cfg.grafana.enabled || cfg.grafana.region !== undefined) return;
      // Caught here so the error is a config error at parse time, not a component error mid-program.
      const placement = grafanaRegionFor(
        cfg.grafana,
        cfg.regions.map((r) => r.region),
      );
      if ("error" in placement) add(["grafana", "region"], placement.error, cfg.grafana.region);
    },
  },
  {
    keys: ["alerts", "queue"],
    check: (cfg, add) => {
      const allowed = sqsQueueAgeAlarmProblem(
        cfg.alerts.queueOldestMessageSeconds,
        cfg.queue.messageRetentionDays * SECONDS_PER_DAY,
      );
      if (allowed !== undefined)
        add(["alerts", "queueOldestMessageSeconds"], allowed, cfg.alerts.queueOldestMessageSeconds);
    },
  },
  {
    keys: ["services", "appSecrets", "database"],
    check: (cfg, add) => {
      const declared = new Set<string>([
        ...PLATFORM_SECRET_KEYS,
        ...(cfg.database !== undefined ? DATABASE_SECRET_KEYS : []),
        ...Object.keys(cfg.appSecrets),
      ]);
      for (const [name, svc] of Object.entries(cfg.services)) {
        svc.secrets.forEach((key, j) => {
          if (!declared.has(key)) {
            add(
              ["services", name, "secrets", j],
              `a key the backend secret declares: ${[...declared].join(", ")} (add it with helium:appSecrets)`,
              key,
            );
          }
        });
      }
    },
  },
  {
    keys: ["services", "database"],
    check: (cfg, add) => {
      for (const [name, svc] of Object.entries(cfg.services)) {
        if (!svc.enabled) continue;
        const consumed = svc.consumes.indexOf("database");
        if (consumed >= 0 && cfg.database === undefined) {
          add(
            ["services", name, "consumes", consumed],
            'cache or another service\'s name: "database" needs helium:database, which is not set (no database to connect to)',
            "database",
          );
        }
        const databaseKey = svc.secrets.findIndex((k) => (DATABASE_SECRET_KEYS as readonly string[]).includes(k));
        if (cfg.database !== undefined && databaseKey >= 0 && consumed < 0) {
          add(
            ["services", name, "secrets", databaseKey],
            `a key of the service's own: ${svc.secrets[databaseKey]} is the database's, and only a service that declares consumes: ["database"] can reach it (declaring it injects every DB_* key)`,
            svc.secrets[databaseKey],
          );
        }
      }
    },
  },
  {
    keys: ["services"],
    check: (cfg, add) => {
      for (const issue of serviceConsumesIssues(cfg.services)) add(issue.path, issue.message, issue.input);
    },
  },
  {
    keys: ["entry", "apiGateway"],
    check: (cfg, add) => {
      if (cfg.entry !== "apiGateway" && cfg.apiGateway !== undefined)
        add(
          ["apiGateway"],
          `settings used only with helium:entry: apiGateway (entry is ${cfg.entry}): remove them or set the entry`,
          cfg.apiGateway,
        );
    },
  },
  {
    keys: ["apiGateway", "services"],
    check: (cfg, add) => {
      const routed = Object.entries(cfg.services)
        .filter(([, s]) => s.enabled && s.routes.length > 0)
        .map(([n]) => n);
      (cfg.apiGateway?.jwtAuthorizer?.services ?? []).forEach((name, j) => {
        if (!routed.includes(name))
          add(
            ["apiGateway", "jwtAuthorizer", "services", j],
            `an enabled service with routes: ${routed.join(", ")}`,
            name,
          );
      });
    },
  },
];
