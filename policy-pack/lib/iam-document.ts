/**
 * IAM policy documents as plain data. `policy` / `assumeRolePolicy` inputs are a JSON string or an object;
 * both are normalised into statements with array-valued fields.
 */

export interface Statement {
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Principal type (`Service`, `AWS`, `Federated`, or `*` for `"Principal": "*"`) → values. */
  readonly principals: Readonly<Record<string, readonly string[]>>;
  /** Operator → condition key → values. */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

import { textOf } from "./values";

export class PolicyDocumentError extends Error {}

function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v) => textOf(v));
  return [textOf(value)];
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Parses a document given as JSON text or an object. Throws {@link PolicyDocumentError} when it is neither. */
export function parseStatements(document: unknown): Statement[] {
  let parsed: unknown = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      throw new PolicyDocumentError("the policy document is not valid JSON");
    }
  }
  if (typeof parsed !== "object" || parsed === null)
    throw new PolicyDocumentError("the policy document is not an object");
  const rawStatements = (parsed as Record<string, unknown>)["Statement"];
  const list = Array.isArray(rawStatements) ? rawStatements : rawStatements === undefined ? [] : [rawStatements];
  return list.map((raw): Statement => {
    const s = asRecord(raw);
    const principal = s["Principal"];
    const principals: Record<string, string[]> = {};
    if (principal === "*") principals["*"] = ["*"];
    else for (const [kind, values] of Object.entries(asRecord(principal))) principals[kind] = asList(values);
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [operator, block] of Object.entries(asRecord(s["Condition"]))) {
      conditions[operator] = {};
      for (const [key, values] of Object.entries(asRecord(block))) conditions[operator][key] = asList(values);
    }
    return {
      effect: s["Effect"] === "Deny" ? "Deny" : "Allow",
      actions: asList(s["Action"]),
      notActions: asList(s["NotAction"]),
      resources: asList(s["Resource"]),
      notResources: asList(s["NotResource"]),
      principals,
      conditions,
    };
  });
}

/** `*`, `s3:*`, `s3:Get*` → a case-insensitive matcher (IAM action names are case-insensitive). */
export function actionPattern(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "i");
}

/** True when `action` (possibly itself a wildcard) is covered by one of `allowed` (which may hold wildcards). */
export function actionCoveredBy(action: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => actionPattern(entry).test(action));
}

/** Condition values for `key` under any operator in `operators` (case-insensitive key match, as IAM does). */
export function conditionValues(statement: Statement, operators: readonly string[], key: string): string[] {
  const values: string[] = [];
  for (const operator of operators) {
    for (const [conditionKey, list] of Object.entries(statement.conditions[operator] ?? {})) {
      if (conditionKey.toLowerCase() === key.toLowerCase()) values.push(...list);
    }
  }
  return values;
}
