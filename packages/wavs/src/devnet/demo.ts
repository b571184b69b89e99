/**
 * `wavs dev --demo`: fire one trigger on a dev service and wait until its result is stored
 * on-chain by the handler, then report what happened end to end. On timeout, the error says
 * what the operators did with the trigger (their latest execution), not just "timed out".
 */
import { simpleSubmitAbi } from "@wavs-ts/contracts";
import { type Address, type Hash, hexToBytes, parseEventLogs, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DevService } from "../builder/index.js";
import { addTrigger, readResultWaiting } from "../builder/index.js";
import { printableUtf8, WavsError } from "../internal/index.js";
import type { Devnet } from "./devnet.js";

/** What the demo saw. */
export interface DemoResult {
  service: string;
  triggerId: bigint;
  triggerTx: Hash;
  input: string;
  /** The stored result, as UTF-8 text when printable, else 0x hex. */
  output: string;
  resultTx: Hash;
  resultBlock: bigint;
  signers: readonly Address[];
  operators: number;
  /** From the trigger transaction being mined to the result being readable. */
  latencyMs: number;
}

/** Fire a trigger with `input` on `service` (default: square, else the first) and await the result. */
export async function runDemo(
  devnet: Devnet,
  options: { service?: string; input?: string; timeoutMs?: number } = {},
): Promise<DemoResult> {
  const services = devnet.state.services;
  const service =
    services.find((s) => s.name === (options.service ?? "square")) ??
    (options.service === undefined ? services[0] : undefined);
  if (!service) {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `no dev service named ${options.service}`, {
      hint: `the dev network runs: ${services.map((s) => s.name).join(", ")}`,
    });
  }
  const input = options.input ?? (service.name === "square" ? '{"x":7}' : "hello, WAVS");
  const rpcUrl = devnet.anvil.rpcUrl;
  const added = await addTrigger({
    rpcUrl,
    account: privateKeyToAccount(devnet.anvil.privateKeys[0]!),
    contract: service.trigger as Address,
    data: new TextEncoder().encode(input),
  });
  const mined = Date.now();
  const result = await readResultWaiting(
    { rpcUrl, contract: service.submit as Address, triggerId: added.triggerId },
    options.timeoutMs ?? 60_000,
    50,
  ).catch(async (err: unknown) => {
    if (!(err instanceof WavsError && err.code === "WAVS_ERR_RESULT_NOT_FOUND")) throw err;
    throw new WavsError(
      "WAVS_ERR_DEV_DEMO_FAILED",
      `trigger ${added.triggerId} on ${service.name}: no result on-chain after ${Math.round((Date.now() - mined) / 1000)} s`,
      { hint: await whatOperatorsDid(devnet, service) },
    );
  });
  const latencyMs = Date.now() - mined;
  const landed = await resultTransaction(devnet, service, added.triggerId);
  const bytes = hexToBytes(result.data);
  return {
    service: service.name,
    triggerId: added.triggerId,
    triggerTx: added.txHash,
    input,
    output: printableUtf8(bytes) ?? toHex(bytes),
    resultTx: landed.hash,
    resultBlock: landed.block,
    signers: result.signers,
    operators: devnet.operators.length,
    latencyMs,
  };
}

/** The transaction that stored the result (SimpleSubmit's EnvelopeHandled for the trigger). */
async function resultTransaction(
  devnet: Devnet,
  service: DevService,
  triggerId: bigint,
): Promise<{ hash: Hash; block: bigint }> {
  const logs = await devnet.anvil.publicClient().getLogs({
    address: service.submit as Address,
    fromBlock: 0n,
    toBlock: "latest",
  });
  const handled = parseEventLogs({ abi: simpleSubmitAbi, logs, eventName: "EnvelopeHandled" }).find(
    (l) => l.args.triggerId === triggerId,
  );
  if (!handled) {
    throw new WavsError(
      "WAVS_ERR_DEV_DEMO_FAILED",
      `the result of trigger ${triggerId} is stored but no EnvelopeHandled event names it`,
    );
  }
  return { hash: handled.transactionHash, block: handled.blockNumber };
}

/** The latest execution of the service on the first operator, as a hint for a failed demo. */
async function whatOperatorsDid(devnet: Devnet, service: DevService): Promise<string> {
  const node = devnet.operators[0];
  if (!node) return "no operator is running";
  try {
    const res = await fetch(`${node.url}/services/${service.service_id}/executions?limit=1`);
    const body = (await res.json()) as {
      executions?: { status: string; error_code?: string | null; error_message?: string | null }[];
    };
    const last = body.executions?.[0];
    if (!last)
      return `operator 1 has not executed anything for ${service.name}: see ${devnet.layout.operatorLog(0)}`;
    if (last.status === "failed") {
      return `operator 1's execution failed: ${last.error_code}: ${last.error_message}`;
    }
    return `operator 1's latest execution is ${last.status}; the aggregation may be waiting for quorum: see ${devnet.layout.operatorLog(0)}`;
  } catch {
    return `operator 1 does not answer: see ${devnet.layout.operatorLog(0)}`;
  }
}
