/**
 * The engine's alias resolution (pulumi/pulumi v3.248 `pkg/resource/deploy/step_generator.go`:
 * collapseAliasToUrn, inheritedChildAlias, generateAliases, and the old-state lookup in generateSteps),
 * so a test can ask which resource of an earlier state each new resource takes over.
 *
 * The SDK sends only a resource's own `aliases` (alias specs); the engine adds the inherited ones: when a
 * parent took over an old resource through an alias, each child also tries the URN it would have had under
 * that old parent. Resources are resolved in registration order, parents first, as the engine sees them.
 */
import type { RecordedAlias } from "./types";
import { ROOT_STACK_TYPE, createUrn, parseUrn } from "./urns";

/** What alias resolution needs of a registered resource. */
export interface AliasGoal {
  /** Engine URN. */
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Engine URN of the parent, or null at the root. */
  readonly parent: string | null;
  readonly aliases: readonly RecordedAlias[];
}

export interface DeploymentTarget {
  readonly project: string;
  readonly stack: string;
}

export interface AliasResolution {
  /** New URN → the old URN it takes over: itself when unchanged, an alias URN when moved. Absent: a create. */
  readonly claims: ReadonlyMap<string, string>;
  /** New URN → old URN, for the resources matched through an alias only. */
  readonly aliased: ReadonlyMap<string, string>;
  /** The engine's errors: two resources claiming one old resource. */
  readonly errors: readonly string[];
}

const isRootStack = (urn: string): boolean => parseUrn(urn).qualifiedType === ROOT_STACK_TYPE;

/**
 * The URN an alias spec stands for. Empty fields take the resource's own name, type, project and stack; an
 * explicit parent that was itself matched through an alias is replaced by its old URN.
 */
export function collapseAlias(
  goal: AliasGoal,
  alias: RecordedAlias,
  parentAliases: ReadonlyMap<string, string>,
  target: DeploymentTarget,
): string {
  if (alias.kind === "urn") return alias.urn;
  let parent = goal.parent;
  if (alias.parentUrn !== "") parent = parentAliases.get(alias.parentUrn) ?? alias.parentUrn;
  if (alias.noParent || (parent !== null && isRootStack(parent))) parent = null;
  return createUrn(
    alias.name || goal.name,
    alias.type || goal.type,
    parent,
    alias.project || target.project,
    alias.stack || target.stack,
  );
}

/**
 * The alias a child inherits from its parent's matched alias: the child's type under the parent's old
 * qualified type; a child named after its parent (`<parent>-x`) is renamed after the old parent name.
 */
export function inheritedChildAlias(
  childType: string,
  childName: string,
  parentName: string,
  parentAlias: string,
  target: DeploymentTarget,
): string {
  const old = parseUrn(parentAlias);
  const name = childName.startsWith(parentName) ? old.name + childName.slice(parentName.length) : childName;
  return `urn:pulumi:${target.stack}::${target.project}::${old.qualifiedType}$${childType}::${name}`;
}

/** Every URN the engine tries for a resource after its own: its aliases, then the inherited ones. */
export function generateAliases(
  goal: AliasGoal,
  parentAliases: ReadonlyMap<string, string>,
  target: DeploymentTarget,
): string[] {
  const result: string[] = [];
  const add = (urn: string) => {
    if (!result.includes(urn)) result.push(urn);
  };
  const own = goal.aliases.map((a) => collapseAlias(goal, a, parentAliases, target));
  own.forEach(add);
  const parentAlias = goal.parent === null ? undefined : parentAliases.get(goal.parent);
  if (goal.parent !== null && parentAlias !== undefined) {
    const parentName = parseUrn(goal.parent).name;
    add(inheritedChildAlias(goal.type, goal.name, parentName, parentAlias, target));
    for (const urn of own) {
      const aliased = parseUrn(urn);
      const type = aliased.qualifiedType.split("$").pop() as string;
      add(inheritedChildAlias(type, aliased.name, parentName, parentAlias, target));
    }
  }
  return result;
}

/**
 * Matches each new resource against the old state as the engine does: its own URN first, then its aliases
 * in order; the first URN present in `olds` wins.
 */
export function resolveAliases(
  goals: readonly AliasGoal[],
  olds: ReadonlySet<string>,
  target: DeploymentTarget,
): AliasResolution {
  const claims = new Map<string, string>();
  const aliased = new Map<string, string>();
  const claimedBy = new Map<string, string>();
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const goal of goals) {
    seen.add(goal.urn);
    const earlier = claimedBy.get(goal.urn);
    if (earlier !== undefined)
      errors.push(`${goal.urn} is registered, but ${earlier} already claimed it through an alias`);
    const candidates = [goal.urn, ...generateAliases(goal, aliased, target)];
    const match = candidates.find((urn) => olds.has(urn));
    if (match === undefined) continue;
    claims.set(goal.urn, match);
    if (match === goal.urn) continue;
    if (seen.has(match)) errors.push(`${goal.urn} claims ${match} through an alias, but ${match} is registered too`);
    const previous = claimedBy.get(match);
    if (previous !== undefined) errors.push(`${goal.urn} and ${previous} both claim ${match} through aliases`);
    claimedBy.set(match, goal.urn);
    aliased.set(goal.urn, match);
  }
  return { claims, aliased, errors };
}
