// WavsServiceManager.validate against a real anvil, with signatures from envelope.ts.
import { type Address, concat, type Hex, hexToBigInt, numberToHex, slice } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectRevert,
  referenceBlock,
  setupService,
  signAll,
  type TestService,
  testEnvelope,
  testKey,
  validate,
} from "../test/helpers/fixtures.js";
import { type Anvil, startAnvil } from "./anvil.js";
import {
  deregisterOperator,
  registerOperator,
  rotateSigningKey,
  setOperatorWeight,
  setQuorumThreshold,
  setServiceURI,
} from "./deploy.js";
import { buildSignatureData, type SignatureData, signEnvelope } from "./envelope.js";
import { decodeRevert, isQuorumPending } from "./errors.js";
import { wavsServiceManagerAbi } from "./generated/WavsServiceManager.js";

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

let anvil: Anvil;

beforeAll(async () => {
  anvil = await startAnvil();
});

afterAll(async () => {
  await anvil?.stop();
});

// Weights 10, 20, 30, 40 with a 2/3 quorum: threshold ceil(200/3) = 67 (a floor would give 66).
const WEIGHTS = [10n, 20n, 30n, 40n];

describe("validate accepts", () => {
  let service: TestService;
  beforeAll(async () => {
    service = await setupService(anvil, WEIGHTS);
    await anvil.mine();
  });

  it("a quorum of real signatures", async () => {
    const envelope = testEnvelope();
    const [, , op30, op40] = service.operators;
    const data = await signAll(envelope, [op30!.signer, op40!.signer], await referenceBlock(anvil));
    await expect(validate(anvil, service.serviceManager, envelope, data)).resolves.toBeUndefined();
  });

  it("all operators signing", async () => {
    const envelope = testEnvelope();
    const signers = service.operators.map((o) => o.signer);
    const data = await signAll(envelope, signers, await referenceBlock(anvil));
    await validate(anvil, service.serviceManager, envelope, data);
  });

  it("exactly the threshold weight (rounded up)", async () => {
    const other = await setupService(anvil, [1n, 1n, 1n], [2n, 3n], "exact-");
    await anvil.mine();
    const envelope = testEnvelope();
    const rb = await referenceBlock(anvil);
    const two = await signAll(
      envelope,
      other.operators.slice(0, 2).map((o) => o.signer),
      rb,
    );
    await validate(anvil, other.serviceManager, envelope, two);
    const one = await signAll(envelope, [other.operators[0]!.signer], rb);
    await expectRevert(validate(anvil, other.serviceManager, envelope, one), "InsufficientQuorum", [
      1n,
      2n,
      3n,
    ]);
  });
});

describe("validate rejects", () => {
  let service: TestService;
  let rb: number;
  beforeAll(async () => {
    service = await setupService(anvil, WEIGHTS);
    await anvil.mine();
    rb = await referenceBlock(anvil);
  });

  const quorumSigners = () => [service.operators[2]!.signer, service.operators[3]!.signer];

  it("unsorted signers with InvalidSignatureOrder", async () => {
    const envelope = testEnvelope();
    const data = await signAll(envelope, quorumSigners(), rb);
    const reversed: SignatureData = {
      signers: [...data.signers].reverse(),
      signatures: [...data.signatures].reverse(),
      referenceBlock: rb,
    };
    await expectRevert(
      validate(anvil, service.serviceManager, envelope, reversed),
      "InvalidSignatureOrder",
    );
  });

  it("a duplicate signer with InvalidSignatureOrder", async () => {
    const envelope = testEnvelope();
    const data = await signAll(envelope, quorumSigners(), rb);
    const duplicated: SignatureData = {
      signers: [data.signers[0]!, data.signers[0]!, data.signers[1]!],
      signatures: [data.signatures[0]!, data.signatures[0]!, data.signatures[1]!],
      referenceBlock: rb,
    };
    await expectRevert(
      validate(anvil, service.serviceManager, envelope, duplicated),
      "InvalidSignatureOrder",
    );
  });

  it("signers and signatures of different lengths, or none, with InvalidSignatureLength", async () => {
    const envelope = testEnvelope();
    const data = await signAll(envelope, quorumSigners(), rb);
    const mismatch: SignatureData = { ...data, signatures: data.signatures.slice(0, 1) };
    await expectRevert(
      validate(anvil, service.serviceManager, envelope, mismatch),
      "InvalidSignatureLength",
    );
    const empty: SignatureData = { signers: [], signatures: [], referenceBlock: rb };
    await expectRevert(
      validate(anvil, service.serviceManager, envelope, empty),
      "InvalidSignatureLength",
    );
  });

  it("a 64-byte signature with InvalidSignatureLength", async () => {
    const envelope = testEnvelope();
    const data = await signAll(envelope, quorumSigners(), rb);
    const short: SignatureData = {
      ...data,
      signatures: [data.signatures[0]!, slice(data.signatures[1]!, 0, 64)],
    };
    await expectRevert(
      validate(anvil, service.serviceManager, envelope, short),
      "InvalidSignatureLength",
    );
  });

  it("a signature over another envelope with InvalidSignature", async () => {
    const envelope = testEnvelope();
    const other = testEnvelope();
    const [a, b] = quorumSigners();
    const parts = [
      { signer: a!.address, signature: await signEnvelope(envelope, a!) },
      { signer: b!.address, signature: await signEnvelope(other, b!) },
    ];
    const data = buildSignatureData(parts, rb);
    await expectRevert(validate(anvil, service.serviceManager, envelope, data), "InvalidSignature");
  });

  it("a malleated (high-s) or bad-v signature with InvalidSignature", async () => {
    const envelope = testEnvelope();
    const [a] = quorumSigners();
    const signature = await signEnvelope(envelope, a!);
    const r = slice(signature, 0, 32);
    const s = hexToBigInt(slice(signature, 32, 64));
    const v = Number.parseInt(signature.slice(-2), 16);
    // (r, n - s, v ^ 1) recovers to the same address: accepting it would make signatures malleable.
    const twin = concat([
      r,
      numberToHex(SECP256K1_N - s, { size: 32 }),
      v === 27 ? "0x1c" : "0x1b",
    ]);
    const highS: SignatureData = { signers: [a!.address], signatures: [twin], referenceBlock: rb };
    await expectRevert(
      validate(anvil, service.serviceManager, envelope, highS),
      "InvalidSignature",
    );
    const badV: SignatureData = {
      signers: [a!.address],
      signatures: [concat([slice(signature, 0, 64), "0x01"])],
      referenceBlock: rb,
    };
    await expectRevert(validate(anvil, service.serviceManager, envelope, badV), "InvalidSignature");
  });

  it("an unknown signer with SignerNotRegistered (0x3dda1739)", async () => {
    const envelope = testEnvelope();
    const stranger = testKey("stranger");
    const data = await signAll(envelope, [...quorumSigners(), stranger], rb);
    let caught: unknown;
    await validate(anvil, service.serviceManager, envelope, data).catch((error) => {
      caught = error;
    });
    expect(decodeRevert(caught)?.errorName).toBe("SignerNotRegistered");
    expect(decodeRevert(caught)?.data).toBe("0x3dda1739");
    expect(isQuorumPending(caught)).toBe(true);
  });

  it("insufficient weight with InsufficientQuorum(signer, threshold, total)", async () => {
    const envelope = testEnvelope();
    const [op10, op20, op30] = service.operators;
    const data = await signAll(envelope, [op10!.signer, op20!.signer, op30!.signer], rb);
    let caught: unknown;
    await validate(anvil, service.serviceManager, envelope, data).catch((error) => {
      caught = error;
    });
    expect(decodeRevert(caught)).toMatchObject({
      errorName: "InsufficientQuorum",
      args: [60n, 67n, 100n],
    });
    expect(isQuorumPending(caught)).toBe(true);
  });

  it("a reference block that is not in the past with InvalidSignatureBlock", async () => {
    const envelope = testEnvelope();
    const latest = Number(await anvil.blockNumber());
    for (const block of [latest + 1, latest + 100, 2 ** 32 - 1]) {
      const data = await signAll(envelope, quorumSigners(), block);
      await expectRevert(
        validate(anvil, service.serviceManager, envelope, data),
        "InvalidSignatureBlock",
      );
    }
    // The same signatures referencing the previous block pass.
    const ok = await signAll(envelope, quorumSigners(), latest - 1);
    await validate(anvil, service.serviceManager, envelope, ok);
  });

  it("an operator set without weight with InsufficientQuorumZero", async () => {
    const empty = await setupService(anvil, [0n], [1n, 2n], "zero-");
    await anvil.mine();
    const envelope = testEnvelope();
    const data = await signAll(envelope, [empty.operators[0]!.signer], await referenceBlock(anvil));
    await expectRevert(
      validate(anvil, empty.serviceManager, envelope, data),
      "InsufficientQuorumZero",
    );
  });

  it("errors other than a missing quorum are not 'pending'", async () => {
    const envelope = testEnvelope();
    const data = await signAll(envelope, quorumSigners(), rb);
    const reversed: SignatureData = {
      signers: [...data.signers].reverse(),
      signatures: [...data.signatures].reverse(),
      referenceBlock: rb,
    };
    const error = await validate(anvil, service.serviceManager, envelope, reversed).catch((e) => e);
    expect(isQuorumPending(error)).toBe(false);
  });
});

describe("weights are read as of the reference block", () => {
  it("a weight decrease after the reference block does not invalidate older signatures", async () => {
    const service = await setupService(anvil, WEIGHTS, [2n, 3n], "down-");
    const clients = anvil.clients(0);
    const [, op20, op30, op40] = service.operators;
    await anvil.mine();
    const before = (await referenceBlock(anvil)) + 1; // the latest block: after registration
    await setOperatorWeight(clients, service.serviceManager, op40!.operator, 0n);
    await anvil.mine();
    const after = await referenceBlock(anvil);

    const envelope = testEnvelope();
    const signers = [op20!.signer, op30!.signer, op40!.signer];
    await validate(
      anvil,
      service.serviceManager,
      envelope,
      await signAll(envelope, signers, before),
    );
    // After the change: 20 + 30 + 0 of 60, threshold ceil(120 / 3) = 40 -> still enough;
    // without op20 it is 30 < 40.
    await validate(
      anvil,
      service.serviceManager,
      envelope,
      await signAll(envelope, signers, after),
    );
    const twoSigners = [op30!.signer, op40!.signer];
    await validate(
      anvil,
      service.serviceManager,
      envelope,
      await signAll(envelope, twoSigners, before),
    );
    await expectRevert(
      validate(anvil, service.serviceManager, envelope, await signAll(envelope, twoSigners, after)),
      "InsufficientQuorum",
      [30n, 40n, 60n],
    );
  });

  it("a weight increase after the reference block does not validate older signatures", async () => {
    const service = await setupService(anvil, WEIGHTS, [2n, 3n], "up-");
    const clients = anvil.clients(0);
    const [op10, op20, op30] = service.operators;
    await anvil.mine();
    const before = (await referenceBlock(anvil)) + 1;
    await setOperatorWeight(clients, service.serviceManager, op10!.operator, 100n);
    await anvil.mine();
    const after = await referenceBlock(anvil);

    const envelope = testEnvelope();
    const signers = [op10!.signer, op20!.signer, op30!.signer];
    await expectRevert(
      validate(anvil, service.serviceManager, envelope, await signAll(envelope, signers, before)),
      "InsufficientQuorum",
      [60n, 67n, 100n],
    );
    // Total 190, threshold ceil(380 / 3) = 127, signed 100 + 20 + 30 = 150.
    await validate(
      anvil,
      service.serviceManager,
      envelope,
      await signAll(envelope, signers, after),
    );
  });

  it("registration and deregistration take effect from their block on", async () => {
    const service = await setupService(anvil, WEIGHTS, [1n, 2n], "reg-");
    const clients = anvil.clients(0);
    await anvil.mine();
    const before = (await referenceBlock(anvil)) + 1;
    const newcomer = {
      operator: anvil.walletClient(7).account.address,
      signer: testKey("reg-newcomer"),
    };
    await registerOperator(clients, service.serviceManager, {
      operator: newcomer.operator,
      signingKey: newcomer.signer.address,
      weight: 1000n,
    });
    const leaver = service.operators[3]!;
    await deregisterOperator(clients, service.serviceManager, leaver.operator);
    await anvil.mine();
    const after = await referenceBlock(anvil);

    const envelope = testEnvelope();
    await expectRevert(
      validate(
        anvil,
        service.serviceManager,
        envelope,
        await signAll(envelope, [newcomer.signer], before),
      ),
      "SignerNotRegistered",
    );
    await validate(
      anvil,
      service.serviceManager,
      envelope,
      await signAll(envelope, [newcomer.signer], after),
    );
    // 30 + 40 of 100 met the 1/2 quorum before the leaver left; afterwards its key is unknown.
    const pair = [service.operators[2]!.signer, leaver.signer];
    await validate(anvil, service.serviceManager, envelope, await signAll(envelope, pair, before));
    await expectRevert(
      validate(anvil, service.serviceManager, envelope, await signAll(envelope, pair, after)),
      "SignerNotRegistered",
    );
  });

  it("treats signatures referencing a block before registration as unregistered", async () => {
    const service = await setupService(anvil, WEIGHTS, [2n, 3n], "past-");
    await anvil.mine();
    const envelope = testEnvelope();
    const data = await signAll(
      envelope,
      service.operators.map((o) => o.signer),
      1,
    );
    await expectRevert(
      validate(anvil, service.serviceManager, envelope, data),
      "SignerNotRegistered",
    );
  });

  it("finds the right checkpoint among many (binary search over the history)", async () => {
    const service = await setupService(anvil, [5n, 5n], [1n, 2n], "history-");
    const clients = anvil.clients(0);
    const op = service.operators[0]!;
    const client = anvil.publicClient();
    const expected: { block: bigint; weight: bigint }[] = [];
    for (const weight of [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]) {
      const hash = await setOperatorWeight(clients, service.serviceManager, op.operator, weight);
      const { blockNumber } = await client.getTransactionReceipt({ hash });
      expected.push({ block: blockNumber, weight });
      await anvil.mine(2);
    }
    const read = (
      functionName: "getSigningKeyWeightAt" | "getTotalWeightAt",
      args: readonly unknown[],
    ) =>
      client.readContract({
        address: service.serviceManager,
        abi: wavsServiceManagerAbi,
        functionName,
        args: args as never,
      });
    for (const { block, weight } of expected) {
      for (const at of [block, block + 1n, block + 2n]) {
        expect(await read("getSigningKeyWeightAt", [op.signer.address, at])).toEqual([
          true,
          weight,
        ]);
        expect(await read("getTotalWeightAt", [at])).toBe(weight + 5n);
      }
    }
    const registeredAt = expected[0]!.block - 1n;
    expect(await read("getSigningKeyWeightAt", [op.signer.address, registeredAt])).toEqual([
      true,
      5n,
    ]);
    expect(await read("getSigningKeyWeightAt", [op.signer.address, 1n])).toEqual([false, 0n]);
    expect(await read("getTotalWeightAt", [1n])).toBe(0n);
  });
});

describe("signing key rotation", () => {
  it("a rotated key stops working, the new key works, old signatures keep their block", async () => {
    const service = await setupService(anvil, [50n, 50n], [1n, 2n], "rot-");
    const op = service.operators[0]!;
    const oldKey = op.signer;
    const newKey = testKey("rot-new");
    await anvil.mine();
    const before = (await referenceBlock(anvil)) + 1;
    // The operator rotates its own key (the owner could too).
    await rotateSigningKey(anvil.clients(1), service.serviceManager, op.operator, newKey.address);
    await anvil.mine();
    const after = await referenceBlock(anvil);

    const client = anvil.publicClient();
    const read = (functionName: "getLatestOperatorForSigningKey", key: Address) =>
      client.readContract({
        address: service.serviceManager,
        abi: wavsServiceManagerAbi,
        functionName,
        args: [key],
      });
    expect(await read("getLatestOperatorForSigningKey", oldKey.address)).toBe(
      "0x0000000000000000000000000000000000000000",
    );
    expect(await read("getLatestOperatorForSigningKey", newKey.address)).toBe(op.operator);

    const envelope = testEnvelope();
    await expectRevert(
      validate(anvil, service.serviceManager, envelope, await signAll(envelope, [oldKey], after)),
      "SignerNotRegistered",
    );
    await validate(
      anvil,
      service.serviceManager,
      envelope,
      await signAll(envelope, [newKey], after),
    );
    await validate(
      anvil,
      service.serviceManager,
      envelope,
      await signAll(envelope, [oldKey], before),
    );
    await expectRevert(
      validate(anvil, service.serviceManager, envelope, await signAll(envelope, [newKey], before)),
      "SignerNotRegistered",
    );
  });

  it("only the owner or the operator may rotate, and keys cannot be shared", async () => {
    const service = await setupService(anvil, [1n, 1n], [1n, 2n], "rot2-");
    const [a, b] = service.operators;
    await expectRevert(
      rotateSigningKey(anvil.clients(5), service.serviceManager, a!.operator, testKey("x").address),
      "Unauthorized",
    );
    await expectRevert(
      rotateSigningKey(anvil.clients(0), service.serviceManager, a!.operator, b!.signer.address),
      "SigningKeyInUse",
    );
  });
});

describe("administration", () => {
  it("is restricted to the owner", async () => {
    const service = await setupService(anvil, [1n], [1n, 2n], "admin-");
    const stranger = anvil.clients(4);
    await expectRevert(
      registerOperator(stranger, service.serviceManager, {
        operator: anvil.walletClient(5).account.address,
        signingKey: testKey("admin-x").address,
        weight: 1n,
      }),
      "Unauthorized",
    );
    await expectRevert(
      setQuorumThreshold(stranger, service.serviceManager, 1n, 2n),
      "Unauthorized",
    );
    await expectRevert(setServiceURI(stranger, service.serviceManager, "x"), "Unauthorized");
    await expectRevert(
      setOperatorWeight(stranger, service.serviceManager, service.operators[0]!.operator, 5n),
      "Unauthorized",
    );
  });

  it("updates the quorum threshold with QuorumThresholdUpdated and refuses bad fractions", async () => {
    const service = await setupService(anvil, [1n], [1n, 2n], "quorum-");
    const clients = anvil.clients(0);
    const hash = await setQuorumThreshold(clients, service.serviceManager, 3n, 4n);
    const receipt = await clients.publicClient.getTransactionReceipt({ hash });
    const events = await clients.publicClient.getContractEvents({
      address: service.serviceManager,
      abi: wavsServiceManagerAbi,
      eventName: "QuorumThresholdUpdated",
      blockHash: receipt.blockHash,
    });
    expect(events.map((e) => e.args)).toEqual([{ numerator: 3n, denominator: 4n }]);
    expect(
      await clients.publicClient.readContract({
        address: service.serviceManager,
        abi: wavsServiceManagerAbi,
        functionName: "getQuorumThreshold",
      }),
    ).toEqual([3n, 4n]);
    for (const [n, d] of [
      [0n, 1n],
      [3n, 2n],
      [1n, 0n],
    ] as const) {
      await expectRevert(
        setQuorumThreshold(clients, service.serviceManager, n, d),
        "InvalidQuorumParameters",
      );
    }
  });

  it("stores the service URI with ServiceURIUpdated", async () => {
    const service = await setupService(anvil, [1n], [1n, 2n], "uri-");
    const clients = anvil.clients(0);
    const uri = "https://example.invalid/service.json";
    const hash = await setServiceURI(clients, service.serviceManager, uri);
    const receipt = await clients.publicClient.getTransactionReceipt({ hash });
    const events = await clients.publicClient.getContractEvents({
      address: service.serviceManager,
      abi: wavsServiceManagerAbi,
      eventName: "ServiceURIUpdated",
      blockHash: receipt.blockHash,
    });
    expect(events.map((e) => e.args.serviceURI)).toEqual([uri]);
    const read = (functionName: "getServiceURI") =>
      clients.publicClient.readContract({
        address: service.serviceManager,
        abi: wavsServiceManagerAbi,
        functionName,
      });
    expect(await read("getServiceURI")).toBe(uri);
  });

  it("reports weights, keys and the (absent) EigenLayer wiring", async () => {
    const service = await setupService(anvil, [7n, 8n], [1n, 2n], "views-");
    const client = anvil.publicClient();
    const call = <T>(functionName: string, args: readonly unknown[] = []) =>
      client.readContract({
        address: service.serviceManager,
        abi: wavsServiceManagerAbi,
        functionName: functionName as "getTotalWeight",
        args: args as [],
      }) as Promise<T>;
    const [a] = service.operators;
    expect(await call<bigint>("getOperatorWeight", [a!.operator])).toBe(7n);
    expect(await call<bigint>("getOperatorWeight", [testKey("nobody").address])).toBe(0n);
    expect(await call<Address>("getOperatorSigningKey", [a!.operator])).toBe(a!.signer.address);
    expect(await call<bigint>("getTotalWeight")).toBe(15n);
    for (const name of ["getAllocationManager", "getDelegationManager", "getStakeRegistry"]) {
      expect(await call<Hex>(name)).toBe("0x0000000000000000000000000000000000000000");
    }
    await expectRevert(
      registerOperator(anvil.clients(0), service.serviceManager, {
        operator: a!.operator,
        signingKey: testKey("views-again").address,
        weight: 1n,
      }),
      "OperatorAlreadyRegistered",
    );
    await expectRevert(
      registerOperator(anvil.clients(0), service.serviceManager, {
        operator: anvil.walletClient(8).account.address,
        signingKey: testKey("views-big").address,
        weight: 2n ** 96n,
      }),
      "WeightTooLarge",
    );
  });
});
