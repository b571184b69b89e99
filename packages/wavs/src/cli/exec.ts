import type { Command } from "commander";
import { type LoadedConfig, loadConfig, toWitChainConfigs } from "../config/index.js";
import type { ExecLog } from "../engine/index.js";
import {
  AGGREGATOR_FUNCTIONS,
  execAggregator,
  execOperator,
  LocalExecError,
  type LocalExecOptions,
  parseConfigPairs,
  parseInputBytes,
  parseJsonArg,
  replayCosmosEvent,
  replayEvmLog,
} from "../exec/index.js";
import {
  createLogger,
  LOG_LEVELS,
  type LogLevel,
  printableUtf8,
  WavsError,
} from "../internal/index.js";
import { chainKeyProblem, parseTriggerDataJson, type TriggerData } from "../service/index.js";
import { hex, printJson, reportError } from "./output.js";

interface CommonFlags {
  component: string;
  config: string[];
  timeLimit?: string;
  fuelLimit?: string;
  data?: string;
  service?: string;
  workflow?: string;
  home?: string;
  json?: boolean;
  logLevel?: string;
}

interface ExecFlags extends CommonFlags {
  input?: string;
  simulatesTrigger?: string;
  triggerTx?: string;
  logIndex?: string;
  eventIndex?: string;
  chain?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function addCommonFlags(cmd: Command): Command {
  return cmd
    .requiredOption("--component <file>", "component .wasm file")
    .option("--config <key=value>", "component config entry (repeatable)", collect, [])
    .option("--time-limit <seconds>", "wall-clock limit for the execution")
    .option("--fuel-limit <n>", "fuel limit: the run stops with WAVS_ERR_EXEC_FUEL past it")
    .option("--data <dir>", "directory where KV and the component's files persist between runs")
    .option("--service <service.json>", "run with this service's workflow settings and permissions")
    .option("--workflow <id>", "workflow of --service to use (default: the first)")
    .option("--home <dir>", "directory holding wavs.toml (chain configs)")
    .option("--json", "print one JSON object on stdout")
    .option("--log-level <level>", "node log level on stderr", "warn");
}

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `${flag}: expected a positive number, found ${JSON.stringify(value)}`,
    );
  }
  return n;
}

function logLevel(value: string | undefined): LogLevel {
  const level = LOG_LEVELS.find((l) => l === (value ?? "warn"));
  if (level === undefined) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `--log-level: expected one of ${LOG_LEVELS.join(", ")}, found ${JSON.stringify(value)}`,
    );
  }
  return level;
}

/** The engine options of a local run, and the loaded config (for chain lookups). */
function localOptions(flags: CommonFlags): { opts: LocalExecOptions; loaded: LoadedConfig } {
  const level = logLevel(flags.logLevel);
  const loaded = loadConfig({ section: "cli", home: flags.home });
  const fuel = positiveNumber(flags.fuelLimit, "--fuel-limit");
  const opts: LocalExecOptions = {
    componentPath: flags.component,
    config: parseConfigPairs(flags.config),
    timeLimitSeconds: positiveNumber(flags.timeLimit, "--time-limit"),
    fuelLimit: fuel === undefined ? undefined : BigInt(Math.floor(fuel)),
    dataDir: flags.data,
    servicePath: flags.service,
    workflowId: flags.workflow,
    // .env values count too, as for the reference's exec, so WAVS_ENV_* can live there
    hostEnv: loaded.env,
    chains: toWitChainConfigs(loaded.config),
    logger: createLogger({ level }),
  };
  return { opts, loaded };
}

/** The trigger data of `wavs exec`: exactly one of --input, --simulates-trigger, --trigger-tx. */
async function execTriggerData(
  flags: ExecFlags,
  loaded: LoadedConfig,
): Promise<TriggerData | undefined> {
  const given = (["--input", "--simulates-trigger", "--trigger-tx"] as const).filter(
    (_, i) => [flags.input, flags.simulatesTrigger, flags.triggerTx][i] !== undefined,
  );
  if (given.length > 1) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `${given.join(" and ")} cannot be combined: each one is the whole trigger`,
      { hint: "pass one of --input, --simulates-trigger or --trigger-tx" },
    );
  }
  if (flags.triggerTx === undefined) {
    const stray = [
      ["--log-index", flags.logIndex],
      ["--event-index", flags.eventIndex],
      ["--chain", flags.chain],
    ].find(([, v]) => v !== undefined)?.[0];
    if (stray !== undefined) {
      throw new WavsError("WAVS_ERR_INPUT_INVALID", `${stray} only applies with --trigger-tx`, {
        hint: "add --trigger-tx <hash> to replay a log or event, or drop the flag",
      });
    }
    if (flags.simulatesTrigger !== undefined) {
      return parseTriggerDataJson(parseJsonArg(flags.simulatesTrigger, "--simulates-trigger"));
    }
    return flags.input === undefined
      ? undefined
      : { type: "raw", data: parseInputBytes(flags.input) };
  }
  if (flags.chain === undefined) {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", "--trigger-tx needs --chain <key>", {
      hint: "replay an EVM log with --chain evm:<id> --log-index <n>, a Cosmos event with --chain cosmos:<id> --event-index <n>",
    });
  }
  const problem = chainKeyProblem(flags.chain);
  if (problem !== undefined) {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `--chain: ${problem}`, {
      hint: "write the chain as evm:<chain id> or cosmos:<chain id>, e.g. evm:31337",
    });
  }
  const cosmos = flags.chain.startsWith("cosmos:");
  const [flag, value, wrong] = cosmos
    ? ([
        "--event-index",
        flags.eventIndex,
        flags.logIndex === undefined ? undefined : "--log-index",
      ] as const)
    : ([
        "--log-index",
        flags.logIndex,
        flags.eventIndex === undefined ? undefined : "--event-index",
      ] as const);
  if (wrong !== undefined || value === undefined) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      wrong !== undefined
        ? `${wrong} does not apply to ${flags.chain}: use ${flag}`
        : `--trigger-tx on ${flags.chain} needs ${flag} <n>`,
      {
        hint: cosmos
          ? "--event-index is the event's index among its block's events (the trigger data's event_index)"
          : "--log-index is the log's index in its block",
      },
    );
  }
  const index = /^\d{1,15}$/.test(value) ? Number(value) : undefined;
  if (index === undefined) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `${flag}: expected a non-negative integer, found ${JSON.stringify(value)}`,
    );
  }
  if (cosmos) {
    return replayCosmosEvent({
      txHash: flags.triggerTx,
      eventIndex: index,
      chain: flags.chain,
      config: loaded.config,
      configFile: loaded.file,
    });
  }
  return replayEvmLog({
    txHash: flags.triggerTx,
    logIndex: index,
    chain: flags.chain,
    config: loaded.config,
    configFile: loaded.file,
  });
}

/** A u64 as a JSON number when exact, else as a decimal string (JSON numbers are doubles). */
function jsonU64(n: bigint): number | string {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}

/** Durations with microsecond precision: finer digits are noise. */
function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function logsJson(logs: ExecLog[]) {
  return logs.map((l) => ({ level: l.level, source: l.source, message: l.message }));
}

function printLogs(logs: ExecLog[]): void {
  if (logs.length === 0) return;
  process.stdout.write("logs:\n");
  for (const l of logs) process.stdout.write(`  [${l.level}] (${l.source}) ${l.message}\n`);
}

function fail(err: unknown, json: boolean): number {
  if (err instanceof LocalExecError && !json) printLogs(err.logs);
  return reportError(err, json);
}

function describeTrigger(data: TriggerData): string {
  if (data.type === "cosmos_contract_event") {
    return `cosmos_contract_event on ${data.chain}: ${data.event.ty} (event ${data.event_index} of block ${data.block_height}, contract ${data.contract_address.bech32_addr})`;
  }
  if (data.type !== "evm_contract_event") return data.type;
  const log = data.log;
  return `evm_contract_event on ${data.chain}: log ${log.log_index} of tx ${hex(log.tx_hash)} (block ${log.block_number}, contract ${hex(log.address)})`;
}

/** `wavs exec`: run an operator component once and print its responses. */
export function registerExec(program: Command): void {
  addCommonFlags(program.command("exec").description("run an operator component once, locally"))
    .option("--input <text|0xhex|@file>", "raw trigger input")
    .option("--simulates-trigger <json|@file>", "trigger data as /dev/triggers accepts it")
    .option(
      "--trigger-tx <hash>",
      "replay a log (EVM, with --log-index) or a contract event (Cosmos, with --event-index) of this transaction; with --chain",
    )
    .option("--log-index <n>", "with --trigger-tx on EVM: the log's index in its block")
    .option(
      "--event-index <n>",
      "with --trigger-tx on Cosmos: the event's index among its block's events (event_index)",
    )
    .option(
      "--chain <key>",
      "with --trigger-tx: a chain configured in wavs.toml, e.g. evm:31337 or cosmos:wasmd-1",
    )
    .action(async (flags: ExecFlags) => {
      const json = flags.json === true;
      try {
        const { opts, loaded } = localOptions(flags);
        const triggerData = await execTriggerData(flags, loaded);
        const report = await execOperator({ ...opts, triggerData });
        const responses = report.responses.map((r) => ({
          payload: hex(r.payload),
          payload_utf8: printableUtf8(r.payload),
          ordering: r.ordering === undefined ? null : jsonU64(r.ordering),
          event_id_salt: r.eventIdSalt === undefined ? null : hex(r.eventIdSalt),
        }));
        if (json) {
          printJson({
            responses,
            duration_ms: roundMs(report.durationMs),
            fuel_used: report.fuelUsed ?? null,
            logs: logsJson(report.logs),
          });
        } else {
          if (triggerData?.type === "evm_contract_event") {
            process.stdout.write(`trigger: ${describeTrigger(triggerData)}\n`);
          }
          const fuel = report.fuelUsed === undefined ? "" : `, ${report.fuelUsed} fuel`;
          process.stdout.write(
            `${responses.length} response(s) in ${report.durationMs.toFixed(2)} ms${fuel}\n`,
          );
          responses.forEach((r, i) => {
            process.stdout.write(`response ${i}:\n  payload (hex): ${r.payload}\n`);
            if (r.payload_utf8 !== null)
              process.stdout.write(`  payload (utf8): ${r.payload_utf8}\n`);
            if (r.ordering !== null) process.stdout.write(`  ordering: ${r.ordering}\n`);
            if (r.event_id_salt !== null)
              process.stdout.write(`  event id salt: ${r.event_id_salt}\n`);
          });
          printLogs(report.logs);
        }
        process.exitCode = 0;
      } catch (err) {
        process.exitCode = fail(err, json);
      }
    });
}

/** `wavs exec-aggregator`: run one export of an aggregator component and print its actions. */
export function registerExecAggregator(program: Command): void {
  addCommonFlags(
    program.command("exec-aggregator").description("run an aggregator component once, locally"),
  )
    .option(
      "--input <aggregator-input.json|@file>",
      '{"trigger_action": ..., "operator_response": ...}',
    )
    .option("--function <name>", AGGREGATOR_FUNCTIONS.join(" | "), "process-input")
    .option(
      "--tx-result <json|@file>",
      'for handle-submit-callback: {"ok":{"evm":"0x.."}} or {"err":"..."}',
    )
    .action(
      async (flags: CommonFlags & { input?: string; function: string; txResult?: string }) => {
        const json = flags.json === true;
        try {
          const fn = AGGREGATOR_FUNCTIONS.find((f) => f === flags.function);
          if (!fn) {
            throw new WavsError(
              "WAVS_ERR_INPUT_INVALID",
              `--function ${flags.function}: expected one of ${AGGREGATOR_FUNCTIONS.join(", ")}`,
            );
          }
          if (flags.txResult !== undefined && fn !== "handle-submit-callback") {
            throw new WavsError(
              "WAVS_ERR_INPUT_INVALID",
              `--tx-result only applies to --function handle-submit-callback, not ${fn}`,
            );
          }
          const report = await execAggregator({
            ...localOptions(flags).opts,
            fn,
            inputJson: flags.input === undefined ? undefined : parseJsonArg(flags.input, "--input"),
            txResult:
              flags.txResult === undefined
                ? undefined
                : parseJsonArg(flags.txResult, "--tx-result"),
          });
          const actions = report.actions.map((a) =>
            a.kind === "timer"
              ? { timer: { delay_secs: jsonU64(a.delaySecs) } }
              : {
                  submit: {
                    [a.chainType]: {
                      chain: a.chain,
                      address:
                        a.chainType === "evm"
                          ? hex(a.address as Uint8Array)
                          : (a.address as { bech32Addr: string }).bech32Addr,
                      gas_price: a.gasPrice === undefined ? null : a.gasPrice.toString(),
                    },
                  },
                },
          );
          if (json) {
            printJson({
              actions,
              duration_ms: roundMs(report.durationMs),
              logs: logsJson(report.logs),
            });
          } else {
            process.stdout.write(
              `${actions.length} action(s) in ${report.durationMs.toFixed(2)} ms\n`,
            );
            for (const a of actions) process.stdout.write(`  ${JSON.stringify(a)}\n`);
            printLogs(report.logs);
          }
          process.exitCode = 0;
        } catch (err) {
          process.exitCode = fail(err, json);
        }
      },
    );
}
