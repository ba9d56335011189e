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

/** The memory sizes Fargate pairs with `cpu`, in words: `512, 1024, 2048` or `2048-8192 in steps of 1024`. */
function memoryChoices(allowedMemory: readonly number[]): string {
  return allowedMemory.length > 8
    ? `${allowedMemory[0]}-${allowedMemory[allowedMemory.length - 1]} in steps of ${allowedMemory[1] - allowedMemory[0]}`
    : allowedMemory.join(", ");
}

/** Returns an error message for an invalid pair, or undefined when AWS accepts it. */
export function fargateSizeError(cpu: number, memory: number): string | undefined {
  const allowedMemory = FARGATE_SIZES.get(cpu);
  if (!allowedMemory) {
    return `cpu ${cpu} is not a Fargate CPU size; allowed: ${[...FARGATE_SIZES.keys()].join(", ")} (CPU units, 1024 = 1 vCPU)`;
  }
  if (!allowedMemory.includes(memory)) {
    return `memory ${memory} MiB is not valid with cpu ${cpu}; allowed memory: ${memoryChoices(allowedMemory)} MiB`;
  }
  return undefined;
}

/**
 * What `cpu` may be, when it is not a Fargate CPU size or Fargate does not pair it with `memory`; undefined when
 * AWS accepts the pair. Worded for the `cpu` key, whose value is shown beside it.
 */
export function fargateCpuAllowed(cpu: number, memory: number): string | undefined {
  const allowedMemory = FARGATE_SIZES.get(cpu);
  if (!allowedMemory) {
    return `a Fargate CPU size: ${[...FARGATE_SIZES.keys()].join(", ")} (CPU units, 1024 = 1 vCPU)`;
  }
  if (allowedMemory.includes(memory)) return undefined;
  const cpus = [...FARGATE_SIZES].filter(([, sizes]) => sizes.includes(memory)).map(([size]) => size);
  const pairs =
    cpus.length > 0 ? `a CPU size Fargate pairs with memory ${memory} MiB (cpu ${cpus.join(", ")})` : undefined;
  const keep = `memory ${memoryChoices(allowedMemory)} MiB with cpu ${cpu}`;
  return pairs === undefined ? `${keep} (Fargate pairs no CPU size with memory ${memory} MiB)` : `${pairs}, or ${keep}`;
}
