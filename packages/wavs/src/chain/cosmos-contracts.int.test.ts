import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { cosmwasmCode } from "@wavs-ts/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTestCosmos,
  type TestCosmos,
  WASMD_HOOK_TIMEOUT,
} from "../../test/helpers/cosmos-harness.js";
import { WASMD_DENOM, WASMD_PREFIX } from "../devnet/wasmd-chain.js";
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
      /not built/,
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
