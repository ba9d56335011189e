/**
 * URNs as the Pulumi engine builds them (pulumi/pulumi v3.248 `sdk/go/common/resource/urn.go`, `alias.go`,
 * `pkg/resource/deploy/deployment.go` generateURN):
 *
 *   urn:pulumi:<stack>::<project>::<qualified type>::<name>
 *
 * The qualified type of a child is its parent's whole qualified type + "$" + its own type; root-level
 * resources and children of the root Stack have just their type. The mock monitor keeps only the parent's
 * LAST type segment, so its URNs differ from the engine's two or more levels deep.
 */

/** Type of the implicit root resource every program's top-level resources belong to. */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export interface UrnParts {
  readonly stack: string;
  readonly project: string;
  /** The parent type chain and the resource's type, joined by "$". */
  readonly qualifiedType: string;
  readonly name: string;
}

const PREFIX = "urn:pulumi:";

/** Splits a URN; the name may itself contain "::", so it is everything after the third separator. */
export function parseUrn(urn: string): UrnParts {
  if (!urn.startsWith(PREFIX)) throw new Error(`not a Pulumi URN: "${urn}"`);
  const parts = urn.slice(PREFIX.length).split("::");
  if (parts.length < 4) throw new Error(`not a Pulumi URN: "${urn}"`);
  const [stack, project, qualifiedType, ...name] = parts;
  return { stack, project, qualifiedType, name: name.join("::") };
}

/** The resource's own type: the last segment of the qualified type. */
export function typeOfUrn(urn: string): string {
  return parseUrn(urn).qualifiedType.split("$").pop() as string;
}

export function nameOfUrn(urn: string): string {
  return parseUrn(urn).name;
}

/**
 * The engine's `resource.CreateURN`: under a parent, the parent URN minus its name, then "$" and the type;
 * with no parent, the stack and project prefix.
 */
export function createUrn(name: string, type: string, parent: string | null, project: string, stack: string): string {
  const prefix = parent ? `${parent.slice(0, parent.lastIndexOf("::"))}$` : `${PREFIX}${stack}::${project}::`;
  return `${prefix}${type}::${name}`;
}

/** The engine's `generateURN`: a child of the root Stack is a root-level resource. */
export function engineUrn(name: string, type: string, parent: string | null, project: string, stack: string): string {
  const underRoot = parent === null || parent === "" || parseUrn(parent).qualifiedType === ROOT_STACK_TYPE;
  return createUrn(name, type, underRoot ? null : parent, project, stack);
}

/** What {@link engineUrnsOf} needs of a recorded resource. */
export interface ParentLinked {
  /** URN as recorded (possibly a mock URN); "" for reads the recorder could not name. */
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Recorded URN of the parent, or null at the root. */
  readonly parent: string | null;
}

/**
 * Engine URNs of resources recorded with other (mock) URNs, computed from their parent links, in order.
 * Used for evaluations recorded before the harness issued engine URNs. A parent that is not among the
 * resources, or a recorded URN that two resources share with different engine URNs, is an error: the
 * chain would be guessed.
 */
export function engineUrnsOf(resources: readonly ParentLinked[], project: string, stack: string): string[] {
  const byRecorded = new Map<string, string>();
  return resources.map((r) => {
    let parent: string | null = null;
    if (r.parent !== null && r.parent !== "") {
      const known = byRecorded.get(r.parent);
      if (known === undefined) throw new Error(`${r.type} ${r.name}: parent ${r.parent} is not recorded before it`);
      parent = known;
    }
    const urn = engineUrn(r.name, r.type, parent, project, stack);
    if (r.urn !== "") {
      const previous = byRecorded.get(r.urn);
      if (previous !== undefined && previous !== urn) {
        throw new Error(`recorded URN ${r.urn} stands for both ${previous} and ${urn}`);
      }
      byRecorded.set(r.urn, urn);
    }
    return urn;
  });
}
