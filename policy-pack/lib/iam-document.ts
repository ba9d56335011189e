/**
 * IAM policy documents as plain data. `policy` / `assumeRolePolicy` inputs are a JSON string or an object;
 * both are normalised into the statement data the shared rules read (lib/iam-rules.ts).
 */
import type { RuleStatement } from "../../lib/iam-rules";
import { textOf } from "./values";

export { actionCoveredBy, actionPattern, conditionValues } from "../../lib/iam-rules";

/** Statements of a parsed document: the rule data of lib/iam-rules.ts, every leaf known text. */
export type Statement = RuleStatement;

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
    const sid = s["Sid"];
    return {
      ...(typeof sid === "string" ? { sid } : {}),
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
