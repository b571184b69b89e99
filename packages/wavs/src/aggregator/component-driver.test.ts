import { describe, expect, it } from "vitest";
import { txResultToWit } from "./component-driver.js";

describe("txResultToWit", () => {
  it("gives handle-submit-callback the tx hash of the chain family it landed on", () => {
    expect(txResultToWit({ ok: `0x${"ab".repeat(32)}`, family: "evm" })).toEqual({
      tag: "ok",
      val: { tag: "evm", val: new Uint8Array(32).fill(0xab) },
    });
    const cometHash = "C61EE05198111680A39434AA9F19FC4A20C6C9FDB3537A87E9A3E02A23E570DC";
    expect(txResultToWit({ ok: cometHash, family: "cosmos" })).toEqual({
      tag: "ok",
      val: { tag: "cosmos", val: cometHash },
    });
    expect(txResultToWit({ err: "quorum not reached" })).toEqual({
      tag: "err",
      val: "quorum not reached",
    });
  });
});
