/**
 * Pure validators of the AWS API constraints that config values must meet, one module per service area.
 * Each cites the AWS API reference page (and the botocore model where it is machine-readable) it encodes.
 *
 * Convention: a validator of one value returns `string | undefined`, what is allowed when the value breaks
 * the rule (the caller adds the Problem at its own key); a validator of several fields returns `Problem[]`
 * keyed by field name (the caller prefixes the keys, e.g. `Problems.addAll(list, "helium:alerts.")`).
 * None throws.
 */
export * from "./cloudwatch";
export * from "./ecr";
export * from "./ecs";
export * from "./edge";
export * from "./elasticache";
export * from "./elb";
export * from "./observability";
export * from "./rds";
export * from "./scaling";
export * from "./secrets";
export * from "./sqs";
