/**
 * Fingerprints of secret values, so the offline diff can say that a secret input changed without printing or
 * storing the value in a form that can be guessed back.
 *
 * A plan shows a secret as `[secret]`. A plain hash of the value next to it would not do: a short or structured
 * secret (an API key from a known alphabet, a JSON document with one unknown field) can be found again by hashing
 * candidates. A fingerprint is instead an HMAC-SHA256 under a random key that one `npm run plan -- --diff <git ref>`
 * makes and keeps in memory: it hands the key to the base's plan (a child process, through
 * {@link FINGERPRINT_KEY_ENV}), reads that plan from the child's stdout, fingerprints its own plan with the same
 * key, compares, and forgets the key. No fingerprint is printed or written; without the key they are random.
 *
 * A saved plan (`--json > base.json`) holds no fingerprint, so its secrets cannot be compared: the diff lists
 * them as not compared (offline/diff.ts).
 */
import { createHmac, randomBytes } from "crypto";

/** Set only by offline/diff-base.ts for the base's plan: 64 hex digits. */
export const FINGERPRINT_KEY_ENV = "HELIUM_PLAN_SECRET_FINGERPRINT_KEY";

export function newFingerprintKey(): string {
  return randomBytes(32).toString("hex");
}

/** The key in the environment, when it is a well-formed one; else none (the plan shows `[secret]` only). */
export function fingerprintKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const key = env[FINGERPRINT_KEY_ENV];
  return key !== undefined && /^[0-9a-f]{64}$/.test(key) ? key : undefined;
}

/** JSON with object keys sorted, so one value has one text whatever the order its keys were built in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** `hmac-sha256:<hex>` of the value under `key` (from {@link newFingerprintKey}). */
export function secretFingerprint(key: string, value: unknown): string {
  return `hmac-sha256:${createHmac("sha256", Buffer.from(key, "hex")).update(canonicalJson(value)).digest("hex")}`;
}
