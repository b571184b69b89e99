import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { checksumAddress } from "./address.js";
import { hexToBytes } from "./hex.js";

describe("checksumAddress", () => {
  it("writes EIP-55 checksums as viem does", () => {
    for (const hex of [
      "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
      "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359",
      "0x0000000000000000000000000000000000000000",
      "0xffffffffffffffffffffffffffffffffffffffff",
      "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
    ]) {
      expect(checksumAddress(hexToBytes(hex))).toBe(getAddress(hex));
    }
    // the EIP's own example
    expect(checksumAddress(hexToBytes("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"))).toBe(
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    );
  });
});
