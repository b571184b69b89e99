import { WavsError } from "@wavs-ts/errors";
import { describe, expect, it } from "vitest";
import { DIGEST_A, EVM_ADDRESS, specExampleJson } from "../../test/helpers/service-fixtures.js";
import { errorOf, startTestServer } from "../../test/helpers/test-server.js";
import { serviceId } from "../ids/index.js";

const MANAGER = { evm: { chain: "evm:31337", address: EVM_ADDRESS } };
const OTHER_ADDRESS = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

function serviceFor(address: string) {
  return { ...specExampleJson(), manager: { evm: { chain: "evm:31337", address } } };
}

describe("service routes", () => {
  it("registers a published service, lists it, gets it and removes it", async () => {
    const t = await startTestServer();
    const manager = t.node.publish(specExampleJson());

    const add = await t.request("/services", {
      method: "POST",
      json: { service_manager: MANAGER },
    });
    expect(add.status).toBe(204);
    expect(await add.text()).toBe("");

    const list = await t.request("/services");
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({
      services: [specExampleJson()],
      service_ids: [serviceId(manager)],
      component_digests: [DIGEST_A],
    });

    const one = await t.request(`/services/evm:31337/${EVM_ADDRESS}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(specExampleJson());

    const del = await t.request("/services", {
      method: "DELETE",
      json: { service_managers: [MANAGER] },
    });
    expect(del.status).toBe(204);
    expect(t.node.services.size).toBe(0);
  });

  it("accepts the chain key percent-encoded in the path", async () => {
    const t = await startTestServer();
    t.node.publish(specExampleJson());
    await t.request("/services", { method: "POST", json: { service_manager: MANAGER } });
    const res = await t.request(`/services/evm%3A31337/${EVM_ADDRESS}`);
    expect(res.status).toBe(200);
  });

  it("lists nothing on a fresh node", async () => {
    const t = await startTestServer();
    expect(await (await t.request("/services")).json()).toEqual({
      services: [],
      service_ids: [],
      component_digests: [],
    });
  });

  it("answers the signer of a registered service", async () => {
    const t = await startTestServer();
    t.node.publish(specExampleJson());
    t.node.publish(serviceFor(OTHER_ADDRESS));
    await t.request("/services", { method: "POST", json: { service_manager: MANAGER } });
    await t.request("/services", {
      method: "POST",
      json: { service_manager: { evm: { chain: "evm:31337", address: OTHER_ADDRESS } } },
    });
    const res = await t.request("/services/signer", {
      method: "POST",
      json: { service_manager: { evm: { chain: "evm:31337", address: OTHER_ADDRESS } } },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      secp256k1: { hd_index: 2, evm_address: `0x${"2".padStart(40, "0")}` },
    });
  });

  describe("bad input is a 400 naming the field", () => {
    it.each([
      [
        "a malformed address",
        { service_manager: { evm: { chain: "evm:31337", address: "0x12" } } },
        /^service_manager\.evm\.address: /,
      ],
      [
        "an unknown manager kind",
        { service_manager: { solana: { chain: "evm:1", address: "x" } } },
        /^service_manager: /,
      ],
      ["a missing service_manager", {}, /^service_manager: missing \(required\)$/],
      [
        "a misspelled field",
        { service_manager: MANAGER, servicemanager: MANAGER },
        /^servicemanager: unknown field$/,
      ],
      [
        "a manager that is not an object",
        { service_manager: "evm" },
        /^service_manager: expected a JSON object, found 'evm'$/,
      ],
    ])("POST /services with %s", async (_name, body, message) => {
      const t = await startTestServer();
      const res = await t.request("/services", { method: "POST", json: body });
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.message).toMatch(message);
      expect(["WAVS_ERR_INPUT_INVALID", "WAVS_ERR_SERVICE_INVALID"]).toContain(error.code);
    });

    it("DELETE /services names the index of the bad manager", async () => {
      const t = await startTestServer();
      const res = await t.request("/services", {
        method: "DELETE",
        json: { service_managers: [MANAGER, { evm: { chain: "nope", address: EVM_ADDRESS } }] },
      });
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe("WAVS_ERR_SERVICE_INVALID");
      expect(error.message).toMatch(/^service_managers\[1\]\.evm\.chain: /);
    });

    it("GET /services/{chain}/{address} names the path parameter", async () => {
      const t = await startTestServer();
      const badAddress = await errorOf(await t.request("/services/evm:31337/0xnothex"));
      expect(badAddress.message).toMatch(/^path parameter address: /);
      const namespace = await errorOf(await t.request(`/services/solana:1/${EVM_ADDRESS}`));
      expect(namespace.message).toBe("path parameter chain: 'solana' is not one of evm, cosmos");
      const res = await t.request(`/services/not-a-chain/${EVM_ADDRESS}`);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).message).toBe(
        "path parameter chain: 'not-a-chain' is not a chain key (namespace:id, e.g. evm:31337)",
      );
    });

    it("a body that is not JSON", async () => {
      const t = await startTestServer();
      const res = await t.request("/services", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{not json",
      });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe("WAVS_ERR_INPUT_INVALID");
    });

    it("no body at all", async () => {
      const t = await startTestServer();
      const res = await t.request("/services", { method: "POST" });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).message).toBe("request body: missing (expected a JSON object)");
    });
  });

  it("404 for an unknown service", async () => {
    const t = await startTestServer();
    const res = await t.request(`/services/evm:31337/${EVM_ADDRESS}`);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("WAVS_ERR_SERVICE_NOT_FOUND");
    const signer = await t.request("/services/signer", {
      method: "POST",
      json: { service_manager: MANAGER },
    });
    expect(signer.status).toBe(404);
    const del = await t.request("/services", {
      method: "DELETE",
      json: { service_managers: [MANAGER] },
    });
    expect(del.status).toBe(404);
  });

  it("409 passes through when the service is already registered", async () => {
    const t = await startTestServer();
    t.node.publish(specExampleJson());
    const first = await t.request("/services", {
      method: "POST",
      json: { service_manager: MANAGER },
    });
    expect(first.status).toBe(204);
    const again = await t.request("/services", {
      method: "POST",
      json: { service_manager: MANAGER },
    });
    expect(again.status).toBe(409);
    const error = await errorOf(again);
    expect(error.code).toBe("WAVS_ERR_SERVICE_ALREADY_REGISTERED");
  });

  it("502 passes through when the chain read fails", async () => {
    const t = await startTestServer();
    t.node.unreachable.add(JSON.stringify(MANAGER));
    const res = await t.request("/services", {
      method: "POST",
      json: { service_manager: MANAGER },
    });
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({
      error: {
        code: "WAVS_ERR_CHAIN_RPC",
        message: "eth_call getServiceURI failed: connection refused",
      },
    });
  });

  it("keeps the hint of the node's error", async () => {
    const t = await startTestServer();
    t.node.failWith = new WavsError("WAVS_ERR_CHAIN_RPC", "rpc down", { hint: "check the RPC" });
    const error = await errorOf(await t.request("/services"));
    expect(error).toEqual({
      code: "WAVS_ERR_CHAIN_RPC",
      message: "rpc down",
      hint: "check the RPC",
    });
  });
});
