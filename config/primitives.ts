/**
 * Reusable zod schemas for config values. Each carries the message a user sees, so that an error names
 * what is allowed rather than a type name.
 */
import { z } from "zod";
import { isValidCidr } from "../lib/cidr";
import { ENVIRONMENT_NAME_PATTERN, SERVICE_NAME_PATTERN } from "../lib/naming";
import { KNOWN_REGION_CODES } from "../lib/regions";

/**
 * A strict object: an unknown key is an error that lists the keys this object does accept.
 * Zod's default message names only the stray key.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}; allowed keys: ${Object.keys(shape).join(", ")}`
        : undefined,
  });
}

export const regionCode = z.string().refine((v) => KNOWN_REGION_CODES.includes(v), {
  error: `must be a known AWS region: ${KNOWN_REGION_CODES.join(", ")} (add one in lib/regions.ts)`,
});

export const cidrBlock = z.string().refine(isValidCidr, {
  error: "must be an IPv4 CIDR block with no host bits set, e.g. 10.10.0.0/16",
});

export const port = z
  .number()
  .int()
  .min(1, { error: "must be a port in 1-65535" })
  .max(65535, { error: "must be a port in 1-65535" });

export const percentage = z
  .number()
  .min(0, { error: "must be a percentage in 0-100" })
  .max(100, { error: "must be a percentage in 0-100" });

/** A DNS name such as `he2.site`: labels of letters, digits and hyphens, at least one dot. */
export const domainName = z.string().regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
  error: "must be a lower-case DNS name such as he2.site",
});

/** A single DNS label such as `api` or `api-staging`. */
export const dnsLabel = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
  error: "must be one lower-case DNS label (letters, digits, hyphens; 1-63 characters), e.g. api",
});

export const email = z.email({ error: "must be an email address such as ops@example.com" });

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export const logRetentionDays = z.number().refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
  error: `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(", ")}`,
});

/** An image tag (`v42`) or digest (`sha256:<64 hex>`), as Docker and ECR accept them. */
export const imageTagOrDigest = z.string().regex(/^(?:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|sha256:[a-f0-9]{64})$/, {
  error: "must be an image tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}) or a digest (sha256:<64 hex digits>)",
});

/** Environment variable / secret key names as ECS and Kubernetes accept them. */
export const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: "must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*)",
});

/** A Pulumi StackReference name: `stack`, `project/stack` or `org/project/stack`. */
export const stackReferenceName = z.string().regex(/^(?:[A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/, {
  error: "must be a stack reference name: <stack>, <project>/<stack> or <org>/<project>/<stack>",
});

/** An environment name: part of physical names and tags, e.g. `staging`, `dev`, `prod-eu` (lib/naming.ts). */
export const environmentName = z.string().regex(ENVIRONMENT_NAME_PATTERN, {
  error: "must be 1-16 lower-case letters, digits and hyphens, starting with a letter (it becomes part of AWS names)",
});

/** A service name, the key of `helium:services` (lib/naming.ts). */
export const serviceName = z.string().regex(SERVICE_NAME_PATTERN, {
  error: "must be 1-20 lower-case letters, digits and hyphens, starting with a letter (it becomes part of AWS names)",
});
