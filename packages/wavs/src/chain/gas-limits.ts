/**
 * Gas limits of one sending account. `eth_estimateGas` is a binary search: anvil runs the call
 * a dozen times, ~2.3 ms of its CPU against ~0.3 ms for one `eth_call`, and it was the costliest
 * request a node made per event. Results of a service go to the same handler with calldata of
 * the same length, so the limit found for one is tried first for the next: one `eth_call` capped
 * at that limit. A call that succeeds under a cap succeeds as a transaction with that gas limit
 * on the same state, which is all an estimate says; anything else (out of gas, a revert, an RPC
 * error) falls back to the estimate, whose answer the caller judges as before.
 */
import { type Address, type Hex, type PublicClient, toHex } from "viem";

/** Limits remembered (handler, selector and calldata length each). */
const REMEMBERED = 256;

/** See the module comment. */
export class GasLimits {
  /** Gas limit (margin included) by `to|selector|length`, oldest first. */
  private readonly limits = new Map<string, bigint>();

  constructor(
    private readonly deps: {
      client: PublicClient;
      from: Address;
      /** Margin over the estimate, percent. */
      marginPercent: number;
    },
  ) {}

  /** The gas limit for a call of `data` to `to`: a remembered one that still suffices, or estimate + margin. */
  async limitFor(to: Address, data: Hex): Promise<bigint> {
    const key = `${to.toLowerCase()}|${data.slice(0, 10)}|${data.length}`;
    const known = this.limits.get(key);
    if (known !== undefined && (await this.suffices(to, data, known))) return known;
    const { client, from, marginPercent } = this.deps;
    const estimate = await client.estimateGas({ account: from, to, data });
    const limit = (estimate * BigInt(100 + marginPercent)) / 100n;
    this.limits.delete(key);
    this.limits.set(key, limit);
    if (this.limits.size > REMEMBERED) {
      const oldest = this.limits.keys().next().value;
      if (oldest !== undefined) this.limits.delete(oldest);
    }
    return limit;
  }

  /**
   * Whether the call succeeds with at most `gas`: one `eth_call`, not retried (anvil answers
   * "out of gas" as an internal error, which the transport would otherwise retry).
   */
  private async suffices(to: Address, data: Hex, gas: bigint): Promise<boolean> {
    try {
      await this.deps.client.request(
        {
          method: "eth_call",
          params: [{ from: this.deps.from, to, data, gas: toHex(gas) }, "latest"],
        },
        { retryCount: 0 },
      );
      return true;
    } catch {
      return false;
    }
  }
}
