import { describe, expect, it } from "vitest";
import { classifySendError } from "./call-errors.js";

// Shaped like viem errors: a message, `details` with the node's words, and a cause chain.
function rpcError(details: string): Error {
  const inner = Object.assign(new Error("RPC Request failed."), { details });
  return Object.assign(new Error("Transaction creation failed."), { details, cause: inner });
}

describe("classifySendError", () => {
  it("recognises missing funds (anvil, geth, reth wordings)", () => {
    expect(classifySendError(rpcError("Insufficient funds for gas * price + value"))).toBe("funds");
    expect(
      classifySendError(rpcError("insufficient funds for gas * price + value: balance 0")),
    ).toBe("funds");
  });

  it("recognises nonce trouble that a resync fixes", () => {
    expect(classifySendError(rpcError("nonce too low"))).toBe("nonce");
    expect(classifySendError(rpcError("nonce too high"))).toBe("nonce");
    expect(classifySendError(rpcError("replacement transaction underpriced"))).toBe("nonce");
  });

  it("treats an already known transaction as sent, and the rest as other", () => {
    expect(classifySendError(rpcError("already known"))).toBe("known");
    expect(classifySendError(new Error("fetch failed"))).toBe("other");
  });
});
