import { iWavsServiceHandlerAbi } from "@wavs-ts/contracts";
import { encodeFunctionData, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { encodeHandleCall, handledEventId } from "./handle-call.js";

const envelope = {
  eventId: "0x00112233445566778899AABBCCDDEEFF00112233" as Hex,
  ordering: "0x000000000000000000000007" as Hex,
  payload: "0xdeadbeef" as Hex,
};
const signatureData = {
  signers: ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Hex],
  signatures: [`0x${"ab".repeat(65)}` as Hex],
  referenceBlock: 12,
};

describe("handleSignedEnvelope calldata", () => {
  it("is what viem's encodeFunctionData makes, and gives back its event id", () => {
    const data = encodeHandleCall(envelope, signatureData);
    expect(data).toBe(
      encodeFunctionData({
        abi: iWavsServiceHandlerAbi,
        functionName: "handleSignedEnvelope",
        args: [envelope, signatureData],
      }),
    );
    expect(handledEventId(data)).toBe(envelope.eventId.toLowerCase());
    expect(handledEventId(data.toUpperCase().replace("0X", "0x") as Hex)).toBe(
      envelope.eventId.toLowerCase(),
    );
  });

  it("says undefined for other calls and for cut calldata", () => {
    const data = encodeHandleCall(envelope, signatureData);
    expect(handledEventId("0xa9059cbb0000")).toBeUndefined();
    expect(handledEventId("0x")).toBeUndefined();
    expect(handledEventId(data.slice(0, 80) as Hex)).toBeUndefined();
  });
});
