// SimpleSubmit (a handler), SimpleTrigger and LogSpam against a real anvil.
import { type Address, decodeAbiParameters, type Hex, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectRevert,
  referenceBlock,
  setupService,
  signAll,
  type TestService,
  testEnvelope,
} from "../test/helpers/fixtures.js";
import { type Anvil, startAnvil } from "./anvil.js";
import { type ContractClients, deployLogSpam, deployServiceSet, waitForSuccess } from "./deploy.js";
import type { Envelope, SignatureData } from "./envelope.js";
import { logSpamAbi } from "./generated/LogSpam.js";
import { simpleSubmitAbi } from "./generated/SimpleSubmit.js";
import { simpleTriggerAbi } from "./generated/SimpleTrigger.js";
import { wavsServiceManagerAbi } from "./generated/WavsServiceManager.js";

let anvil: Anvil;
let clients: ContractClients;
let service: TestService;

beforeAll(async () => {
  anvil = await startAnvil();
  clients = anvil.clients(0);
  service = await setupService(anvil, [10n, 20n, 30n]);
  await anvil.mine();
});

afterAll(async () => {
  await anvil?.stop();
});

async function handle(envelope: Envelope, signatureData: SignatureData, sender = clients) {
  const hash = await sender.walletClient.writeContract({
    address: service.submit,
    abi: simpleSubmitAbi,
    functionName: "handleSignedEnvelope",
    args: [envelope, signatureData],
  });
  return waitForSuccess(sender, hash);
}

function readSubmit<T>(functionName: string, args: readonly unknown[] = []): Promise<T> {
  return clients.publicClient.readContract({
    address: service.submit,
    abi: simpleSubmitAbi,
    functionName: functionName as "getServiceManager",
    args: args as [],
  }) as Promise<T>;
}

describe("SimpleSubmit", () => {
  it("points at its service manager", async () => {
    expect(await readSubmit<Address>("getServiceManager")).toBe(service.serviceManager);
  });

  it("stores the signed data by trigger id", async () => {
    const envelope = testEnvelope(42n, stringToHex("hello wavs"));
    const signers = [service.operators[1]!.signer, service.operators[2]!.signer];
    const signatureData = await signAll(envelope, signers, await referenceBlock(anvil));
    expect(await readSubmit<boolean>("isValidTriggerId", [42n])).toBe(false);

    const receipt = await handle(envelope, signatureData);

    expect(await readSubmit<boolean>("isValidTriggerId", [42n])).toBe(true);
    expect(await readSubmit<boolean>("isValidTriggerId", [43n])).toBe(false);
    expect(await readSubmit<boolean>("isEventHandled", [envelope.eventId])).toBe(true);
    expect(await readSubmit("getDataWithId", [42n])).toEqual({
      triggerId: 42n,
      data: stringToHex("hello wavs"),
    });
    const stored = await readSubmit<{
      data: Hex;
      signatureData: SignatureData;
      envelope: Envelope;
    }>("getSignedData", [42n]);
    expect(stored.data).toBe(stringToHex("hello wavs"));
    expect(stored.envelope).toEqual(envelope);
    expect(stored.signatureData).toEqual(signatureData);

    const events = await clients.publicClient.getContractEvents({
      address: service.submit,
      abi: simpleSubmitAbi,
      eventName: "EnvelopeHandled",
      blockHash: receipt.blockHash,
    });
    expect(events.map((e) => e.args)).toEqual([{ eventId: envelope.eventId, triggerId: 42n }]);
  });

  it("refuses a replayed event id with EventAlreadyHandled", async () => {
    const envelope = testEnvelope(7n);
    const signers = service.operators.map((o) => o.signer);
    const signatureData = await signAll(envelope, signers, await referenceBlock(anvil));
    await handle(envelope, signatureData);
    await expectRevert(handle(envelope, signatureData), "EventAlreadyHandled", [envelope.eventId]);
    // Even with fresh signatures and another reference block, and from another sender.
    await anvil.mine();
    const resigned = await signAll(envelope, signers, await referenceBlock(anvil));
    await expectRevert(handle(envelope, resigned, anvil.clients(3)), "EventAlreadyHandled", [
      envelope.eventId,
    ]);
  });

  it("stores nothing when the manager rejects the signatures", async () => {
    const envelope = testEnvelope(99n);
    const signatureData = await signAll(
      envelope,
      [service.operators[0]!.signer],
      await referenceBlock(anvil),
    );
    // 10 of 60 against a threshold of 40: the manager's error comes back through the handler.
    await expectRevert(handle(envelope, signatureData), "InsufficientQuorum", [10n, 40n, 60n]);
    expect(await readSubmit<boolean>("isValidTriggerId", [99n])).toBe(false);
    expect(await readSubmit<boolean>("isEventHandled", [envelope.eventId])).toBe(false);
  });

  it("overwrites a trigger id's data when another event id carries it (e.g. after a reorg)", async () => {
    const signers = service.operators.map((o) => o.signer);
    const first = testEnvelope(500n, "0x01");
    await handle(first, await signAll(first, signers, await referenceBlock(anvil)));
    const second = testEnvelope(500n, "0x0202");
    const secondData = await signAll(second, signers.slice(1), await referenceBlock(anvil));
    await handle(second, secondData);
    const stored = await readSubmit<{ data: Hex; signatureData: SignatureData }>("getSignedData", [
      500n,
    ]);
    expect(stored.data).toBe("0x0202");
    expect(stored.signatureData).toEqual(secondData);
  });

  it("is accepted by the node-side flow: getServiceManager then a validate dry-run", async () => {
    const envelope = testEnvelope(600n);
    const signatureData = await signAll(
      envelope,
      service.operators.map((o) => o.signer),
      await referenceBlock(anvil),
    );
    const manager = await readSubmit<Address>("getServiceManager");
    await clients.publicClient.readContract({
      address: manager,
      abi: wavsServiceManagerAbi,
      functionName: "validate",
      args: [envelope, signatureData],
    });
    await handle(envelope, signatureData);
  });
});

describe("deployServiceSet", () => {
  it("sets the URI and quorum, then hands the manager to the given owner", async () => {
    const owner = anvil.walletClient(6).account.address;
    const set = await deployServiceSet(clients, {
      owner,
      quorumNumerator: 3n,
      quorumDenominator: 5n,
      serviceURI: "ipfs://service",
    });
    const read = (functionName: "owner" | "getServiceURI" | "getQuorumThreshold") =>
      clients.publicClient.readContract({
        address: set.serviceManager,
        abi: wavsServiceManagerAbi,
        functionName,
      });
    expect(await read("owner")).toBe(owner);
    expect(await read("getServiceURI")).toBe("ipfs://service");
    expect(await read("getQuorumThreshold")).toEqual([3n, 5n]);
  });
});

describe("SimpleTrigger", () => {
  const triggerInfo = [
    {
      type: "tuple",
      components: [
        { name: "triggerId", type: "uint64" },
        { name: "creator", type: "address" },
        { name: "data", type: "bytes" },
      ],
    },
  ] as const;

  it("emits NewTrigger(abi.encode(TriggerInfo)) with ids counting from 1", async () => {
    const creator = anvil.clients(2);
    const ids: bigint[] = [];
    for (const payload of ["0xaa", "0xbbbb"] as const) {
      const hash = await creator.walletClient.writeContract({
        address: service.trigger,
        abi: simpleTriggerAbi,
        functionName: "addTrigger",
        args: [payload],
      });
      const receipt = await waitForSuccess(creator, hash);
      const [event] = await creator.publicClient.getContractEvents({
        address: service.trigger,
        abi: simpleTriggerAbi,
        eventName: "NewTrigger",
        blockHash: receipt.blockHash,
      });
      expect(event!.topics[0]).toBe(
        "0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68",
      );
      const [info] = decodeAbiParameters(triggerInfo, event!.args.triggerData!);
      expect(info.creator).toBe(creator.walletClient.account.address);
      expect(info.data).toBe(payload);
      ids.push(info.triggerId);
      const stored = await creator.publicClient.readContract({
        address: service.trigger,
        abi: simpleTriggerAbi,
        functionName: "getTrigger",
        args: [info.triggerId],
      });
      expect(stored).toEqual(info);
    }
    expect(ids).toEqual([1n, 2n]);
  });
});

describe("LogSpam", () => {
  it("emits Spam(id) for each id in [start, start + count)", async () => {
    const address = await deployLogSpam(clients);
    const hash = await clients.walletClient.writeContract({
      address,
      abi: logSpamAbi,
      functionName: "emitSpam",
      args: [100n, 5n],
    });
    const receipt = await waitForSuccess(clients, hash);
    const events = await clients.publicClient.getContractEvents({
      address,
      abi: logSpamAbi,
      eventName: "Spam",
      blockHash: receipt.blockHash,
    });
    expect(events.map((e) => e.args.id)).toEqual([100n, 101n, 102n, 103n, 104n]);
  });
});
