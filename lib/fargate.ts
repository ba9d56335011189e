/**
 * Fargate task sizes. AWS accepts only these CPU/memory pairs (Linux, x86_64 and ARM64); anything else
 * fails at RegisterTaskDefinition, which a mock cannot see, so we check before registering.
 * Source: Amazon ECS developer guide, "Task CPU and memory".
 */
const range = (from: number, to: number, step: number): number[] =>
  Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

/** Returns an error message for an invalid pair, or undefined when AWS accepts it. */
export function fargateSizeError(cpu: number, memory: number): string | undefined {
  const allowedMemory = FARGATE_SIZES.get(cpu);
  if (!allowedMemory) {
    return `cpu ${cpu} is not a Fargate CPU size; allowed: ${[...FARGATE_SIZES.keys()].join(", ")} (CPU units, 1024 = 1 vCPU)`;
  }
  if (!allowedMemory.includes(memory)) {
    const shown =
      allowedMemory.length > 8
        ? `${allowedMemory[0]}-${allowedMemory[allowedMemory.length - 1]} in steps of ${allowedMemory[1] - allowedMemory[0]}`
        : allowedMemory.join(", ");
    return `memory ${memory} MiB is not valid with cpu ${cpu}; allowed memory: ${shown} MiB`;
  }
  return undefined;
}
