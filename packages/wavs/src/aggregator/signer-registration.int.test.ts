// The signer registration check against a real anvil and our WavsServiceManager.
import {
  type Anvil,
  deployServiceSet,
  registerOperator,
  type ServiceSet,
  startAnvil,
} from "@wavs-ts/contracts";
import type { Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainClients } from "../chain/index.js";
import { WavsConfigSchema } from "../config/index.js";
import type { Service } from "../service/index.js";
import { SignerRegistration } from "./signer-registration.js";

describe("signer registration (real anvil, WavsServiceManager)", () => {
  let anvil: Anvil;
  let set: ServiceSet;
  let chains: ChainClients;
  let service: Pick<Service, "manager">;

  beforeAll(async () => {
    anvil = await startAnvil();
    set = await deployServiceSet(anvil.clients(0));
    const config = WavsConfigSchema.parse({
      chains: { evm: { "31337": { http_endpoint: anvil.rpcUrl } } },
    });
    chains = new ChainClients(config);
    service = { manager: { type: "evm", chain: "evm:31337", address: set.serviceManager } };
  }, 120_000);

  const newKey = () => privateKeyToAccount(generatePrivateKey()).address;
  const fresh = () => new SignerRegistration(chains, { registeredMs: 60_000, unknownMs: 60_000 });
  /** Register `key` as the signing key of anvil account `operator` (each test its own). */
  const register = (key: Address, operator: number) =>
    registerOperator(anvil.clients(0), set.serviceManager, {
      operator: anvil.clients(operator).walletClient.account.address,
      signingKey: key,
      weight: 1n,
    });

  afterAll(async () => {
    chains?.close();
    await anvil?.stop();
  });

  it("a presence's check of a key not registered yet does not make its first submissions look unregistered", async () => {
    const registration = fresh();
    const key = newKey();
    // a presence arrives before the operator registered its key: not registered, not cached
    expect(await registration.check(service, key, true)).toMatchObject({
      registered: false,
      known: true,
    });
    await register(key, 1);
    // its first submission is checked on-chain again: registered
    expect(await registration.check(service, key)).toEqual({ registered: true });
  });

  it("a submission's negative answer is cached, and a presence asks again past it", async () => {
    const registration = fresh();
    const key = newKey();
    expect(await registration.check(service, key)).toMatchObject({ registered: false });
    await register(key, 2);
    // within the cache's time a submission still gets the cached answer ...
    expect(await registration.check(service, key)).toMatchObject({ registered: false });
    // ... a presence asks the manager again, and the registered answer is cached for both
    expect(await registration.check(service, key, true)).toEqual({ registered: true });
    expect(await registration.check(service, key)).toEqual({ registered: true });
  });
});
