/**
 * Whether a signing key is registered with a service's manager
 * (`getLatestOperatorForSigningKey(key) != 0` on EVM, `wavs_latest_operator_for_signing_key`
 * not null on Cosmos), cached briefly: a peer's submission signed by a
 * key the manager does not know is refused before it costs an execution, and a burst of
 * submissions from one operator costs one call.
 */
import { iWavsServiceManagerAbi } from "@wavs-ts/contracts";
import { type Address, zeroAddress } from "viem";
import type { ChainClients } from "../chain/index.js";
import type { Service } from "../service/index.js";

/** Answer of a registration check. */
export type RegistrationAnswer =
  | { registered: true }
  /** `known`: the manager answered (the key is not registered); false when it could not be asked. */
  | { registered: false; reason: string; known: boolean };

/** A cached registration check against each service's own manager. */
export class SignerRegistration {
  private readonly cache = new Map<string, { answer: RegistrationAnswer; until: number }>();

  constructor(
    private readonly chains: ChainClients,
    private readonly ttl: { registeredMs: number; unknownMs: number } = {
      registeredMs: 60_000,
      unknownMs: 5_000,
    },
  ) {}

  /**
   * Whether `signer` is a signing key of an operator of the service's manager. `askAgain`: a
   * cached "not registered" is asked again, and a new one is not cached (for a key expected to
   * be registered any moment: a presence, which arrives before its operator registers the key,
   * must not make that operator's first submissions look unregistered).
   */
  async check(
    service: Pick<Service, "manager">,
    signer: Address,
    askAgain = false,
  ): Promise<RegistrationAnswer> {
    const manager = service.manager;
    const key = `${manager.chain}|${manager.address.toLowerCase()}|${signer.toLowerCase()}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now() && (hit.answer.registered || !askAgain)) return hit.answer;
    let answer: RegistrationAnswer;
    try {
      const operator = await this.latestOperator(manager, signer);
      answer =
        operator === undefined
          ? {
              registered: false,
              reason: `signer ${signer} is not registered with the service manager`,
              known: true,
            }
          : { registered: true };
    } catch (err) {
      // not cached: the next submission tries again
      return {
        registered: false,
        reason: `could not check the signer with the service manager: ${(err as Error).message.split("\n")[0]}`,
        known: false,
      };
    }
    if (!answer.registered && askAgain) return answer;
    const ttl = answer.registered ? this.ttl.registeredMs : this.ttl.unknownMs;
    this.cache.set(key, { answer, until: Date.now() + ttl });
    if (this.cache.size > 10_000) this.cache.clear();
    return answer;
  }

  /** The operator whose signing key `signer` is, per the manager; undefined when none. */
  private async latestOperator(
    manager: Service["manager"],
    signer: Address,
  ): Promise<string | undefined> {
    if (manager.type === "cosmos") {
      const operator = await this.chains.cosmos(manager.chain).queryContractSmart(manager.address, {
        wavs_latest_operator_for_signing_key: { signing_key_addr: signer.toLowerCase() },
      });
      return typeof operator === "string" && operator !== "" ? operator : undefined;
    }
    const operator = await this.chains.get(manager.chain).readContract({
      address: manager.address as Address,
      abi: iWavsServiceManagerAbi,
      functionName: "getLatestOperatorForSigningKey",
      args: [signer],
    });
    return operator === zeroAddress ? undefined : operator;
  }
}
