import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "./error-codes.js";
import { WavsError } from "./wavs-error.js";

const docs = readFileSync(join(import.meta.dirname, "..", "..", "..", "docs", "errors.md"), "utf8");

describe("error codes", () => {
  it.each(Object.keys(ERROR_CODES))(
    "%s is documented in docs/errors.md with its status",
    (code) => {
      const status = ERROR_CODES[code as keyof typeof ERROR_CODES].status;
      expect(docs).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
    },
  );

  it("documents no code that does not exist, with the status and retry column of the table", () => {
    const rows = [
      ...docs.matchAll(/^\|\s*`(WAVS_ERR_[A-Z0-9_]+)`\s*\|\s*(\d+)\s*\|\s*(yes|no)\s*\|/gm),
    ];
    expect(rows.length).toBe(Object.keys(ERROR_CODES).length);
    for (const [, code, status, retry] of rows) {
      expect(Object.hasOwn(ERROR_CODES, code!), `${code} is documented but does not exist`).toBe(
        true,
      );
      const entry = ERROR_CODES[code as keyof typeof ERROR_CODES];
      expect(Number(status), code).toBe(entry.status);
      expect(retry === "yes", code).toBe(entry.retryable);
    }
  });

  it("follows the WAVS_ERR_<AREA>_<WHAT> pattern", () => {
    for (const code of Object.keys(ERROR_CODES))
      expect(code).toMatch(/^WAVS_ERR_[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });

  it("maps codes to HTTP statuses and serialises without hidden fields", () => {
    const e = new WavsError("WAVS_ERR_COMPONENT_NOT_FOUND", "component x is not registered", {
      hint: "upload it",
    });
    expect(e.httpStatus).toBe(404);
    expect(e.retryable).toBe(false);
    expect(e.toJSON()).toEqual({
      code: "WAVS_ERR_COMPONENT_NOT_FOUND",
      message: "component x is not registered",
      hint: "upload it",
    });
  });
});
