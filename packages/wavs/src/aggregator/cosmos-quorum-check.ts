/**
 * Quorum on a Cosmos chain (spec: cosmos.md): the `wavs_validate` query of the manager that
 * the handler's `wavs_service_manager` names, with signers sorted ascending and
 * `reference_block` = the application's height - 1. `insufficient_quorum` and `insufficient_quorum_zero`
 * mean "wait for more signatures", as InsufficientQuorum does on EVM; any other error means
 * the signatures cannot land. Groundwork of Cosmos submission (issue 16).
 */
import {
  buildSignatureData,
  cosmwasmSignedEnvelope,
  type Envelope,
  type EnvelopeSignature,
  type SignatureData,
} from "@wavs-ts/contracts";
import { errorMessage } from "../internal/index.js";
import type { CosmosRpc } from "../triggers/index.js";

/** Outcome of a Cosmos quorum check. */
export type CosmosQuorumOutcome =
  | { kind: "reached"; manager: string; signatureData: SignatureData }
  | { kind: "pending"; reason: string }
  | { kind: "error"; reason: string };

/** Managers of Cosmos handlers, cached: a deployed handler's manager does not change. */
export class CosmosManagerCache {
  private readonly managers = new Map<string, string>();

  /** The manager a handler validates against (`{"wavs_service_manager": {}}`). */
  async managerOf(rpc: CosmosRpc, handler: string): Promise<string> {
    const key = `${rpc.chain}|${handler}`;
    const hit = this.managers.get(key);
    if (hit) return hit;
    const manager = await rpc.queryContractSmart(handler, { wavs_service_manager: {} });
    if (typeof manager !== "string" || manager === "") {
      throw new Error(`${handler} answered wavs_service_manager with ${JSON.stringify(manager)}`);
    }
    this.managers.set(key, manager);
    return manager;
  }
}

/** Whether a `wavs_validate` error means "more signatures may still come". */
function pendingReason(err: unknown): string | undefined {
  if (err === "insufficient_quorum_zero") return "insufficient quorum: no weight yet";
  if (typeof err === "object" && err !== null && "insufficient_quorum" in err) {
    const q = (err as { insufficient_quorum: Record<string, string> }).insufficient_quorum;
    return `insufficient quorum: signer weight ${q.signer_weight} of threshold ${q.threshold_weight} (total ${q.total_weight})`;
  }
  return undefined;
}

/** Ask the handler's manager whether these signatures carry quorum for the envelope. */
export async function checkCosmosQuorum(args: {
  rpc: CosmosRpc;
  handler: string;
  envelope: Envelope;
  signatures: readonly EnvelopeSignature[];
  managers: CosmosManagerCache;
}): Promise<CosmosQuorumOutcome> {
  const { rpc } = args;
  let manager: string;
  let signatureData: SignatureData;
  try {
    manager = await args.managers.managerOf(rpc, args.handler);
    // the height the query runs at: the manager refuses a reference block that is not before it
    const height = await rpc.getAppHeight();
    signatureData = buildSignatureData(args.signatures, height > 0n ? height - 1n : 0n);
  } catch (err) {
    return { kind: "error", reason: `cannot prepare the quorum check: ${errorMessage(err)}` };
  }
  let answer: unknown;
  try {
    answer = await rpc.queryContractSmart(manager, {
      wavs_validate: cosmwasmSignedEnvelope(args.envelope, signatureData),
    });
  } catch (err) {
    return { kind: "error", reason: `wavs_validate failed: ${errorMessage(err)}` };
  }
  if (answer === "ok") return { kind: "reached", manager, signatureData };
  const err = (answer as { err?: unknown } | null)?.err;
  const pending = pendingReason(err);
  if (pending !== undefined) return { kind: "pending", reason: pending };
  return { kind: "error", reason: `wavs_validate: ${JSON.stringify(err ?? answer)}` };
}
