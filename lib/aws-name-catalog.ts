/**
 * What AWS accepts as a physical name, per kind of resource: length, character set and the leading/trailing
 * rules, each from the AWS API reference page of the action that takes the name (cited per rule; "botocore"
 * means the service model `botocore/data/<service>/<version>/service-2.json` at commit 0e6e2404, where the
 * page's constraint is machine-readable).
 *
 * A mock accepts any string, so these rules are the only thing between a long service name and a failed
 * `pulumi up`. lib/aws-name-rules.ts checks names against them; lib/name-fitting.ts uses the same rules to
 * shorten a name until it passes.
 *
 * Where AWS states only a length (X-Ray, API Gateway), the pattern is Helium's conservative set
 * (letters, digits, `_` and `-`) and the rule says so: we only ever build these names ourselves.
 */

/** Every kind of physical name the program creates (or will create: RDS, API Gateway, Service Connect). */
export type AwsNameKind =
  | "s3Bucket"
  | "loadBalancer"
  | "targetGroup"
  | "iamRole"
  | "iamPolicy"
  | "iamPath"
  | "kmsAlias"
  | "elasticacheReplicationGroup"
  | "elasticacheSubnetGroup"
  | "sqsQueue"
  | "snsTopic"
  | "ecsCluster"
  | "ecsService"
  | "ecsTaskFamily"
  | "ecsContainer"
  | "appAutoscalingPolicy"
  | "logGroup"
  | "secret"
  | "acceleratorName"
  | "ecrRepository"
  | "cloudWatchAlarm"
  | "cloudWatchDashboard"
  | "grafanaWorkspace"
  | "xrayGroup"
  | "xraySamplingRule"
  | "securityGroupName"
  | "securityGroupDescription"
  | "rdsInstanceIdentifier"
  | "dbParameterGroup"
  | "dbSubnetGroup"
  | "apiGatewayName"
  | "cloudMapNamespace"
  | "serviceConnectDiscoveryName"
  | "tagValue";

/** One kind's rule. `pattern` is the whole truth; the other fields let lib/name-fitting.ts repair a name. */
export interface AwsNameRule {
  /** Fewest characters, counting any fixed prefix such as `alias/`. */
  readonly minLength: number;
  /** Most characters, counting any fixed prefix. */
  readonly maxLength: number;
  /** The full rule (characters, first and last character, reserved prefixes and suffixes). */
  readonly pattern: RegExp;
  /** The rule in words, for error messages. */
  readonly allowed: string;
  /**
   * Characters a repaired name may use, as the inside of a regex character class. Always includes `-`
   * (the separator fitting inserts) and is a subset of what `pattern` accepts.
   */
  readonly safeCharacters: string;
  /** AWS stores the name lower-cased (or rejects upper case), so a repaired name is lower-cased. */
  readonly lowerCase: boolean;
  /** Text every name of this kind starts with and fitting keeps as is, e.g. `alias/`. */
  readonly fixedPrefix: string;
  /** Text every name of this kind ends with and fitting keeps as is: `/` for IAM paths, else empty. */
  readonly fixedSuffix?: string;
  /** The AWS API reference page the rule comes from. */
  readonly source: string;
}

const API = {
  s3: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
  elb: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference",
  iam: "https://docs.aws.amazon.com/IAM/latest/APIReference",
  ecs: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference",
  elasticache: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference",
  rds: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference",
  cloudwatch: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference",
};

/** Letters, digits and hyphens, not starting or ending with a hyphen (ELB, Global Accelerator, …). */
const ALNUM_HYPHEN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
/** RDS/ElastiCache identifiers: a lower-case letter first, no `--`, no trailing hyphen. */
const DB_IDENTIFIER = /^(?!.*--)[a-z](?:[a-z0-9-]*[a-z0-9])?$/;
/** IAM role and policy names (botocore iam roleNameType / policyNameType). */
const IAM_NAME = /^[\w+=,.@-]+$/;
/** Characters EC2 allows in security group names and descriptions (VPC). */
const SECURITY_GROUP_TEXT = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/;
/** Letters, digits, `_` and `-`: ECS names, SQS/SNS names, dashboards. */
const WORD = /^[A-Za-z0-9_-]+$/;

/** X-Ray group and sampling-rule names: one rule, stated on two API pages. */
const XRAY_NAME = {
  minLength: 1,
  maxLength: 32,
  pattern: /^(?!Default$)[A-Za-z0-9_-]+$/,
  allowed:
    "1-32 letters, digits, hyphens and underscores, not 'Default' (AWS states only the length; the character set is Helium's)",
  safeCharacters: "A-Za-z0-9_-",
} as const;

/** A rule with the common defaults: no fixed prefix or suffix, case kept. */
function rule(fields: Omit<AwsNameRule, "lowerCase" | "fixedPrefix"> & Partial<AwsNameRule>): AwsNameRule {
  return { lowerCase: false, fixedPrefix: "", ...fields };
}

/** The rule of every kind. */
export const AWS_NAME_RULES: Readonly<Record<AwsNameKind, AwsNameRule>> = {
  s3Bucket: rule({
    minLength: 3,
    maxLength: 63,
    pattern:
      /^(?!xn--|sthree-|amzn-s3-demo-)(?!.*(?:-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    allowed:
      "3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, no '..', not an IP address, no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)",
    safeCharacters: "a-z0-9-",
    lowerCase: true,
    source: API.s3,
  }),
  loadBalancer: rule({
    minLength: 1,
    maxLength: 32,
    pattern: /^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    allowed: "1-32 letters, digits and hyphens, not starting or ending with a hyphen or starting with 'internal-'",
    safeCharacters: "A-Za-z0-9-",
    source: `${API.elb}/API_CreateLoadBalancer.html`,
  }),
  targetGroup: rule({
    minLength: 1,
    maxLength: 32,
    pattern: ALNUM_HYPHEN,
    allowed: "1-32 letters, digits and hyphens, not starting or ending with a hyphen",
    safeCharacters: "A-Za-z0-9-",
    source: `${API.elb}/API_CreateTargetGroup.html`,
  }),
  iamRole: rule({
    minLength: 1,
    maxLength: 64,
    pattern: IAM_NAME,
    allowed: "1-64 characters from letters, digits and +=,.@_-",
    safeCharacters: "A-Za-z0-9-",
    source: `${API.iam}/API_CreateRole.html (botocore iam roleNameType)`,
  }),
  iamPolicy: rule({
    minLength: 1,
    maxLength: 128,
    pattern: IAM_NAME,
    allowed: "1-128 characters from letters, digits and +=,.@_-",
    safeCharacters: "A-Za-z0-9-",
    source: `${API.iam}/API_CreatePolicy.html, API_PutRolePolicy.html (botocore iam policyNameType)`,
  }),
  iamPath: rule({
    minLength: 1,
    maxLength: 512,
    pattern: /^(?:\/|\/[\x21-\x7e]+\/)$/,
    allowed: "'/' alone, or 1-512 printable ASCII characters starting and ending with '/'",
    safeCharacters: "A-Za-z0-9/-",
    fixedPrefix: "/",
    fixedSuffix: "/",
    source: `${API.iam}/API_CreateRole.html (botocore iam pathType)`,
  }),
  kmsAlias: rule({
    minLength: 7,
    maxLength: 256,
    pattern: /^alias\/(?!aws\/)[A-Za-z0-9/_-]+$/,
    allowed: "'alias/' then 1-250 letters, digits and /_-, not starting with 'alias/aws/'",
    safeCharacters: "A-Za-z0-9-",
    fixedPrefix: "alias/",
    source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html (botocore kms AliasNameType)",
  }),
  elasticacheReplicationGroup: rule({
    minLength: 1,
    maxLength: 40,
    pattern: DB_IDENTIFIER,
    allowed: "1-40 lower-case letters, digits and hyphens, starting with a letter, no '--', not ending with a hyphen",
    safeCharacters: "a-z0-9-",
    lowerCase: true,
    source: `${API.elasticache}/API_CreateReplicationGroup.html`,
  }),
  elasticacheSubnetGroup: rule({
    minLength: 1,
    maxLength: 255,
    // AWS stores it lower-cased; holding the lower-case form avoids a diff on every refresh.
    pattern: /^[a-z0-9-]+$/,
    allowed: "1-255 lower-case letters, digits and hyphens",
    safeCharacters: "a-z0-9-",
    lowerCase: true,
    source: `${API.elasticache}/API_CreateCacheSubnetGroup.html`,
  }),
  sqsQueue: rule({
    minLength: 1,
    maxLength: 80,
    pattern: /^[A-Za-z0-9_-]+(?:\.fifo)?$/,
    allowed: "1-80 letters, digits, hyphens and underscores (FIFO queues end in .fifo)",
    safeCharacters: "A-Za-z0-9_-",
    source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
  }),
  snsTopic: rule({
    minLength: 1,
    maxLength: 256,
    pattern: /^[A-Za-z0-9_-]+(?:\.fifo)?$/,
    allowed: "1-256 letters, digits, hyphens and underscores (FIFO topics end in .fifo)",
    safeCharacters: "A-Za-z0-9_-",
    source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
  }),
  ecsCluster: ecsRule("API_CreateCluster.html"),
  ecsService: ecsRule("API_CreateService.html"),
  ecsTaskFamily: ecsRule("API_RegisterTaskDefinition.html"),
  ecsContainer: ecsRule("API_ContainerDefinition.html"),
  appAutoscalingPolicy: rule({
    minLength: 1,
    maxLength: 256,
    // botocore says \p{Print}; printable ASCII is the part we use and is unambiguous.
    pattern: /^[\x20-\x7e]+$/,
    allowed: "1-256 printable characters",
    safeCharacters: "A-Za-z0-9_-",
    source:
      "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html (botocore PolicyName)",
  }),
  logGroup: rule({
    minLength: 1,
    maxLength: 512,
    pattern: /^[\w\-/.#]+$/,
    allowed: "1-512 characters from letters, digits and _-/.#",
    safeCharacters: "A-Za-z0-9_/-",
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
  }),
  secret: rule({
    minLength: 1,
    maxLength: 512,
    // "Do not end your secret name with a hyphen followed by six characters": AWS appends -XXXXXX to the ARN.
    pattern: /^(?!.*-.{6}$)[\w/+=.@-]+$/,
    allowed: "1-512 characters from letters, digits and /_+=.@-, not ending in a hyphen and six characters",
    safeCharacters: "A-Za-z0-9/_-",
    source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html",
  }),
  acceleratorName: rule({
    minLength: 1,
    maxLength: 64,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/,
    allowed: "1-64 letters, digits, dots and hyphens, not starting or ending with a hyphen or dot",
    safeCharacters: "A-Za-z0-9-",
    // The model says 255; the page (and the service) say 64.
    source: "https://docs.aws.amazon.com/global-accelerator/latest/api/API_CreateAccelerator.html",
  }),
  ecrRepository: rule({
    minLength: 2,
    maxLength: 256,
    pattern: /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/,
    allowed:
      "2-256 lower-case letters and digits in '/'-separated parts, each part's words joined by '.', '_', '__' or hyphens",
    safeCharacters: "a-z0-9-",
    lowerCase: true,
    source:
      "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html (botocore RepositoryName)",
  }),
  cloudWatchAlarm: rule({
    minLength: 1,
    maxLength: 255,
    pattern: /^\P{Cc}+$/u,
    allowed: "1-255 characters, no control characters",
    safeCharacters: "A-Za-z0-9_-",
    source: `${API.cloudwatch}/API_PutMetricAlarm.html`,
  }),
  cloudWatchDashboard: rule({
    minLength: 1,
    maxLength: 255,
    pattern: WORD,
    allowed: "1-255 letters, digits, hyphens and underscores",
    safeCharacters: "A-Za-z0-9_-",
    source: `${API.cloudwatch}/API_PutDashboard.html`,
  }),
  grafanaWorkspace: rule({
    minLength: 1,
    maxLength: 255,
    pattern: /^[A-Za-z0-9._~-]+$/,
    allowed: "1-255 letters, digits and -._~",
    safeCharacters: "A-Za-z0-9-",
    source: "https://docs.aws.amazon.com/grafana/latest/APIReference/API_CreateWorkspace.html (botocore WorkspaceName)",
  }),
  xrayGroup: rule({ ...XRAY_NAME, source: "https://docs.aws.amazon.com/xray/latest/api/API_CreateGroup.html" }),
  xraySamplingRule: rule({
    ...XRAY_NAME,
    source: "https://docs.aws.amazon.com/xray/latest/api/API_SamplingRule.html",
  }),
  securityGroupName: rule({
    minLength: 1,
    maxLength: 255,
    pattern: /^(?!sg-)[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
    allowed: "1-255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with 'sg-'",
    safeCharacters: "A-Za-z0-9_-",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
  }),
  securityGroupDescription: rule({
    minLength: 1,
    maxLength: 255,
    pattern: SECURITY_GROUP_TEXT,
    allowed: "1-255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
    safeCharacters: "A-Za-z0-9 ._-",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
  }),
  rdsInstanceIdentifier: rule({
    minLength: 1,
    maxLength: 63,
    pattern: DB_IDENTIFIER,
    allowed: "1-63 lower-case letters, digits and hyphens, starting with a letter, no '--', not ending with a hyphen",
    safeCharacters: "a-z0-9-",
    lowerCase: true,
    source: `${API.rds}/API_CreateDBInstance.html`,
  }),
  dbParameterGroup: rule({
    minLength: 1,
    maxLength: 255,
    pattern: DB_IDENTIFIER,
    allowed: "1-255 lower-case letters, digits and hyphens, starting with a letter, no '--', not ending with a hyphen",
    safeCharacters: "a-z0-9-",
    lowerCase: true,
    source: `${API.rds}/API_CreateDBParameterGroup.html`,
  }),
  dbSubnetGroup: rule({
    minLength: 1,
    maxLength: 255,
    pattern: /^(?!default$)[a-z][a-z0-9._ -]*$/,
    allowed:
      "1-255 lower-case letters, digits, dots, underscores, spaces and hyphens, starting with a letter, not 'default'",
    safeCharacters: "a-z0-9-",
    lowerCase: true,
    source: `${API.rds}/API_CreateDBSubnetGroup.html`,
  }),
  apiGatewayName: rule({
    minLength: 1,
    maxLength: 128,
    pattern: WORD,
    allowed:
      "1-128 letters, digits, hyphens and underscores (AWS states only the length; the character set is Helium's)",
    safeCharacters: "A-Za-z0-9_-",
    source:
      "https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html (botocore StringWithLengthBetween1And128)",
  }),
  cloudMapNamespace: rule({
    minLength: 1,
    maxLength: 1024,
    pattern: /^(?!arn:)[!-~]+$/,
    allowed: "1-1024 printable ASCII characters without spaces, not starting with 'arn:'",
    safeCharacters: "a-z0-9.-",
    lowerCase: true,
    source:
      "https://docs.aws.amazon.com/cloud-map/latest/api/API_CreateHttpNamespace.html (botocore NamespaceNameHttp)",
  }),
  serviceConnectDiscoveryName: rule({
    minLength: 1,
    maxLength: 64,
    pattern: /^[a-z0-9_][a-z0-9_-]*$/,
    allowed: "1-64 lower-case letters, digits, underscores and hyphens, not starting with a hyphen",
    safeCharacters: "a-z0-9_-",
    lowerCase: true,
    source: `${API.ecs}/API_ServiceConnectService.html`,
  }),
  tagValue: rule({
    minLength: 0,
    maxLength: 256,
    pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
    allowed: "0-256 letters, digits, spaces and _.:/=+-@",
    safeCharacters: "A-Za-z0-9_.:/=+@-",
    source: "https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_Tag.html",
  }),
};

/** ECS cluster, service, family and container names share one rule: "Up to 255 letters …, numbers, underscores, and hyphens". */
function ecsRule(page: string): AwsNameRule {
  return rule({
    minLength: 1,
    maxLength: 255,
    pattern: WORD,
    allowed: "1-255 letters, digits, hyphens and underscores",
    safeCharacters: "A-Za-z0-9_-",
    source: `${API.ecs}/${page}`,
  });
}

/** Every kind, for tests and documentation. */
export const AWS_NAME_KINDS: readonly AwsNameKind[] = Object.keys(AWS_NAME_RULES) as AwsNameKind[];
