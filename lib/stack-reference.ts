/**
 * StackReferences whose outputs are required: a missing output fails with the referenced stack's name,
 * the output's name and what it is needed for, instead of flowing on as `undefined`.
 */
import * as pulumi from "@pulumi/pulumi";

export class RequiredStackReference {
  private readonly reference: pulumi.StackReference;

  /**
   * @param logicalName Pulumi name of the reference resource (unique per stack), e.g. `shared`.
   * @param stackName Fully qualified or short stack name from config, e.g. `acme/helium/shared`.
   * @param configKey The config key that named the stack, quoted in errors.
   */
  constructor(
    logicalName: string,
    readonly stackName: string,
    private readonly configKey: string,
  ) {
    this.reference = new pulumi.StackReference(logicalName, { name: stackName });
  }

  /** The output `key`; fails when the referenced stack does not export it. */
  require<T>(key: string, purpose: string): pulumi.Output<T> {
    return this.reference.getOutput(key).apply((value: unknown) => {
      if (value === undefined || value === null) {
        throw new Error(
          `Stack "${this.stackName}" (${this.configKey}) exports no output "${key}", needed for ${purpose}. Deploy ${this.stackName} first, or point ${this.configKey} at the right stack.`,
        );
      }
      return value as T;
    });
  }
}
