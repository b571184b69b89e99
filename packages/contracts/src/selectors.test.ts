// The on-chain ABI is the compatibility promise: these selectors come from the spec
// (shared/spec/contracts.md), not from our own sources.
import {
  type AbiEvent,
  type AbiFunction,
  type AbiParameter,
  toEventSelector,
  toFunctionSelector,
} from "viem";
import { describe, expect, it } from "vitest";
import {
  iWavsServiceHandlerAbi,
  iWavsServiceManagerAbi,
  simpleSubmitAbi,
  simpleTriggerAbi,
  wavsServiceManagerAbi,
} from "./index.js";

const managerSelectors: Record<string, string> = {
  getOperatorWeight: "0x98ec1ac9",
  validate: "0xcd71589e",
  getServiceURI: "0xcc922c6a",
  setServiceURI: "0x5f11301b",
  getLatestOperatorForSigningKey: "0xac7cbfd9",
  getAllocationManager: "0xa28efd6b",
  getDelegationManager: "0xb24e5a3a",
  getStakeRegistry: "0xbef4c839",
};

const handlerSelectors: Record<string, string> = {
  handleSignedEnvelope: "0xf969ff33",
  getServiceManager: "0x4dda0b43",
};

function selectorsOf(abi: readonly { type: string }[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of abi) {
    if (item.type === "function") {
      const fn = item as AbiFunction;
      result[fn.name] = toFunctionSelector(fn);
    }
  }
  return result;
}

type NamedItem = {
  type: string;
  name?: string;
  inputs?: readonly (AbiParameter & { indexed?: boolean })[];
};

// Human-readable form with parameter names and `indexed`, so names are checked too.
function describeItem(item: NamedItem): string {
  const params = (item.inputs ?? []).map(
    (input) =>
      `${input.type}${input.indexed ? " indexed" : ""}${input.name ? ` ${input.name}` : ""}`,
  );
  return `${item.name}(${params.join(", ")})`;
}

function signaturesOf(abi: readonly NamedItem[], type: "error" | "event"): string[] {
  return abi
    .filter((item) => item.type === type)
    .map(describeItem)
    .sort();
}

describe("IWavsServiceManager ABI", () => {
  it("has exactly the spec's functions and selectors", () => {
    expect(selectorsOf(iWavsServiceManagerAbi)).toEqual(managerSelectors);
  });

  it("has exactly the spec's errors", () => {
    expect(signaturesOf(iWavsServiceManagerAbi, "error")).toEqual(
      [
        "InvalidSignatureLength()",
        "InvalidSignatureBlock()",
        "InvalidSignatureOrder()",
        "InvalidSignature()",
        "InsufficientQuorumZero()",
        "InsufficientQuorum(uint256 signerWeight, uint256 thresholdWeight, uint256 totalWeight)",
        "InvalidQuorumParameters()",
        "SignerNotRegistered()",
      ].sort(),
    );
    expect(toFunctionSelector("SignerNotRegistered()")).toBe("0x3dda1739");
  });

  it("has exactly the spec's events", () => {
    expect(signaturesOf(iWavsServiceManagerAbi, "event")).toEqual(
      [
        "QuorumThresholdUpdated(uint256 indexed numerator, uint256 indexed denominator)",
        "ServiceURIUpdated(string serviceURI)",
      ].sort(),
    );
  });

  it("is implemented by WavsServiceManager with the same selectors", () => {
    const implemented = selectorsOf(wavsServiceManagerAbi);
    for (const [name, selector] of Object.entries(managerSelectors)) {
      expect(implemented[name], name).toBe(selector);
    }
    const implementedErrors = signaturesOf(wavsServiceManagerAbi, "error");
    for (const error of signaturesOf(iWavsServiceManagerAbi, "error")) {
      expect(implementedErrors).toContain(error);
    }
  });
});

describe("IWavsServiceHandler ABI", () => {
  it("has exactly the spec's functions and selectors", () => {
    expect(selectorsOf(iWavsServiceHandlerAbi)).toEqual(handlerSelectors);
  });

  it("is implemented by SimpleSubmit with the same selectors", () => {
    const implemented = selectorsOf(simpleSubmitAbi);
    for (const [name, selector] of Object.entries(handlerSelectors)) {
      expect(implemented[name], name).toBe(selector);
    }
  });
});

describe("example contracts", () => {
  it("SimpleTrigger emits NewTrigger(bytes) with the spec's topic", () => {
    const event = simpleTriggerAbi.find(
      (item) => item.type === "event" && item.name === "NewTrigger",
    );
    expect(event).toBeDefined();
    expect(describeItem(event!)).toBe("NewTrigger(bytes triggerData)");
    expect(toEventSelector(event as AbiEvent)).toBe(
      "0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68",
    );
  });
});
