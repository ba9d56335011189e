import * as assert from "node:assert/strict";
import { ecrImageUri } from "../../lib/images";

describe("ecrImageUri", () => {
  const registry = "123456789012";

  it("references a tag with `:` in the region's registry", () => {
    assert.equal(
      ecrImageUri(registry, "ap-south-1", "helium-backend", "v1.4.2"),
      "123456789012.dkr.ecr.ap-south-1.amazonaws.com/helium-backend:v1.4.2",
    );
  });

  it("references a sha256 digest with `@`, so the exact image is pinned", () => {
    const digest = `sha256:${"ab12".repeat(16)}`;
    assert.equal(
      ecrImageUri(registry, "us-east-1", "helium-frontend", digest),
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/helium-frontend@${digest}`,
    );
  });

  it("treats a tag that merely contains sha256 as a tag", () => {
    assert.equal(
      ecrImageUri(registry, "eu-west-1", "helium-backend", "build-sha256"),
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/helium-backend:build-sha256",
    );
  });
});
