import type { Command } from "commander";
import { hexToBytes } from "viem";
import {
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
        const cosmos = ctx.devState?.cosmos;
        const service = ctx.devState?.services.find((s) => s.name === flags.service);
        if (cosmos && service?.cosmos_handler && flags.contract === undefined) {
          // a service of `wavs dev --cosmos` whose results land on the local Cosmos chain
          const landed = await waitForResult(
            () =>
              readCosmosResult({
                rpcUrl: cosmos.rpc_url,
                chain: cosmos.chain,
                handler: service.cosmos_handler as string,
                triggerId: BigInt(id),
              }),
            Number(flags.wait) * 1000,
          );
          const text = printableUtf8(hexToBytes(landed.data));
          if (flags.json) {
            printJson({
              trigger_id: landed.triggerId.toString(),
              data: landed.data,
              text,
              chain: cosmos.chain,
              handler: service.cosmos_handler,
              event_id: landed.eventId,
            });
            return;
          }
          process.stdout.write(
            [
              `trigger id: ${landed.triggerId}`,
              `data: ${landed.data}`,
              ...(text === null ? [] : [`text: ${text}`]),
              `on: ${cosmos.chain} ${service.cosmos_handler}`,
              `event id: ${landed.eventId}`,
            ]
              .map((line) => `${line}\n`)
              .join(""),
          );
          return;
        }
        const { contract, endpoint } = exampleContractTarget(ctx, flags, "submit");
        const result = await readResultWaiting(
          { rpcUrl: endpoint.rpcUrl, contract, triggerId: BigInt(id) },
          Number(flags.wait) * 1000,
        );
        const text = printableUtf8(hexToBytes(result.data));
        if (flags.json) {
          printJson({
            trigger_id: result.triggerId.toString(),
            data: result.data,
            text,
            signers: result.signers,
            reference_block: result.referenceBlock,
            event_id: result.eventId,
          });
          return;
        }
        process.stdout.write(
          [
            `trigger id: ${result.triggerId}`,
            `data: ${result.data}`,
            ...(text === null ? [] : [`text: ${text}`]),
            `signers: ${result.signers.join(", ")}`,
            `event id: ${result.eventId}`,
          ]
            .map((line) => `${line}\n`)
            .join(""),
        );
      },
    );
}
