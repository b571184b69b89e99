import type { Command } from "commander";
import { type Hex, hexToBytes } from "viem";
import {
  type BuilderContext,
  builderContext,
  exampleContractTarget,
  readCosmosResult,
  readResultWaiting,
  waitForResult,
} from "../builder/index.js";
import { printableUtf8, WavsError } from "../internal/index.js";
import { printJson } from "./output.js";

/** `wavs result <trigger-id>`: read what the example handler stored for a trigger. */
export function registerResult(program: Command): void {
  program
    .command("result")
    .description(
      "read a trigger's result from the example handler (SimpleSubmit, or the CosmWasm handler of a service landing on Cosmos)",
    )
    .argument("<trigger-id>", "the id `wavs trigger` printed")
    .option("--contract <0x..>", "SimpleSubmit address (default: from `wavs dev`)")
    .option("--service <name>", "which `wavs dev` service (default: its first)")
    .option("--chain <key>", "chain key (default: from `wavs dev`)")
    .option("--home <dir>", "directory holding wavs.toml (chains)")
    .option(
      "--wait <seconds>",
      "when there is no result yet, keep looking for up to this many seconds",
      "0",
    )
    .option("--json", "print one JSON object on stdout")
    .action(
      async (
        id: string,
        flags: {
          contract?: string;
          service?: string;
          chain?: string;
          home?: string;
          wait: string;
          json?: boolean;
        },
      ) => {
        if (!/^\d{1,20}$/.test(id) || BigInt(id) >= 2n ** 64n) {
          throw new WavsError(
            "WAVS_ERR_INPUT_INVALID",
            `<trigger-id>: expected an unsigned integer, found ${JSON.stringify(id)}`,
          );
        }
        if (!/^\d{1,5}$/.test(flags.wait)) {
          throw new WavsError(
            "WAVS_ERR_INPUT_INVALID",
            `--wait: expected a number of seconds, found ${JSON.stringify(flags.wait)}`,
          );
        }
        const ctx = builderContext(flags.home);
        const triggerId = BigInt(id).toString();
        const printed = await readPrinted(ctx, triggerId, flags);
        const text = printableUtf8(hexToBytes(printed.data));
        if (flags.json) {
          printJson({
            trigger_id: triggerId,
            data: printed.data,
            text,
            ...printed.json,
            event_id: printed.eventId,
          });
          return;
        }
        process.stdout.write(
          [
            `trigger id: ${triggerId}`,
            `data: ${printed.data}`,
            ...(text === null ? [] : [`text: ${text}`]),
            printed.line,
            `event id: ${printed.eventId}`,
          ]
            .map((line) => `${line}\n`)
            .join(""),
        );
      },
    );
}

/** A result and what is printed about where it is, besides its data and event id. */
interface PrintedResult {
  data: Hex;
  eventId: string;
  /** The human line (signers on EVM, the chain and handler on Cosmos). */
  line: string;
  /** The extra `--json` fields. */
  json: Record<string, unknown>;
}

/** Read a trigger's result from the example handler the flags (or `wavs dev`) point at. */
async function readPrinted(
  ctx: BuilderContext,
  id: string,
  flags: { contract?: string; service?: string; chain?: string; wait: string },
): Promise<PrintedResult> {
  const waitMs = Number(flags.wait) * 1000;
  const cosmos = ctx.devState?.cosmos;
  const handler = ctx.devState?.services.find((s) => s.name === flags.service)?.cosmos_handler;
  if (cosmos && handler && flags.contract === undefined) {
    // a service of `wavs dev --cosmos` whose results land on the local Cosmos chain
    const landed = await waitForResult(
      () =>
        readCosmosResult({
          rpcUrl: cosmos.rpc_url,
          chain: cosmos.chain,
          handler,
          triggerId: BigInt(id),
        }),
      waitMs,
    );
    return {
      data: landed.data,
      eventId: landed.eventId,
      line: `on: ${cosmos.chain} ${handler}`,
      json: { chain: cosmos.chain, handler },
    };
  }
  const { contract, endpoint } = exampleContractTarget(ctx, flags, "submit");
  const result = await readResultWaiting(
    { rpcUrl: endpoint.rpcUrl, contract, triggerId: BigInt(id) },
    waitMs,
  );
  return {
    data: result.data,
    eventId: result.eventId,
    line: `signers: ${result.signers.join(", ")}`,
    json: { signers: result.signers, reference_block: result.referenceBlock },
  };
}
