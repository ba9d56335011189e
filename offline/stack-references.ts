/**
 * The outputs StackReferences read. An evaluation request carries its referenced stacks' outputs (the parent
 * evaluates those first, offline/evaluate.ts); a name announced but not yet provided makes a read wait, and
 * an evaluation left waiting so with nothing else to run fails as never finished (offline/evaluate-here.ts).
 */
import type { ReferencedOutputs } from "./types";

/** Config keys whose values name another stack (StackReference names). */
export const STACK_REFERENCE_KEYS = ["helium:sharedStack", "helium:promoteFrom"] as const;

/** The type token the engine records a StackReference under: a read of another stack, not a created resource. */
export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/** `acme/helium/shared` → `shared`: the local stack file that stands for a reference. */
export function localStackOf(referenceName: string): string {
  return referenceName.split("/").pop() ?? referenceName;
}

/** The StackReference names a stack's config points at, in key order, without duplicates. */
export function referenceNamesOf(config: Readonly<Record<string, string>>): string[] {
  const names = STACK_REFERENCE_KEYS.map((key) => config[key]).filter((name): name is string => name !== undefined);
  return [...new Set(names)];
}

interface Pending {
  readonly promise: Promise<ReferencedOutputs>;
  resolve(referenced: ReferencedOutputs): void;
}

function pending(): Pending {
  let resolve: (referenced: ReferencedOutputs) => void = () => undefined;
  const promise = new Promise<ReferencedOutputs>((r) => (resolve = r));
  return { promise, resolve };
}

/** Referenced stacks' outputs by StackReference name: given up front, or announced and provided later. */
export class StackReferenceBoard {
  private readonly entries = new Map<string, Pending>();

  /** `expected`: names whose outputs will be {@link provide}d; reading any other name fails at once. */
  constructor(expected: readonly string[] = []) {
    for (const name of expected) this.entries.set(name, pending());
  }

  /** Replaces every entry with outputs known now (in-process tests). */
  replaceAll(references: Readonly<Record<string, ReferencedOutputs>>): void {
    this.entries.clear();
    for (const [name, referenced] of Object.entries(references)) this.provide(name, referenced);
  }

  provide(name: string, referenced: ReferencedOutputs): void {
    const entry = this.entries.get(name) ?? pending();
    entry.resolve(referenced);
    this.entries.set(name, entry);
  }

  /** The outputs of `name`, once known. */
  read(name: string): Promise<ReferencedOutputs> {
    const entry = this.entries.get(name);
    if (entry === undefined) {
      const known = [...this.entries.keys()].join(", ") || "none";
      return Promise.reject(
        new Error(`StackReference "${name}" was not provided to the offline runtime; known: ${known}`),
      );
    }
    return entry.promise;
  }
}
