import type { Command } from "commander";
import { addTrigger, builderContext, cliAccount, exampleContractTarget } from "../builder/index.js";
import { parseInputBytes } from "../exec/index.js";
import { printJson } from "./output.js";

/** `wavs trigger --input <...>`: call addTrigger on the example trigger contract; print the id. */
export function registerTrigger(program: Command): void {
  program
    .command("trigger")
    .description(
      "call addTrigger(bytes) on the example SimpleTrigger contract; prints the trigger id",
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
        const { contract, endpoint } = exampleContractTarget(ctx, flags, "trigger");
        const added = await addTrigger({
          rpcUrl: endpoint.rpcUrl,
          account: cliAccount(ctx.loaded.config, endpoint),
          contract,
          data,
        });
        if (flags.json) {
          printJson({
            trigger_id: added.triggerId.toString(),
            tx_hash: added.txHash,
            block_number: added.blockNumber.toString(),
            chain: endpoint.chain,
            contract,
          });
        } else {
          // stdout is the id alone, so `ID=$(wavs trigger --input hi)` works; the rest is for humans
          process.stdout.write(`${added.triggerId}\n`);
          process.stderr.write(
            `trigger ${added.triggerId} added on ${contract} (${endpoint.chain}, block ${added.blockNumber}, tx ${added.txHash})\n`,
          );
        }
      },
    );
}
