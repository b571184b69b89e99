import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import {
  buildSignatureData,
  cosmwasmCode,
  cosmwasmSignedEnvelope,
  signEnvelope,
  ZERO_ORDERING,
} from "@wavs-ts/contracts";
import { encodeAbiParameters, type Hex, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTestCosmos,
  type TestCosmos,
  WASMD_HOOK_TIMEOUT,
} from "../../test/helpers/cosmos-harness.js";
import { SignerRegistration } from "../aggregator/signer-registration.js";
import { WavsConfigSchema } from "../config/index.js";
import { WASMD_DENOM, WASMD_PREFIX } from "../devnet/wasmd-chain.js";
import { ChainClients } from "./chain-clients.js";
import { connectCosmosWallet } from "./cosmos-wallet.js";

const OPERATOR = "0x00000000000000000000000000000000000000A1";
const KEY = "0x00000000000000000000000000000000000000B2";

let cosmos: TestCosmos;
let manager: string;
beforeAll(async () => {
  cosmos = await startTestCosmos("wasmd-contracts");
  manager = await cosmos.wallet.deploy(cosmwasmCode("service_manager"), {}, "manager");
}, WASMD_HOOK_TIMEOUT);
afterAll(async () => {
  await cosmos?.stop();
});

const query = (msg: Record<string, unknown>) => cosmos.wallet.query(manager, msg);

describe("CosmWasm contracts built here, on a real wasmd", () => {
  it("the trigger contract counts messages and refuses bad input with a clear message", async () => {
    const before = (await cosmos.wallet.query(cosmos.trigger, {
      count: {},
    })) as number;
    const { ids } = await cosmos.emit(2);
    expect(ids).toEqual([before + 1, before + 2]);
    expect(await cosmos.wallet.query(cosmos.trigger, { count: {} })).toBe(before + 2);
    await expect(
      cosmos.wallet.execute(cosmos.trigger, [{ add_message: { data: "0xzz" } }]),
    ).rejects.toThrow(/add_message.data must be a non-empty hex string/);
  });

  it("the service manager answers the spec's queries with its defaults", async () => {
    expect(await query({ wavs_service_uri: {} })).toBe("");
    expect(await query({ wavs_quorum_threshold: {} })).toEqual({
      numerator: "2",
      denominator: "3",
    });
    expect(await query({ wavs_operator_weight: { operator_address: OPERATOR } })).toBe("0");
    expect(
      await query({ wavs_latest_operator_for_signing_key: { signing_key_addr: KEY } }),
    ).toBeNull();
    await expect(query({ wavs_validate: { envelope: "", signature_data: {} } })).rejects.toThrow(
      /wavs_validate: expected \{"envelope"/,
    );
  });

  it("sets the service URI (emitting wavs-service-uri-updated), the quorum and signing keys", async () => {
    const uri = 'http://127.0.0.1:1/service.json?a="b"';
    const tx = await cosmos.wallet.execute(manager, [
      { wavs_set_service_uri: { service_uri: uri } },
    ]);
    const event = tx.events.find((e) => e.type === "wasm-wavs-service-uri-updated");
    expect(event?.attributes.find((a) => a.key === "service-uri")?.value).toBe(uri);
    expect(await query({ wavs_service_uri: {} })).toBe(uri);

    await cosmos.wallet.execute(manager, [
      { wavs_set_quorum_threshold: { numerator: "1", denominator: "2" } },
      { set_signing_key: { operator: OPERATOR, signing_key: KEY, weight: "7" } },
    ]);
    expect(await query({ wavs_quorum_threshold: {} })).toEqual({
      numerator: "1",
      denominator: "2",
    });
    expect(
      await query({ wavs_operator_weight: { operator_address: OPERATOR.toLowerCase() } }),
    ).toBe("7");
    expect(await query({ wavs_latest_operator_for_signing_key: { signing_key_addr: KEY } })).toBe(
      OPERATOR.toLowerCase(),
    );
    await expect(
      cosmos.wallet.execute(manager, [
        { wavs_set_quorum_threshold: { numerator: "3", denominator: "2" } },
      ]),
    ).rejects.toThrow(/invalid_quorum_parameters/);
  });

  it("refuses changes from anyone but the admin", async () => {
    const stranger = await DirectSecp256k1HdWallet.generate(24, { prefix: WASMD_PREFIX });
    const [account] = await stranger.getAccounts();
    await cosmos.wallet.send(account!.address, "1000000", WASMD_DENOM);
    const other = await connectCosmosWallet({
      rpcUrl: cosmos.chain.rpcUrl,
      mnemonic: stranger.mnemonic,
      prefix: WASMD_PREFIX,
      gasPrice: `0${WASMD_DENOM}`,
    });
    try {
      await expect(
        other.execute(manager, [{ wavs_set_service_uri: { service_uri: "http://evil" } }]),
      ).rejects.toThrow(/unauthorized/);
    } finally {
      other.disconnect();
    }
    expect(await query({ wavs_service_uri: {} })).not.toBe("http://evil");
  });
});

describe("the CosmWasm service manager's wavs_validate (real wasmd, real signatures)", () => {
  const keys = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
  const accounts = keys.map((k) => privateKeyToAccount(k));
  const operators = accounts.map((_, i) => `0x${String(i + 1).padStart(40, "0")}`);
  const envelope = {
    eventId: `0x${"ab".repeat(20)}` as Hex,
    ordering: ZERO_ORDERING,
    payload: encodeAbiParameters(
      [{ type: "tuple", components: [{ type: "uint64" }, { type: "bytes" }] }],
      [[7n, toHex("result")]],
    ),
  };
  let validating: string;
  let registeredAt: number;

  const height = async () =>
    Number(
      (
        (await (await fetch(`${cosmos.chain.rpcUrl}/status`)).json()) as {
          result: { sync_info: { latest_block_height: string } };
        }
      ).result.sync_info.latest_block_height,
    );
  const after = async (h: number) => {
    while ((await height()) <= h) await new Promise((r) => setTimeout(r, 50));
  };
  const signed = async (signers: number[], referenceBlock: number) =>
    buildSignatureData(
      await Promise.all(
        signers.map(async (i) => ({
          signer: accounts[i]!.address,
          signature: await signEnvelope(envelope, keys[i]!),
        })),
      ),
      referenceBlock,
    );
  const validate = (body: unknown) =>
    cosmos.wallet.query(validating, { wavs_validate: body as Record<string, unknown> });

  beforeAll(async () => {
    validating = await cosmos.wallet.deploy(cosmwasmCode("service_manager"), {}, "validating");
    const tx = await cosmos.wallet.execute(
      validating,
      accounts.map((a, i) => ({
        set_signing_key: { operator: operators[i], signing_key: a.address, weight: "1" },
      })),
    );
    registeredAt = tx.height;
    // a query runs at the application's height, which can trail the block store's by one
    await after(registeredAt + 1);
  });

  it("answers ok for a 2-of-3 quorum of real EIP-191 signatures", async () => {
    const data = await signed([0, 2], registeredAt);
    expect(await validate(cosmwasmSignedEnvelope(envelope, data))).toBe("ok");
  });

  it("answers the spec's errors: insufficient quorum, order, length, forged signature, block", async () => {
    const one = cosmwasmSignedEnvelope(envelope, await signed([1], registeredAt));
    expect(await validate(one)).toEqual({
      err: {
        insufficient_quorum: { signer_weight: "1", threshold_weight: "2", total_weight: "3" },
      },
    });
    const two = cosmwasmSignedEnvelope(envelope, await signed([0, 1], registeredAt));
    const swapped = {
      ...two,
      signature_data: {
        ...two.signature_data,
        signers: [...two.signature_data.signers].reverse(),
        signatures: [...two.signature_data.signatures].reverse(),
      },
    };
    expect(await validate(swapped)).toEqual({ err: "invalid_signature_order" });
    const short = {
      ...two,
      signature_data: {
        ...two.signature_data,
        signatures: [two.signature_data.signatures[0], two.signature_data.signatures[1]!.slice(2)],
      },
    };
    expect(await validate(short)).toEqual({ err: "invalid_signature_length" });
    // the second signer's place holds a signature by a key that is not registered
    const forged = {
      ...two,
      signature_data: {
        ...two.signature_data,
        signatures: [
          two.signature_data.signatures[0],
          (await signEnvelope(envelope, generatePrivateKey())).slice(2),
        ],
      },
    };
    const refused = (await validate(forged)) as { err: { invalid_signature: string } };
    expect(refused.err.invalid_signature).toMatch(
      /^signature 1 recovers to 0x[0-9a-f]{40}, not to its signer/,
    );
    const future = cosmwasmSignedEnvelope(envelope, await signed([0, 1], (await height()) + 100));
    expect(await validate(future)).toEqual({ err: "invalid_signature_block" });
    expect(
      await validate({
        ...two,
        signature_data: { signers: [], signatures: [], reference_block: 1 },
      }),
    ).toEqual({
      err: "insufficient_quorum_zero",
    });
    // weights before registration: none
    expect(
      await validate(cosmwasmSignedEnvelope(envelope, await signed([0, 2], registeredAt - 1))),
    ).toEqual({
      err: "insufficient_quorum_zero",
    });
  });

  it("counts a rotated key only before its rotation", async () => {
    const replacement = generatePrivateKey();
    const rotated = await cosmos.wallet.execute(validating, [
      {
        set_signing_key: {
          operator: operators[0],
          signing_key: privateKeyToAccount(replacement).address,
          weight: "1",
        },
      },
    ]);
    await after(rotated.height + 1);
    expect(
      await cosmos.wallet.query(validating, {
        wavs_latest_operator_for_signing_key: { signing_key_addr: accounts[0]!.address },
      }),
    ).toBeNull();
    // the old key with a reference block after the rotation: it weighs nothing
    expect(
      await validate(cosmwasmSignedEnvelope(envelope, await signed([0, 2], rotated.height))),
    ).toEqual({
      err: {
        insufficient_quorum: { signer_weight: "1", threshold_weight: "2", total_weight: "3" },
      },
    });
    // and before it, it still counted
    expect(
      await validate(cosmwasmSignedEnvelope(envelope, await signed([0, 2], rotated.height - 1))),
    ).toBe("ok");
  });

  it("the handler lands a validated envelope once by trigger id; the replay-accepting one lands it again", async () => {
    const handler = await cosmos.wallet.deploy(
      cosmwasmCode("handler"),
      { service_manager: validating },
      "handler",
    );
    const replaying = await cosmos.wallet.deploy(
      cosmwasmCode("handler"),
      { service_manager: validating, accept_replays: true },
      "replaying handler",
    );
    expect(await cosmos.wallet.query(handler, { wavs_service_manager: {} })).toBe(validating);
    const reference = (await height()) - 1;
    const body = cosmwasmSignedEnvelope(envelope, await signed([1, 2], reference));
    const landed = await cosmos.wallet.execute(handler, [{ wavs_handle_signed_envelope: body }]);
    const event = landed.events.find((e) => e.type === "wasm-wavs-envelope-handled");
    expect(event?.attributes).toEqual(
      expect.arrayContaining([
        { key: "trigger-id", value: "7" },
        { key: "event-id", value: envelope.eventId },
      ]),
    );
    expect(await cosmos.wallet.query(handler, { trigger_data: { trigger_id: "7" } })).toEqual({
      data: Buffer.from("result").toString("base64"),
      event_id: envelope.eventId,
    });
    await expect(
      cosmos.wallet.execute(handler, [{ wavs_handle_signed_envelope: body }]),
    ).rejects.toThrow(/event 0xabab.* was handled already/);
    for (let i = 0; i < 2; i++) {
      await cosmos.wallet.execute(replaying, [{ wavs_handle_signed_envelope: body }]);
    }
    expect(await cosmos.wallet.query(replaying, { handled_count: {} })).toBe("2");
    // without quorum the manager's answer is the handler's error
    const alone = cosmwasmSignedEnvelope(envelope, await signed([1], reference));
    await expect(
      cosmos.wallet.execute(replaying, [{ wavs_handle_signed_envelope: alone }]),
    ).rejects.toThrow(/the service manager refused the envelope: .*insufficient_quorum/);
    expect(await cosmos.wallet.query(handler, { trigger_data: { trigger_id: "8" } })).toBeNull();
  });

  it("a peer's signing key is checked against the Cosmos manager (wavs_latest_operator_for_signing_key)", async () => {
    const config = WavsConfigSchema.parse({
      chains: {
        cosmos: {
          [cosmos.chain.chainId]: {
            bech32_prefix: "wasm",
            rpc_endpoint: cosmos.chain.rpcUrl,
            gas_price: 0,
            gas_denom: "ustake",
          },
        },
      },
    });
    const chains = new ChainClients(config);
    try {
      const registration = new SignerRegistration(chains);
      const service = {
        manager: { type: "cosmos" as const, chain: cosmos.key, address: validating },
      };
      expect(await registration.check(service, accounts[1]!.address)).toEqual({ registered: true });
      // rotated away in the test above, and a key never registered
      for (const key of [accounts[0]!.address, privateKeyToAccount(generatePrivateKey()).address]) {
        expect(await registration.check(service, key)).toMatchObject({
          registered: false,
          known: true,
        });
      }
    } finally {
      chains.close();
    }
  });
});
