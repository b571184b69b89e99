import type { Command } from "commander";
import {
  addCosmosTrigger,
  addTrigger,
  builderContext,
  cliAccount,
  exampleContractTarget,
} from "../builder/index.js";
import { parseInputBytes } from "../exec/index.js";
import { printJson } from "./output.js";

/** `wavs trigger --input <...>`: call addTrigger on the example trigger contract; print the id. */
export function registerTrigger(program: Command): void {
  program
    .command("trigger")
    .description(
      "fire the example trigger contract (SimpleTrigger's addTrigger, or add_message on Cosmos for a service triggered there); prints the trigger id",
    )
    .requiredOption("--input <text|0xhex|@file>", "the trigger data")
    .option("--contract <0x..>", "SimpleTrigger address (default: from `wavs dev`)")
    .option("--service <name>", "which `wavs dev` service (default: its first)")
    .option("--chain <key>", "chain key (default: from `wavs dev`)")
    .option("--home <dir>", "directory holding wavs.toml (chains, credential)")
    .option("--json", "print one JSON object on stdout")
    .action(
      async (flags: {
        input: string;
        contract?: string;
        service?: string;
        chain?: string;
        home?: string;
        json?: boolean;
      }) => {
        const ctx = builderContext(flags.home);
        const data = parseInputBytes(flags.input);
        const cosmos = ctx.devState?.cosmos;
        const service = ctx.devState?.services.find((s) => s.name === flags.service);
        if (cosmos && service?.trigger_chain === cosmos.chain && flags.contract === undefined) {
          // a service of `wavs dev --cosmos` triggered on the local Cosmos chain
          const added = await addCosmosTrigger({
            rpcUrl: cosmos.rpc_url,
            mnemonic: cosmos.faucet_mnemonic,
            prefix: "wasm",
            gasPrice: "0ustake",
            contract: cosmos.trigger,
            data,
          });
          report(flags.json, {
            triggerId: added.triggerId,
            txHash: added.txHash,
            block: BigInt(added.height),
            chain: cosmos.chain,
            contract: cosmos.trigger,
          });
          return;
        }
        const { contract, endpoint } = exampleContractTarget(ctx, flags, "trigger");
        const added = await addTrigger({
          rpcUrl: endpoint.rpcUrl,
          account: cliAccount(ctx.loaded.config, endpoint),
          contract,
          data,
        });
        report(flags.json, {
          triggerId: added.triggerId,
          txHash: added.txHash,
          block: added.blockNumber,
          chain: endpoint.chain,
          contract,
        });
      },
    );
}

/** Print a trigger that was added: its id alone on stdout (or one JSON object). */
function report(
  json: boolean | undefined,
  t: { triggerId: bigint; txHash: string; block: bigint; chain: string; contract: string },
): void {
  if (json) {
    printJson({
      trigger_id: t.triggerId.toString(),
      tx_hash: t.txHash,
      block_number: t.block.toString(),
      chain: t.chain,
      contract: t.contract,
    });
  } else {
    // stdout is the id alone, so `ID=$(wavs trigger --input hi)` works; the rest is for humans
    process.stdout.write(`${t.triggerId}\n`);
    process.stderr.write(
      `trigger ${t.triggerId} added on ${t.contract} (${t.chain}, block ${t.block}, tx ${t.txHash})\n`,
    );
  }
}
