import * as assert from "node:assert/strict";
import { fargateSizeError } from "../../lib/fargate";

describe("lib/fargate fargateSizeError", () => {
  // Pairs from the ECS developer guide ("Task CPU and memory"), not from our table.
  const accepted: Array<[number, number]> = [
    [256, 512],
    [256, 2048],
    [512, 1024],
    [512, 4096],
    [1024, 2048],
    [1024, 8192],
    [2048, 16384],
    [4096, 30720],
    [8192, 20480],
    [8192, 61440],
    [16384, 32768],
    [16384, 122880],
  ];
  for (const [cpu, memory] of accepted) {
    it(`accepts ${cpu} CPU / ${memory} MiB`, () => assert.equal(fargateSizeError(cpu, memory), undefined));
  }

  const rejected: Array<[number, number]> = [
    [256, 4096],
    [512, 512],
    [1024, 1024],
    [2048, 2048],
    [4096, 32768],
    [8192, 18432],
    [16384, 16384],
  ];
  for (const [cpu, memory] of rejected) {
    it(`rejects ${cpu} CPU / ${memory} MiB, naming the memory allowed with that CPU`, () => {
      const error = fargateSizeError(cpu, memory);
      assert.ok(error, "expected an error");
      assert.match(error, new RegExp(`memory ${memory} MiB is not valid with cpu ${cpu}`));
      assert.match(error, /allowed memory:/);
    });
  }

  it("rejects a CPU size Fargate does not offer and lists the ones it does", () => {
    const error = fargateSizeError(768, 2048);
    assert.ok(error);
    assert.match(error, /cpu 768 is not a Fargate CPU size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384/);
  });

  it("describes long memory ranges as a range with a step", () => {
    assert.match(fargateSizeError(4096, 7000) ?? "", /8192-30720 in steps of 1024 MiB/);
  });
});
