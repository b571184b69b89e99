import { describe, expect, test } from "vitest";
import { COSMOS_ADDRESS, EVM_ADDRESS, thrown } from "../../test/helpers/service-fixtures.js";
import { bytesToHex } from "../service/hex.js";
import { isServiceId, managerAddressBytes, serviceId } from "./service-id.js";

describe("serviceId", () => {
  // Golden vectors computed independently (Python hashlib) from the definition in service.md.
  test("EVM manager: sha256('evm' + chain + 20 address bytes)", () => {
    expect(serviceId({ type: "evm", chain: "evm:31337", address: EVM_ADDRESS })).toBe(
      "76d41ff256803de151fce2ed99d145cf985af50e6def0809072e9f68932f5d11",
    );
    expect(
      serviceId({
        type: "evm",
        chain: "evm:31337",
        address: "0x0000000000000000000000000000000000000000",
      }),
    ).toBe("807ff0222b1ed4636e9575cfcf12596e086b686bdb896fe7813252b33c64d618");
  });

  test("Cosmos manager: sha256('cosmos' + chain + bech32 data bytes)", () => {
    expect(serviceId({ type: "cosmos", chain: "cosmos:wasmd-1", address: COSMOS_ADDRESS })).toBe(
      "9416692c21edf8ab08bde6186c88ff767364576d0aee2293245089ed9d7d8120",
    );
    expect(
      bytesToHex(
        managerAddressBytes({ type: "cosmos", chain: "cosmos:x", address: COSMOS_ADDRESS }),
      ),
    ).toBe("0x0d82b1e7c96dbfa42462fe612932e6bff111d51b");
  });

  test("address case does not matter, the chain does", () => {
    const checksummed = serviceId({ type: "evm", chain: "evm:31337", address: EVM_ADDRESS });
    const lower = serviceId({
      type: "evm",
      chain: "evm:31337",
      address: EVM_ADDRESS.toLowerCase() as `0x${string}`,
    });
    const otherChain = serviceId({ type: "evm", chain: "evm:1", address: EVM_ADDRESS });
    expect(lower).toBe(checksummed);
    expect(otherChain).not.toBe(checksummed);
    expect(isServiceId(checksummed)).toBe(true);
    expect(isServiceId(checksummed.toUpperCase())).toBe(false);
  });

  test("an invalid bech32 manager address is refused", () => {
    expect(
      thrown(() => serviceId({ type: "cosmos", chain: "cosmos:x", address: "cosmos1bad" })).message,
    ).toMatchInlineSnapshot(
      `"'cosmos1bad' is not valid bech32: it is too short to hold a checksum"`,
    );
  });
});
