import { describe, expect, it } from "vitest";
import { TEST_MNEMONIC } from "../../test/helpers/test-config.js";
import { mnemonicProblem, normalizeMnemonic } from "./bip39.js";

describe("mnemonicProblem", () => {
  it("accepts valid 12 and 24 word mnemonics", () => {
    expect(mnemonicProblem(TEST_MNEMONIC)).toBeUndefined();
    // The all-zero-entropy vector from the BIP-39 test suite.
    expect(mnemonicProblem(`${"abandon ".repeat(23)}art`)).toBeUndefined();
  });

  it("reports word count, unknown words and a bad checksum without quoting words", () => {
    expect(mnemonicProblem("")).toBe("has 0 words (expected 12, 15, 18, 21 or 24)");
    expect(mnemonicProblem(TEST_MNEMONIC.replace("junk", "junky"))).toBe(
      "word 12 is not in the BIP-39 English word list",
    );
    expect(mnemonicProblem(TEST_MNEMONIC.replace("junk", "test"))).toBe(
      "checksum does not match (a word is probably mistyped or out of order)",
    );
  });

  it("normalizes whitespace", () => {
    expect(normalizeMnemonic(`\n ${TEST_MNEMONIC.replaceAll(" ", "\t ")}  `)).toBe(TEST_MNEMONIC);
  });
});
