import { describe, expect, it } from "vitest";
import { errorOf } from "../../test/helpers/test-config.js";
import { parseDotenv } from "./dotenv.js";

describe("parseDotenv", () => {
  it("reads plain, exported, quoted and commented assignments", () => {
    const text = [
      "# a comment",
      "",
      "PLAIN=value",
      "SPACED = spaced value   # trailing comment",
      "export EXPORTED=yes",
      "SINGLE='literal $HOME \\n # not a comment'",
      'DOUBLE="line\\nbreak \\"quoted\\""   # comment',
      "URL=https://example.com/#fragment",
      "EMPTY=",
      'MULTI="first',
      'second"',
      "PLAIN=overridden",
    ].join("\r\n");
    expect({ ...parseDotenv(text) }).toEqual({
      PLAIN: "overridden",
      SPACED: "spaced value",
      EXPORTED: "yes",
      SINGLE: "literal $HOME \\n # not a comment",
      DOUBLE: 'line\nbreak "quoted"',
      URL: "https://example.com/#fragment",
      EMPTY: "",
      MULTI: "first\r\nsecond",
    });
  });

  it("names the line of a malformed entry without quoting it", () => {
    const secret = "test test test test test test test test test test test junk";
    const err = errorOf(() => parseDotenv(`A=1\n${secret}\n`, "/x/.env"));
    expect(err.message).toMatchInlineSnapshot(`"/x/.env line 2: expected KEY=VALUE"`);
    expect(err.message).not.toContain("test");
    expect(
      errorOf(() => parseDotenv('A=1\nB="open\nC=2', "/x/.env")).message,
    ).toMatchInlineSnapshot(`"/x/.env line 2: unterminated " quote in B"`);
    expect(errorOf(() => parseDotenv("A='x' y", "/x/.env")).message).toMatchInlineSnapshot(
      `"/x/.env line 1: unexpected text after the quoted value of A"`,
    );
  });
});
