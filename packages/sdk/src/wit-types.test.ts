// The SDK's WIT types are generated (scripts/wit-types.mjs); this fails when the committed
// file and the WIT have drifted apart.
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const script = join(dirname(fileURLToPath(import.meta.url)), "..", "scripts", "wit-types.mjs");

describe("generated WIT types", () => {
  it("match what jco generates from the WIT today", async () => {
    const run = await promisify(execFile)(process.execPath, [script, "--check"]).then(
      () => "same",
      (err: { stderr?: string }) => err.stderr ?? String(err),
    );
    expect(run).toBe("same");
  }, 60_000);
});
