/**
 * Every bad config the test suite knows, in one table: the README's config errors, each config test's bad
 * input (tests/config/*.test.ts) and the known AWS-limit defects (/work/notes/research-aws-limits.md, "known
 * defects" 1-4) and the printed errors a new user's review found unclear ("errors review"). Each entry starts from a committed `Pulumi.<stack>.yaml` and replaces some keys, and names the
 * keys the InputError must list. tests/errors/zero-resources.test.ts runs the program on each.
 */

export interface BadConfig {
  /** What is wrong. */
  readonly title: string;
  /** Where the case comes from. */
  readonly from: "README" | "config.test" | "kubernetes.test" | "observability.test" | "AWS limit" | "errors review";
  /** The committed stack file to start from. */
  readonly file: string;
  /** `pulumi.getStack()` for the run. Defaults to `file`. */
  readonly stack?: string;
  /** Full config keys to replace; objects are JSON text as Pulumi hands them over; `undefined` removes the key. */
  readonly overrides: Readonly<Record<string, unknown>>;
  /** Keys the InputError must name. */
  readonly keys: readonly string[];
  /**
   * When set, the InputError lists exactly these problems, each once and in this order: the key, the value as
   * the message prints it, and a pattern of what is allowed.
   */
  readonly exactly?: ReadonlyArray<readonly [key: string, value: string, allowed: RegExp]>;
  /** Set while the program accepts this config: why, and what would reject it. The case is skipped. */
  readonly notRejectedYet?: string;
}

const backendSecrets = (secrets: string[]) => ({ "helium:services": { backend: { secrets } } });
const localServices = (services: unknown) => ({ "helium:services": services });

export const BAD_CONFIGS: readonly BadConfig[] = [
  {
    title: "a load-balanced service that may scale to no task (its empty target group would pull the region)",
    from: "config.test",
    file: "staging",
    overrides: { "helium:services": { frontend: { scaling: { min: 0 } } } },
    keys: ["helium:services.frontend.scaling.min"],
  },
  // ── README (Configuration reference, Add a region, Troubleshooting) ───────────────────────────────────
  {
    title: "an unknown key",
    from: "README",
    file: "staging",
    overrides: { "helium:colour": "blue" },
    keys: ["helium:colour"],
  },
  {
    title: "a bad value (a log retention CloudWatch does not offer)",
    from: "README",
    file: "staging",
    overrides: { "helium:logRetentionDays": 31 },
    keys: ["helium:logRetentionDays"],
  },
  {
    title: "a secret key the backend secret does not declare",
    from: "README",
    file: "staging",
    overrides: backendSecrets(["REDIS_HOST", "STRIPE_KEY"]),
    keys: ["helium:services.backend.secrets[1]"],
  },
  {
    title: "overlapping VPC CIDRs",
    from: "README",
    file: "production",
    overrides: {
      "helium:regions": [
        { region: "ap-south-1", vpcCidr: "10.0.0.0/16" },
        { region: "us-east-1", vpcCidr: "10.0.0.0/17" },
      ],
    },
    keys: ["helium:regions[1].vpcCidr"],
  },
  {
    title: "a region the shared stack does not replicate images to",
    from: "README",
    file: "staging",
    overrides: { "helium:regions": [{ region: "ap-south-1" }, { region: "eu-west-1" }] },
    keys: ["helium:regions[1].region"],
  },
  {
    title: "Grafana in Mumbai only, without grafana.region",
    from: "README",
    file: "staging",
    overrides: { "helium:grafana": undefined },
    keys: ["helium:grafana.region"],
  },

  // ── tests/config/config.test.ts ───────────────────────────────────────────────────────────────────────
  {
    title: "no helium:role",
    from: "config.test",
    file: "staging",
    overrides: { "helium:role": undefined },
    keys: ["helium:role"],
  },
  {
    title: "an unknown role",
    from: "config.test",
    file: "staging",
    overrides: { "helium:role": "env" },
    keys: ["helium:role"],
  },
  {
    title: "the shared stack's keys under role environment",
    from: "config.test",
    file: "shared",
    overrides: { "helium:role": "environment" },
    keys: ["helium:domain", "helium:sharedStack", "helium:regions"],
  },
  {
    title: "an unknown nested key",
    from: "config.test",
    file: "staging",
    overrides: { "helium:regions": [{ region: "ap-south-1", cidr: "10.9.0.0/16" }] },
    keys: ["helium:regions[0].cidr"],
  },
  {
    title: "an unknown key of the shared stack",
    from: "config.test",
    file: "shared",
    overrides: { "helium:githubRepo": "a/b" },
    keys: ["helium:githubRepo"],
  },
  {
    title: "a number as text",
    from: "config.test",
    file: "staging",
    overrides: { "helium:logRetentionDays": "thirty" },
    keys: ["helium:logRetentionDays"],
  },
  {
    title: "a list as a string",
    from: "config.test",
    file: "staging",
    overrides: { "helium:regions": "ap-south-1" },
    keys: ["helium:regions"],
  },
  {
    title: "a boolean as text",
    from: "config.test",
    file: "staging",
    overrides: { "helium:protect": "yes" },
    keys: ["helium:protect"],
  },
  {
    title: "no helium:sharedStack",
    from: "config.test",
    file: "staging",
    overrides: { "helium:sharedStack": undefined },
    keys: ["helium:sharedStack"],
  },
  {
    title: "no helium:regions",
    from: "config.test",
    file: "production",
    overrides: { "helium:regions": undefined },
    keys: ["helium:regions"],
  },
  {
    title: "no aws:region",
    from: "config.test",
    file: "staging",
    overrides: { "aws:region": undefined },
    keys: ["aws:region"],
  },
  {
    title: "an unknown aws:region",
    from: "config.test",
    file: "shared",
    overrides: { "aws:region": "moon-1" },
    keys: ["aws:region"],
  },
  {
    title: "an explicit CIDR on another region's default",
    from: "config.test",
    file: "production",
    overrides: { "helium:regions": [{ region: "ap-south-1" }, { region: "us-east-1", vpcCidr: "10.10.0.0/16" }] },
    keys: ["helium:regions[1].vpcCidr"],
  },
  {
    title: "a CIDR with prefix /33",
    from: "config.test",
    file: "staging",
    overrides: { "helium:regions": [{ region: "ap-south-1", vpcCidr: "10.0.0.0/33" }] },
    keys: ["helium:regions[0].vpcCidr"],
  },
  {
    title: "a CIDR with host bits",
    from: "config.test",
    file: "staging",
    overrides: { "helium:regions": [{ region: "ap-south-1", vpcCidr: "10.0.0.1/16" }] },
    keys: ["helium:regions[0].vpcCidr"],
  },
  {
    title: "a VPC smaller than /19",
    from: "config.test",
    file: "staging",
    overrides: { "helium:regions": [{ region: "ap-south-1", vpcCidr: "10.0.0.0/20" }] },
    keys: ["helium:regions[0].vpcCidr"],
  },
  {
    title: "an unknown region",
    from: "config.test",
    file: "staging",
    overrides: { "helium:regions": [{ region: "mars-east-1" }] },
    keys: ["helium:regions[0].region"],
  },
  {
    title: "one availability zone (azCount)",
    from: "config.test",
    file: "staging",
    overrides: { "helium:regions": [{ region: "ap-south-1", azCount: 1 }] },
    keys: ["helium:regions[0].azCount"],
  },
  {
    title: "one availability zone (list)",
    from: "config.test",
    file: "staging",
    overrides: { "helium:regions": [{ region: "ap-south-1", availabilityZones: ["ap-south-1a"] }] },
    keys: ["helium:regions[0].availabilityZones"],
  },
  {
    title: "more zones than the region has",
    from: "config.test",
    file: "staging",
    overrides: { "helium:regions": [{ region: "ap-south-1", azCount: 4 }] },
    keys: ["helium:regions[0].azCount"],
  },
  {
    title: "a zone of another region",
    from: "config.test",
    file: "staging",
    overrides: { "helium:regions": [{ region: "ap-south-1", availabilityZones: ["ap-south-1a", "us-east-1b"] }] },
    keys: ["helium:regions[0].availabilityZones[1]"],
  },
  {
    title: "a Fargate CPU/memory pair AWS does not offer",
    from: "config.test",
    file: "staging",
    overrides: { "helium:services": { backend: { cpu: 256, memory: 4096 } } },
    keys: ["helium:services.backend.cpu"],
  },
  {
    title: "imageTag and promoteFrom together",
    from: "config.test",
    file: "staging",
    overrides: { "helium:promoteFrom": "staging" },
    keys: ["helium:imageTag"],
  },
  {
    title: "neither imageTag nor promoteFrom",
    from: "config.test",
    file: "staging",
    overrides: { "helium:imageTag": undefined },
    keys: ["helium:imageTag"],
  },
  {
    title: "an image tag with a space",
    from: "config.test",
    file: "staging",
    overrides: { "helium:imageTag": "v1 beta" },
    keys: ["helium:imageTag"],
  },
  {
    title: "a rollback pin whose tag is not a tag or digest",
    from: "config.test",
    file: "production",
    overrides: { "helium:imageOverride": { tag: "v1 beta", reason: "INC-1" } },
    keys: ["helium:imageOverride.tag"],
  },
  {
    title: "a rollback pin without a reason",
    from: "config.test",
    file: "production",
    overrides: { "helium:imageOverride": { tag: "v1" } },
    keys: ["helium:imageOverride.reason"],
  },
  {
    title: "a region listed twice",
    from: "config.test",
    file: "production",
    overrides: { "helium:regions": [{ region: "ap-south-1" }, { region: "us-east-1" }, { region: "ap-south-1" }] },
    keys: ["helium:regions[2].region"],
  },
  {
    title: "a repository the shared stack does not hold",
    from: "config.test",
    file: "staging",
    overrides: { "helium:services": { worker: { repository: "helium-jobs" } } },
    keys: ["helium:services.worker.repository"],
  },
  {
    title: "an environment the shared stack does not register, without explicit CIDRs",
    from: "config.test",
    file: "staging",
    stack: "qa",
    overrides: {},
    keys: ["helium:environment"],
  },

  // ── tests/config/kubernetes.test.ts (the local stack) ─────────────────────────────────────────────────
  {
    title: "HPA minReplicas above maxReplicas",
    from: "kubernetes.test",
    file: "local",
    overrides: localServices({ backend: { kubernetes: { minReplicas: 8, maxReplicas: 3 } } }),
    keys: ["helium:services.backend.kubernetes"],
  },
  {
    title: "an HPA CPU target of 101",
    from: "kubernetes.test",
    file: "local",
    overrides: localServices({ worker: { kubernetes: { cpuTargetPercent: 101 } } }),
    keys: ["helium:services.worker.kubernetes.cpuTargetPercent"],
  },
  {
    title: "an HPA CPU target of 0",
    from: "kubernetes.test",
    file: "local",
    overrides: localServices({ worker: { kubernetes: { cpuTargetPercent: 0 } } }),
    keys: ["helium:services.worker.kubernetes.cpuTargetPercent"],
  },
  {
    title: 'a resource quantity "500 m"',
    from: "kubernetes.test",
    file: "local",
    overrides: localServices({ backend: { kubernetes: { limits: { cpu: "500 m", memory: "1Gi" } } } }),
    keys: ["helium:services.backend.kubernetes.limits.cpu"],
  },
  {
    title: "a memory request above its limit",
    from: "kubernetes.test",
    file: "local",
    overrides: localServices({ backend: { kubernetes: { requests: { cpu: "250m", memory: "2Gi" } } } }),
    keys: ["helium:services.backend.kubernetes.requests.memory"],
  },
  {
    title: "an image reference without a repository",
    from: "kubernetes.test",
    file: "local",
    overrides: { "helium:images": { "helium-backend": ":latest", "helium-frontend": "helium-frontend:local" } },
    keys: ["helium:images.helium-backend"],
  },
  {
    title: "a Redis image without a repository",
    from: "kubernetes.test",
    file: "local",
    overrides: { "helium:redisImage": "@sha256:" + "0".repeat(64) },
    keys: ["helium:redisImage"],
  },
  {
    title: "a service whose repository has no image",
    from: "kubernetes.test",
    file: "local",
    overrides: { "helium:images": { "helium-backend": "helium-backend:local" } },
    keys: ["helium:images.helium-frontend"],
  },
  {
    title: "a half-open HPA range",
    from: "kubernetes.test",
    file: "local",
    overrides: localServices({ frontend: { kubernetes: { minReplicas: 2 } } }),
    keys: ["helium:services.frontend.kubernetes.maxReplicas"],
  },
  {
    title: "a fixed replica count outside the HPA range",
    from: "kubernetes.test",
    file: "local",
    overrides: localServices({ frontend: { kubernetes: { minReplicas: 3, maxReplicas: 4 } } }),
    keys: ["helium:services.frontend.kubernetes.replicas"],
  },
  {
    title: "a declared secret without a value",
    from: "kubernetes.test",
    file: "local",
    overrides: backendSecrets(["REDIS_HOST", "DATABASE_URL"]),
    keys: ["helium:services.backend.secrets[1]"],
  },
  {
    title: "an unknown key of the local stack",
    from: "kubernetes.test",
    file: "local",
    overrides: { "helium:kubecontext": "kind-helium" },
    keys: ["helium:kubecontext"],
  },
  {
    title: "a root UID",
    from: "kubernetes.test",
    file: "local",
    overrides: { "helium:runAsUser": "0" },
    keys: ["helium:runAsUser"],
  },
  {
    title: "an ingress host with a scheme",
    from: "kubernetes.test",
    file: "local",
    overrides: { "helium:ingressHost": "http://helium.localhost" },
    keys: ["helium:ingressHost"],
  },

  // ── tests/config/observability.test.ts ────────────────────────────────────────────────────────────────
  {
    title: "an invalid alert email",
    from: "observability.test",
    file: "production",
    overrides: { "helium:alerts": { emails: ["ops@he2.site", "ops at he2.site"] } },
    keys: ["helium:alerts.emails[1]"],
  },
  {
    title: "an alert email listed twice",
    from: "observability.test",
    file: "production",
    overrides: { "helium:alerts": { emails: ["ops@he2.site", "OPS@he2.site"] } },
    keys: ["helium:alerts.emails"],
  },
  ...(
    [
      ["cpu.thresholdPercent", { cpu: { thresholdPercent: 101 } }],
      ["memory.recoveryPercent", { memory: { recoveryPercent: -5 } }],
      ["alb5xxPercent", { alb5xxPercent: 150 }],
      ["redisMemoryPercent", { redisMemoryPercent: -1 }],
      ["cpu.recoveryPercent", { cpu: { thresholdPercent: 70, recoveryPercent: 70 } }],
      ["memory.recoveryPercent", { memory: { thresholdPercent: 50 } }],
      ["cpuThreshold", { cpuThreshold: 80 }],
    ] as const
  ).map(([key, alerts]): BadConfig => ({
    title: `alerts ${JSON.stringify(alerts)}`,
    from: "observability.test",
    file: "production",
    overrides: { "helium:alerts": alerts },
    keys: [`helium:alerts.${key}`],
  })),
  {
    title: "a Grafana region without Managed Grafana",
    from: "observability.test",
    file: "production",
    overrides: { "helium:grafana": { region: "ap-south-1" } },
    keys: ["helium:grafana.region"],
  },

  // ── AWS limits: research-aws-limits.md "Confirmation of the known defects" 1-4 ─────────────────────────
  {
    title: "a health-check matcher outside ALB's 200-499",
    from: "AWS limit",
    file: "staging",
    overrides: { "helium:services": { backend: { healthCheck: { path: "/api/health", matcher: "500" } } } },
    keys: ["helium:services.backend.healthCheck.matcher"],
  },
  {
    title: "a host header over 128 characters",
    from: "AWS limit",
    file: "staging",
    overrides: {
      "helium:services": {
        backend: { routes: [{ pathPatterns: ["/api/*"], hostHeaders: [`${"a".repeat(120)}.he2.site`] }] },
      },
    },
    keys: ["helium:services.backend.routes[0].hostHeaders[0]"],
  },
  {
    title: "a path pattern over 128 characters",
    from: "AWS limit",
    file: "staging",
    overrides: { "helium:services": { backend: { routes: [{ pathPatterns: [`/api/${"a".repeat(130)}`] }] } } },
    keys: ["helium:services.backend.routes[0].pathPatterns[0]"],
  },
  {
    title: "an alarm window over one day with a period under an hour",
    from: "AWS limit",
    file: "staging",
    overrides: { "helium:alerts": { emails: ["oncall@he2.site"], periodSeconds: 1800, evaluationPeriods: 60 } },
    keys: ["helium:alerts.evaluationPeriods"],
  },

  // ── A new user's review of the printed errors: each names the key, the bad value and what is allowed ───────
  ...(
    [
      ["Bad_Name!", '"Bad_Name!"'],
      ["a".repeat(51), JSON.stringify("a".repeat(51))],
    ] as const
  ).map(([name, shown]): BadConfig => ({
    title: `a service name ${name.length > 20 ? `of ${name.length} characters` : name}: the key's own rule, not "Invalid key in record"`,
    from: "errors review",
    file: "staging",
    overrides: { "helium:services": { [name]: {} } },
    keys: [`helium:services.${name}`],
    exactly: [
      [
        `helium:services.${name}`,
        shown,
        /^must be 1-20 lower-case letters, digits and hyphens, starting with a letter/,
      ],
    ],
  })),
  {
    title: 'an appSecrets key that is no environment variable name: the key\'s own rule, not "Invalid key in record"',
    from: "errors review",
    file: "staging",
    overrides: { "helium:appSecrets": { "bad-key": "x" } },
    keys: ["helium:appSecrets.bad-key"],
    exactly: [["helium:appSecrets.bad-key", '"bad-key"', /^must be an environment variable name/]],
  },
  {
    title: "a bad service name does not hide a duplicate route between the services that parsed",
    from: "errors review",
    file: "staging",
    overrides: {
      "helium:services": {
        "Bad_Name!": {},
        api2: {
          repository: "helium-backend",
          port: 8000,
          routes: [{ pathPatterns: ["/api/*"] }],
          healthCheck: { path: "/api/health" },
        },
      },
    },
    keys: ["helium:services.Bad_Name!", "helium:services.api2.routes[0]"],
    exactly: [
      ["helium:services.Bad_Name!", '"Bad_Name!"', /^must be 1-20 lower-case letters/],
      ["helium:services.api2.routes[0]", '{"pathPatterns":["/api/*"]}', /^duplicate route: backend\.routes\[0\]/],
    ],
  },
  ...(
    [
      [{ instanceClass: "db.foo.huge", alarms: { connections: 50 } }, "with alarms.connections"],
      [{ instanceClass: "db.foo.huge" }, "without alarms.connections (no second problem at alarms.connections)"],
    ] as const
  ).map(([database, how]): BadConfig => ({
    title: `an RDS instance class outside the classes the program knows, ${how}`,
    from: "errors review",
    file: "staging",
    overrides: { "helium:database": database },
    keys: ["helium:database.instanceClass"],
    exactly: [
      [
        "helium:database.instanceClass",
        '"db.foo.huge"',
        /^an RDS instance class this program knows the memory of \(lib\/rds\.ts\): db\.t<generation> .*db\.m<generation> .*db\.r<generation> /,
      ],
    ],
  })),
  {
    title: "a CIDR with an octet over 255, reported once",
    from: "errors review",
    file: "staging",
    overrides: { "helium:regions": [{ region: "ap-south-1", vpcCidr: "10.300.0.0/16" }] },
    keys: ["helium:regions[0].vpcCidr"],
    exactly: [["helium:regions[0].vpcCidr", '"10.300.0.0/16"', /^must be an IPv4 CIDR block/]],
  },
  {
    title: "a Fargate CPU that is no Fargate size: the value is the cpu, not the service",
    from: "errors review",
    file: "staging",
    overrides: { "helium:services": { backend: { cpu: 300 } } },
    keys: ["helium:services.backend.cpu"],
    exactly: [["helium:services.backend.cpu", "300", /^a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192, 16384/]],
  },
  {
    title: "an object key given text that is not valid JSON",
    from: "errors review",
    file: "staging",
    overrides: { "helium:services": "{bad" },
    keys: ["helium:services"],
    exactly: [["helium:services", '"{bad"', /^an object \(a YAML mapping\): the value is not valid JSON \(/]],
  },
  {
    title: "six path patterns on one route: the ALB quota, not zod's array size",
    from: "errors review",
    file: "staging",
    overrides: {
      "helium:services": { backend: { routes: [{ pathPatterns: ["/a", "/b", "/c", "/d", "/e", "/f"] }] } },
    },
    keys: ["helium:services.backend.routes[0].pathPatterns"],
  },
  {
    title: "a port and a task count as text, and a fractional task count: the unit, not zod's type names",
    from: "errors review",
    file: "staging",
    overrides: { "helium:services": { backend: { port: "8000", scaling: { min: -1, max: 2.5 } } } },
    keys: [
      "helium:services.backend.port",
      "helium:services.backend.scaling.min",
      "helium:services.backend.scaling.max",
    ],
    exactly: [
      ["helium:services.backend.port", '"8000"', /^a number \(a port, 1-65535\), not text: write 8000 without quotes$/],
      ["helium:services.backend.scaling.min", "-1", /^at least 0 \(tasks\)$/],
      ["helium:services.backend.scaling.max", "2.5", /^a whole number \(tasks\)$/],
    ],
  },
];
