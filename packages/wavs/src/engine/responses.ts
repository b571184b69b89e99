import { WavsError } from "../internal/index.js";
import { isCosmosChain } from "../service/index.js";

/** A response of the operator world's `run`, as the node uses it. */
export interface WasmResponse {
  payload: Uint8Array;
  ordering: bigint | undefined;
  eventIdSalt: Uint8Array | undefined;
}

/** An action returned by an aggregator component. */
export type AggregatorAction =
  | { kind: "timer"; delaySecs: bigint }
  | {
      kind: "submit";
      chainType: "evm";
      chain: string;
      address: Uint8Array;
      gasPrice: bigint | undefined;
    }
  | {
      kind: "submit";
      chainType: "cosmos";
      chain: string;
      address: { bech32Addr: string; prefixLen: number };
      gasPrice: bigint | undefined;
    };

function bad(message: string): never {
  throw new WavsError("WAVS_ERR_EXEC_BAD_RESPONSE", message, {
    hint: "fix the component so that it returns what the WAVS world defines",
  });
}

/**
 * Check what `run` returned: a list of responses, each payload within `maxPayloadBytes`, and
 * an event-id-salt on every response when there is more than one (else their event ids would
 * collide).
 */
export function validateResponses(value: unknown, maxPayloadBytes: number): WasmResponse[] {
  if (!Array.isArray(value)) bad("run returned something other than a list of responses");
  const responses = value.map((r, i): WasmResponse => {
    const rec = r as Partial<WasmResponse> | null;
    if (!rec || !(rec.payload instanceof Uint8Array)) bad(`response ${i} has no payload bytes`);
    if (rec.payload.length > maxPayloadBytes) {
      bad(`response ${i} payload is ${rec.payload.length} bytes; the limit is ${maxPayloadBytes}`);
    }
    return { payload: rec.payload, ordering: rec.ordering, eventIdSalt: rec.eventIdSalt };
  });
  if (responses.length > 1) {
    const missing = responses.flatMap((r, i) => (r.eventIdSalt === undefined ? [i] : []));
    if (missing.length > 0) {
      bad(
        // WAVS's words first: builders grep for them
        `When returning multiple responses, they must all have an event id salt: the component returned ${responses.length} responses and response(s) ${missing.join(", ")} carry no event-id-salt`,
      );
    }
  }
  return responses;
}

/** Check and convert what an aggregator export returned into actions. */
export function validateAggregatorActions(value: unknown): AggregatorAction[] {
  if (!Array.isArray(value)) bad("aggregator returned something other than a list of actions");
  return value.map((a, i): AggregatorAction => {
    const action = a as { tag?: string; val?: unknown };
    if (action.tag === "timer") {
      const delay = (action.val as { delay?: { secs?: unknown } })?.delay?.secs;
      if (typeof delay !== "bigint") bad(`action ${i}: timer without a delay`);
      return { kind: "timer", delaySecs: delay };
    }
    if (action.tag === "submit") {
      const sub = action.val as { tag?: string; val?: Record<string, unknown> };
      const v = sub?.val ?? {};
      const gas = v.gasPrice as { value?: [bigint, bigint] } | undefined;
      const gasPrice = gas?.value ? gas.value[0] + (gas.value[1] << 64n) : undefined;
      if (typeof v.chain !== "string") bad(`action ${i}: submit without a chain`);
      // the chain key's family must be the action's: a handler address means nothing on the other
      const onCosmos = isCosmosChain(v.chain);
      if (sub.tag === "evm") {
        if (onCosmos) bad(`action ${i}: submit(evm) names the Cosmos chain ${v.chain}`);
        const raw = (v.address as { rawBytes?: unknown })?.rawBytes;
        if (!(raw instanceof Uint8Array) || raw.length !== 20)
          bad(`action ${i}: submit address is not 20 bytes`);
        return { kind: "submit", chainType: "evm", chain: v.chain, address: raw, gasPrice };
      }
      if (sub.tag === "cosmos") {
        if (!onCosmos)
          bad(`action ${i}: submit(cosmos) names ${v.chain}, not a cosmos:<chain id> chain`);
        const addr = v.address as { bech32Addr?: unknown; prefixLen?: unknown } | undefined;
        if (typeof addr?.bech32Addr !== "string" || addr.bech32Addr === "")
          bad(`action ${i}: submit(cosmos) without a bech32 address`);
        return {
          kind: "submit",
          chainType: "cosmos",
          chain: v.chain,
          address: { bech32Addr: addr.bech32Addr, prefixLen: Number(addr.prefixLen ?? 0) },
          gasPrice,
        };
      }
    }
    return bad(`action ${i} is neither a timer nor a submit`);
  });
}
