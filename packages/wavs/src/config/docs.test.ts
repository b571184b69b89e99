import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CONFIG_FIELDS } from "./schema.js";

const docs = readFileSync(
  fileURLToPath(new URL("../../../../docs/configuration.md", import.meta.url)),
  "utf8",
);

describe("docs/configuration.md", () => {
  it("documents every field and its environment variable", () => {
    const missing = CONFIG_FIELDS.filter(
      (field) =>
        !docs.includes(`\`${field}\``) || !docs.includes(`\`WAVS_${field.toUpperCase()}\``),
    );
    expect(missing).toEqual([]);
  });
});
