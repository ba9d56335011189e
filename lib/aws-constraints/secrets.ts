/**
 * Secrets Manager constraints on values that come from config. Source:
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html; botocore
 * `secretsmanager/2017-10-17` SecretStringType (min 1, max 65,536).
 */

/** Longest `SecretString`. */
export const MAX_SECRET_STRING_LENGTH = 65_536;

/**
 * The JSON of a secret's key/value pairs (`helium:appSecrets` plus the platform's keys) must fit one
 * `SecretString`: 1-65,536 characters.
 */
export function secretStringProblem(secretString: string): string | undefined {
  return secretString.length >= 1 && secretString.length <= MAX_SECRET_STRING_LENGTH
    ? undefined
    : `a secret of 1-${MAX_SECRET_STRING_LENGTH.toLocaleString("en-US")} characters as JSON (this one has ${secretString.length.toLocaleString("en-US")}): move large values elsewhere`;
}
