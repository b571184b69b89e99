import { inspect } from "node:util";
import { WavsError } from "@wavs-ts/errors";
import { describe, expect, it } from "vitest";
import { deriveAccount, HdKeys, hdPath, OPERATOR_HD_INDEX } from "./hd-keys.js";

// Anvil's well-known mnemonic: its dev accounts are exactly m/44'/60'/0'/0/i.
const MNEMONIC = "test test test test test test test test test test test junk";
const ANVIL_ACCOUNTS = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
];

describe("HD keys", () => {
  it("derive m/44'/60'/0'/0/i: index 0 is the operator, services start at 1", () => {
    const keys = new HdKeys(MNEMONIC);
    expect(keys.address(OPERATOR_HD_INDEX)).toBe(ANVIL_ACCOUNTS[0]);
    expect(keys.address(1)).toBe(ANVIL_ACCOUNTS[1]);
    expect(deriveAccount(MNEMONIC, 2).address).toBe(ANVIL_ACCOUNTS[2]);
    expect(hdPath(7)).toBe("m/44'/60'/0'/0/7");
  });

  it("cache accounts and accept a phrase pasted with extra whitespace", () => {
    const keys = new HdKeys(`  ${MNEMONIC.replaceAll(" ", "\n ")}  `);
    expect(keys.account(1)).toBe(keys.account(1));
    expect(keys.address(1)).toBe(ANVIL_ACCOUNTS[1]);
  });

  it("refuse an invalid mnemonic without quoting any of it", () => {
    const bad = "test test test test test test test test test test test test";
    let error: unknown;
    try {
      new HdKeys(bad);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WavsError);
    const e = error as WavsError;
    expect(e.code).toBe("WAVS_ERR_CONFIG_INVALID");
    expect(`${e.message} ${JSON.stringify(e.toJSON())}`).not.toContain("test");
  });

  it("never show the mnemonic in JSON or inspect output", () => {
    const keys = new HdKeys(MNEMONIC);
    keys.account(1);
    expect(JSON.stringify({ keys })).not.toContain("junk");
    expect(inspect(keys, { depth: 5, showHidden: true })).not.toContain("junk");
  });

  it("refuse an index outside the non-hardened range", () => {
    const keys = new HdKeys(MNEMONIC);
    expect(() => keys.account(-1)).toThrow(/HD index -1/);
    expect(() => keys.account(2 ** 31)).toThrow(/HD index/);
  });
});
