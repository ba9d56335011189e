/**
 * Generates the config reference (every key, its type and its default) from the zod schemas, so the
 * README's table cannot drift from what the program accepts. `npm run docs:config` prints it; a test
 * checks that README.md contains exactly this text between the CONFIG-REFERENCE markers.
 */
import { z } from "zod";
import { serviceSchema } from "../config/services";
import { ROLE_SCHEMAS } from "../config/stack";

interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  additionalProperties?: JsonSchemaNode | boolean;
  enum?: unknown[];
  anyOf?: JsonSchemaNode[];
  required?: string[];
}

function typeOf(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  if (node.anyOf) return node.anyOf.map(typeOf).join(" \\| ");
  if (node.type === "array") return `${node.items ? typeOf(node.items) : "any"}[]`;
  if (
    node.type === "object" &&
    node.additionalProperties &&
    typeof node.additionalProperties === "object" &&
    !node.properties
  )
    return `map of ${typeOf(node.additionalProperties)}`;
  return Array.isArray(node.type) ? node.type.join(" \\| ") : (node.type ?? "any");
}

function rows(prefix: string, node: JsonSchemaNode, required: readonly string[], out: string[]): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${key}`;
    // The top-level service map only; other keys may be called `services` too (apiGateway.jwtAuthorizer.services).
    const serviceMap = path === "services";
    const defaultText = serviceMap
      ? "backend, worker, frontend (see below)"
      : child.default !== undefined
        ? `\`${JSON.stringify(child.default)}\``
        : required.includes(key)
          ? "**required**"
          : "—";
    const description = (child.description ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");
    out.push(`| \`${path}\` | ${typeOf(child)} | ${defaultText} | ${description} |`);
    const nested = child.type === "array" ? child.items : child;
    if (nested?.properties && !serviceMap)
      rows(`${path}${child.type === "array" ? "[]" : ""}.`, nested, nested.required ?? [], out);
  }
}

export function configReference(): string {
  const out: string[] = [];
  const documented: Array<[string, z.ZodType]> = [
    ["shared (helium:role: shared)", ROLE_SCHEMAS.shared],
    ["staging, production, … (helium:role: environment)", ROLE_SCHEMAS.environment],
    ["local (helium:role: kubernetes)", ROLE_SCHEMAS.kubernetes],
  ];
  for (const [title, schema] of documented) {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode;
    out.push(
      `#### Stack ${title}: \`helium:\` keys`,
      "",
      "| key | type | default | description |",
      "|---|---|---|---|",
    );
    rows("", json, json.required ?? [], out);
    out.push("");
  }
  const service = z.toJSONSchema(serviceSchema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode;
  out.push(
    "#### Service declaration (`helium:services.<name>`, shared by ECS and Kubernetes)",
    "",
    "| key | type | default | description |",
    "|---|---|---|---|",
  );
  rows("", service, service.required ?? [], out);
  out.push("");
  return out.join("\n");
}

if (require.main === module) process.stdout.write(`${configReference()}\n`);
