import { describe, expect, test } from "vitest";
import { thrown } from "../../test/helpers/service-fixtures.js";
import { isChainKey, parseChainKey } from "./chain-key.js";

describe("chain keys", () => {
  test("parse into namespace and id", () => {
    expect(parseChainKey("evm:31337")).toEqual({ namespace: "evm", id: "31337" });
    expect(parseChainKey("cosmos:wasmd-1")).toEqual({ namespace: "cosmos", id: "wasmd-1" });
    expect(parseChainKey("evm:Anvil_2")).toEqual({ namespace: "evm", id: "Anvil_2" });
  });

  test.each([
    ["evm:31337", true],
    ["evm:anvil", true],
    [`${"a".repeat(32)}:${"B".repeat(32)}`, true],
    [`${"a".repeat(33)}:1`, false],
    [`evm:${"1".repeat(33)}`, false],
    ["EVM:1", false],
    ["evm:", false],
    [":1", false],
    ["evm:1:2", false],
    ["evm 1", false],
    [42, false],
  ])("isChainKey(%j) is %s", (key, ok) => {
    expect(isChainKey(key)).toBe(ok);
  });

  test("errors name the part that is wrong", () => {
    expect(thrown(() => parseChainKey("evm31337"))).toMatchInlineSnapshot(`
      {
        "code": "WAVS_ERR_INPUT_INVALID",
        "message": "'evm31337' is not a chain key (expected namespace:id, e.g. evm:31337)",
        "path": undefined,
      }
    `);
    expect(thrown(() => parseChainKey("EVM:1")).message).toMatchInlineSnapshot(
      `"chain key 'EVM:1': namespace 'EVM' must be 1 to 32 characters of a-z, 0-9 and -"`,
    );
    expect(thrown(() => parseChainKey("evm:a.b")).message).toMatchInlineSnapshot(
      `"chain key 'evm:a.b': id 'a.b' must be 1 to 32 characters of a-z, A-Z, 0-9, _ and -"`,
    );
  });
});
