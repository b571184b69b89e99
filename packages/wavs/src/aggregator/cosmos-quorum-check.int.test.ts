// The Cosmos quorum check and landing search against our CosmWasm handler and manager on a
// real wasmd.
import {
  cosmwasmCode,
  cosmwasmSignedEnvelope,
  type Envelope,
  signEnvelope,
  ZERO_ORDERING,
} from "@wavs-ts/contracts";
import { encodeAbiParameters, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTestCosmos,
  type TestCosmos,
  WASMD_HOOK_TIMEOUT,
} from "../../test/helpers/cosmos-harness.js";
import { createCosmosRpc } from "../triggers/index.js";
import { checkCosmosLandingTx, findCosmosLanding } from "./cosmos-landing.js";
import { CosmosManagerCache, checkCosmosQuorum } from "./cosmos-quorum-check.js";

let cosmos: TestCosmos;
let handler: string;
const keys = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
const envelope: Envelope = {
  eventId: toHex(42, { size: 20 }),
  ordering: ZERO_ORDERING,
  payload: encodeAbiParameters(
    [{ type: "tuple", components: [{ type: "uint64" }, { type: "bytes" }] }],
    [[1n, toHex("x")]],
  ),
};

beforeAll(async () => {
  cosmos = await startTestCosmos("wasmd-quorum");
  const manager = await cosmos.wallet.deploy(cosmwasmCode("service_manager"), {}, "quorum manager");
  handler = await cosmos.wallet.deploy(cosmwasmCode("handler"), { service_manager: manager }, "h");
  const tx = await cosmos.wallet.execute(
    manager,
    keys.map((key, i) => ({
      set_signing_key: {
        operator: `0x${String(i + 1).padStart(40, "0")}`,
        signing_key: privateKeyToAccount(key).address,
        weight: "1",
      },
    })),
  );
  // weights count from the block after registration
  const rpc = createCosmosRpc({
    chain: cosmos.key,
    endpoints: [cosmos.chain.rpcUrl],
    webSocket: false,
  });
  while ((await rpc.getLatestHeight()) <= BigInt(tx.height) + 1n) {
    await new Promise((r) => setTimeout(r, 50));
  }
  rpc.close();
}, WASMD_HOOK_TIMEOUT);

afterAll(async () => {
  await cosmos?.stop();
});

const signatures = (n: number) =>
  Promise.all(
    keys.slice(0, n).map(async (key) => ({
      signer: privateKeyToAccount(key).address,
      signature: await signEnvelope(envelope, key),
    })),
  );

describe("checkCosmosQuorum (real wasmd, our handler and manager)", () => {
  it("pending with one of three signatures, reached with two, an error for a forged one", async () => {
    const rpc = createCosmosRpc({
      chain: cosmos.key,
      endpoints: [cosmos.chain.rpcUrl],
      webSocket: false,
    });
    const managers = new CosmosManagerCache();
    try {
      const one = await checkCosmosQuorum({
        rpc,
        handler,
        envelope,
        signatures: await signatures(1),
        managers,
      });
      expect(one).toEqual({
        kind: "pending",
        reason: "insufficient quorum: signer weight 1 of threshold 2 (total 3)",
      });
      const two = await checkCosmosQuorum({
        rpc,
        handler,
        envelope,
        signatures: await signatures(2),
        managers,
      });
      expect(two.kind).toBe("reached");
      const [good] = await signatures(1);
      const forged = await checkCosmosQuorum({
        rpc,
        handler,
        envelope,
        signatures: [
          good!,
          {
            signer: privateKeyToAccount(keys[1]!).address,
            signature: await signEnvelope(envelope, generatePrivateKey()),
          },
        ],
        managers,
      });
      expect(forged.kind).toBe("error");
      const notHandler = await checkCosmosQuorum({
        rpc,
        handler: cosmos.trigger,
        envelope,
        signatures: await signatures(2),
        managers: new CosmosManagerCache(),
      });
      expect(notHandler).toMatchObject({
        kind: "error",
        reason: expect.stringMatching(/cannot prepare the quorum check/),
      });
    } finally {
      rpc.close();
    }
  });
});

describe("Cosmos landing (real wasmd, tx and tx_search)", () => {
  it("finds the transaction that landed an event on the handler, and only that event's", async () => {
    const rpc = createCosmosRpc({
      chain: cosmos.key,
      endpoints: [cosmos.chain.rpcUrl],
      webSocket: false,
    });
    try {
      const from = await rpc.getLatestHeight();
      const check = await checkCosmosQuorum({
        rpc,
        handler,
        envelope,
        signatures: await signatures(2),
        managers: new CosmosManagerCache(),
      });
      if (check.kind !== "reached") throw new Error(`no quorum: ${JSON.stringify(check)}`);
      const landed = await cosmos.wallet.execute(handler, [
        { wavs_handle_signed_envelope: cosmwasmSignedEnvelope(envelope, check.signatureData) },
      ]);
      const proof = {
        txHash: landed.transactionHash,
        block: BigInt(landed.height),
        from: cosmos.wallet.address,
      };
      const search = { handler, eventId: envelope.eventId };
      expect(await findCosmosLanding(rpc, { ...search, fromHeight: from })).toEqual(proof);
      const other = { handler, eventId: toHex(43, { size: 20 }) };
      expect(await findCosmosLanding(rpc, { ...other, fromHeight: from })).toBeUndefined();
      expect(
        await findCosmosLanding(rpc, { ...search, fromHeight: BigInt(landed.height) + 1n }),
      ).toBeUndefined();
      // an announced hash is checked on its own
      const hash = landed.transactionHash;
      expect(await checkCosmosLandingTx(rpc, { ...search, hash })).toEqual({
        kind: "landed",
        ...proof,
      });
      expect(await checkCosmosLandingTx(rpc, { ...other, hash })).toMatchObject({ kind: "no" });
      // unknown to the node: possibly still in a mempool
      expect(await checkCosmosLandingTx(rpc, { ...search, hash: "AB".repeat(32) })).toEqual({
        kind: "pending",
      });
      // a replay of the same event is refused by the handler: a failed tx proves nothing
      const handled = (await cosmos.wallet.query(handler, { handled_count: {} })) as number;
      await expect(
        cosmos.wallet.execute(handler, [
          { wavs_handle_signed_envelope: cosmwasmSignedEnvelope(envelope, check.signatureData) },
        ]),
      ).rejects.toThrow(/already/);
      expect(await cosmos.wallet.query(handler, { handled_count: {} })).toBe(handled);
    } finally {
      rpc.close();
    }
  });
});
