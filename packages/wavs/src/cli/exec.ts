import type { Command } from "commander";
import { loadConfig, toWitChainConfigs } from "../config/index.js";
import type { ExecLog } from "../engine/exec-types.js";
import { parseConfigPairs, parseInputBytes, parseJsonArg, readArgText } from "../exec/input-arg.js";
import {
  execAggregator,
  execOperator,
  LocalExecError,
  type LocalExecOptions,
} from "../exec/local-exec.js";
import { WavsError } from "../internal/errors.js";
import { createLogger } from "../internal/logger.js";
import { hex, printableUtf8, printJson, reportError } from "./output.js";

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

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function addCommonFlags(cmd: Command): Command {
  return cmd
    .requiredOption("--component <file>", "component .wasm file")
    .option("--config <key=value>", "component config entry (repeatable)", collect, [])
    .option("--time-limit <seconds>", "wall-clock limit for the execution")
    .option("--fuel-limit <n>", "fuel limit (recorded; see docs/engine.md on fuel)")
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

function localOptions(flags: CommonFlags): LocalExecOptions {
  const { config } = loadConfig({ section: "cli", home: flags.home });
  const fuel = positiveNumber(flags.fuelLimit, "--fuel-limit");
  return {
    componentPath: flags.component,
    config: parseConfigPairs(flags.config),
    timeLimitSeconds: positiveNumber(flags.timeLimit, "--time-limit"),
    fuelLimit: fuel === undefined ? undefined : BigInt(Math.floor(fuel)),
    dataDir: flags.data,
    servicePath: flags.service,
    workflowId: flags.workflow,
    hostEnv: process.env,
    chains: toWitChainConfigs(config),
    logger: createLogger({ level: (flags.logLevel ?? "warn") as "warn" }),
  };
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

/** `wavs exec`: run an operator component once and print its responses. */
export function registerExec(program: Command): void {
  addCommonFlags(program.command("exec").description("run an operator component once, locally"))
    .option("--input <text|0xhex|@file>", "raw trigger input")
    .option("--simulates-trigger <json|@file>", "trigger data as /dev/triggers accepts it")
    .action(async (flags: CommonFlags & { input?: string; simulatesTrigger?: string }) => {
      const json = flags.json === true;
      try {
        const report = await execOperator({
          ...localOptions(flags),
          input: flags.input === undefined ? undefined : parseInputBytes(flags.input),
          triggerData:
            flags.simulatesTrigger === undefined
              ? undefined
              : parseJsonArg(flags.simulatesTrigger, "--simulates-trigger"),
        });
        const responses = report.responses.map((r) => ({
          payload: hex(r.payload),
          payload_utf8: printableUtf8(r.payload),
          ordering: r.ordering === undefined ? null : Number(r.ordering),
          event_id_salt: r.eventIdSalt === undefined ? null : hex(r.eventIdSalt),
        }));
        if (json) {
          printJson({
            responses,
            duration_ms: Math.round(report.durationMs * 1000) / 1000,
            logs: logsJson(report.logs),
          });
        } else {
          process.stdout.write(
            `${responses.length} response(s) in ${report.durationMs.toFixed(2)} ms\n`,
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
    .option(
      "--function <name>",
      "process-input | handle-timer-callback | handle-submit-callback",
      "process-input",
    )
    .option(
      "--tx-result <json|@file>",
      'for handle-submit-callback: {"ok":{"evm":"0x.."}} or {"err":"..."}',
    )
    .action(
      async (flags: CommonFlags & { input?: string; function: string; txResult?: string }) => {
        const json = flags.json === true;
        try {
          const fns = ["process-input", "handle-timer-callback", "handle-submit-callback"] as const;
          const fn = fns.find((f) => f === flags.function);
          if (!fn) {
            throw new WavsError(
              "WAVS_ERR_INPUT_INVALID",
              `--function ${flags.function}: expected one of ${fns.join(", ")}`,
            );
          }
          const report = await execAggregator({
            ...localOptions(flags),
            fn,
            inputJson: flags.input === undefined ? undefined : parseJsonArg(flags.input, "--input"),
            txResult:
              flags.txResult === undefined
                ? undefined
                : JSON.parse(readArgText(flags.txResult, "--tx-result")),
          });
          const actions = report.actions.map((a) =>
            a.kind === "timer"
              ? { timer: { delay_secs: Number(a.delaySecs) } }
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
          if (json)
            printJson({ actions, duration_ms: report.durationMs, logs: logsJson(report.logs) });
          else {
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
