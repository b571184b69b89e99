import { relative } from "node:path";
import type { Command } from "commander";
import type { DemoResult, Devnet } from "../devnet/index.js";
import { devQuorumSize, MAX_DEV_OPERATORS } from "../devnet/index.js";
import { createProgress, unlessAborted, WavsError } from "../internal/index.js";
import { printJson } from "./output.js";

interface DevFlags {
  home?: string;
  operators: string;
  port: string;
  p2pPort: string;
  anvilPort: string;
  cosmos?: boolean;
  cosmosPort: string;
  component?: string;
  reset?: boolean;
  demo?: boolean;
  input?: string;
  service?: string;
  logLevel: string;
  json?: boolean;
}

/** A port flag: 0 (free ports) to 65535. */
function portFlag(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n > 65_535) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `${flag}: expected a port from 0 to 65535, found ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** `wavs dev`: a local network (anvil, contracts, operators, example services); `--demo` runs one trigger through it. */
export function registerDev(program: Command): void {
  program
    .command("dev")
    .description(
      "run a local WAVS network: anvil, the contracts, operator nodes with P2P, example services",
    )
    .option("--home <dir>", "directory to keep the network in (<dir>/.wavs-dev); default: here")
    .option("--operators <n>", `operator nodes, 1 to ${MAX_DEV_OPERATORS}`, "3")
    .option(
      "--port <n>",
      "HTTP port of the first operator, the others follow (0: free ports)",
      "8000",
    )
    .option(
      "--p2p-port <n>",
      "P2P port of the first operator, the others follow (0: free ports)",
      "9000",
    )
    .option("--anvil-port <n>", "anvil's JSON-RPC port (0: a free port)", "8545")
    .option(
      "--cosmos",
      "also run a local Cosmos chain (wasmd, built once from the Go module proxy) with the example CosmWasm contracts and a square-cosmos service",
    )
    .option(
      "--cosmos-port <n>",
      "first of the Cosmos chain's ports: CometBFT RPC, P2P, gRPC, REST (0: free ports)",
      "26657",
    )
    .option(
      "--component <file>",
      "run your component (.wasm, or a .ts/.js entry) instead of the examples",
    )
    .option("--reset", "forget the previous run's chain and node data; start from nothing")
    .option("--demo", "fire one trigger, wait for its result on-chain, print it, stop, exit")
    .option("--input <text>", 'the demo\'s trigger input (default: {"x":7} for square)')
    .option("--service <name>", "the service the demo triggers (default: square, else the first)")
    .option("--log-level <level>", "log level of the nodes", "info")
    .option("--json", "print one JSON object on stdout (with --demo)")
    .action(async (flags: DevFlags) => {
      const operators = Number(flags.operators);
      if (!/^\d+$/.test(flags.operators) || operators < 1 || operators > MAX_DEV_OPERATORS) {
        throw new WavsError(
          "WAVS_ERR_INPUT_INVALID",
          `--operators: expected 1 to ${MAX_DEV_OPERATORS}, found ${JSON.stringify(flags.operators)}`,
        );
      }
      const home = flags.home ?? process.env.WAVS_HOME ?? process.cwd();
      const progress = createProgress(flags.json ? undefined : process.stderr);
      const started = Date.now();
      const stopSignal = stopOnSignals();
      // loaded here, not at the top: the other commands start faster without it
      const { startDevnet } = await import("../devnet/index.js");
      const devnet = await startDevnet({
        signal: stopSignal.signal,
        home,
        operators,
        port: portFlag(flags.port, "--port"),
        p2pPort: portFlag(flags.p2pPort, "--p2p-port"),
        anvilPort: portFlag(flags.anvilPort, "--anvil-port"),
        cosmos: flags.cosmos ?? false,
        cosmosPort: portFlag(flags.cosmosPort, "--cosmos-port"),
        component: flags.component,
        reset: flags.reset ?? false,
        logLevel: flags.logLevel,
        progress,
      }).catch((err: unknown) => stopSignal.exitIfStopped(err, "while starting"));
      if (flags.demo) {
        try {
          progress.update("demo: firing a trigger and waiting for the result on-chain");
          const { runDemo } = await import("../devnet/index.js");
          const result = await unlessAborted(
            runDemo(devnet, {
              ...(flags.service === undefined ? {} : { service: flags.service }),
              ...(flags.input === undefined ? {} : { input: flags.input }),
            }),
            stopSignal.signal,
          ).catch(async (err: unknown) => {
            if (!stopSignal.signal.aborted) throw err;
            progress.update("stopping the network");
            await devnet.stop();
            return stopSignal.exitIfStopped(err, "during the demo");
          });
          progress.done(`demo: result landed ${result.latencyMs} ms after the trigger was mined`);
          if (flags.json) printJson(demoJson(result, Date.now() - started));
          else process.stdout.write(demoText(result));
        } finally {
          progress.update("stopping the network");
          await devnet.stop();
          progress.done("network stopped");
        }
        return;
      }
      process.stdout.write(summary(devnet, home));
      await runUntilStopped(devnet, progress, stopSignal.signal);
    });
}

/**
 * Ctrl-C and SIGTERM from the start on: the first stops the network (also while it is still
 * starting: nothing is left running); a second one exits at once, and the next `wavs dev`
 * stops what was left (its pid file).
 */
function stopOnSignals(): {
  signal: AbortSignal;
  /** After the network was stopped for a signal: say so and exit (130 / 143); else rethrow. */
  exitIfStopped(err: unknown, when: string): never;
} {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (received !== undefined) {
      process.stderr.write(
        "stopping at once: the next `wavs dev` stops what is left of this network\n",
      );
      process.exit(exitCodeOf(sig));
    }
    received = sig;
    controller.abort(new WavsError("WAVS_ERR_DEV_NETWORK", `stopped by ${sig}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    exitIfStopped(err: unknown, when: string): never {
      if (received === undefined) throw err;
      process.stderr.write(`stopped by ${received} ${when}; nothing is left running\n`);
      // a component build may still hold the event loop: nothing else is to be waited for
      process.exit(exitCodeOf(received));
    },
  };
}

/** The conventional exit code of a process ended by a signal (128 + its number). */
function exitCodeOf(sig: NodeJS.Signals): number {
  return sig === "SIGINT" ? 130 : 143;
}

/** Wait for Ctrl-C (or SIGTERM), reporting operators that exit on their own; then stop. */
async function runUntilStopped(
  devnet: Devnet,
  progress: ReturnType<typeof createProgress>,
  signal: AbortSignal,
): Promise<void> {
  let alive = devnet.operators.length;
  let stopping = false;
  await new Promise<void>((resolve) => {
    for (const op of devnet.operators) {
      void op.exited.then((code) => {
        alive--;
        if (stopping) return;
        process.stderr.write(
          `operator ${op.index + 1} exited (${code}); see ${devnet.layout.operatorLog(op.index)}\n`,
        );
        if (alive === 0) {
          process.exitCode = 1;
          resolve();
        }
      });
    }
    const stop = () => {
      stopping = true;
      resolve();
    };
    if (signal.aborted) stop();
    else signal.addEventListener("abort", stop, { once: true });
  });
  progress.update("stopping the network");
  await devnet.stop();
  progress.done("network stopped; `wavs dev` resumes it, `wavs dev --reset` starts over");
}

function short(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

/** What runs where and what to try next. */
function summary(devnet: Devnet, home: string): string {
  const { state, operators, layout } = devnet;
  const needed = devQuorumSize(operators.length);
  const homeFlag = home === process.cwd() ? "" : ` --home ${home}`;
  const lines = [
    "",
    `WAVS dev network is up${devnet.reused ? " (resumed from the last run)" : ""}`,
    `  chain      ${state.chain}  ${state.rpc_url} (anvil)`,
    ...(state.cosmos
      ? [
          `  cosmos     ${state.cosmos.chain}  ${state.cosmos.rpc_url} (wasmd)`,
          `             trigger ${state.cosmos.trigger}  service manager ${state.cosmos.service_manager}`,
          ...(state.cosmos.handler ? [`             handler ${state.cosmos.handler}`] : []),
        ]
      : []),
    `  quorum     ${needed} of ${operators.length} operators (weight 1 each)`,
    `  dashboard  ${operators[0]?.url}/  (the whole network: operators, services, event journeys, logs)`,
    ...operators.map(
      (op, i) =>
        `  ${i === 0 ? "operators" : "         "}  ${i + 1}. ${op.url}${state.nodes[i]?.p2p_port ? `  p2p :${state.nodes[i]?.p2p_port}` : ""}  log ${short(layout.operatorLog(i))}`,
    ),
    ...state.services.flatMap((s, i) => [
      `  ${i === 0 ? "services" : "        "}   ${s.name}  id ${s.service_id.slice(0, 12)}…${s.trigger_chain ? `  (triggered on ${s.trigger_chain}${s.cosmos_handler ? ", results there too" : ""})` : ""}`,
      `             manager ${s.service_manager}  trigger ${s.trigger}  submit ${s.submit}`,
    ]),
    "",
    "Try, from this directory in another terminal:",
    ...state.services.map(
      (s) =>
        `  wavs trigger --service ${s.name} --input ${s.name.startsWith("square") ? `'{"x":7}'` : "'hello'"}${homeFlag}   # prints a trigger id`,
    ),
    `  wavs result <trigger-id> --service ${state.services[0]?.name ?? "echo"}${homeFlag}`,
    `  curl ${operators[0]?.url}/services        # API docs: ${operators[0]?.url}/docs`,
    "",
    "Ctrl-C stops everything; the next `wavs dev` resumes this network (--reset starts over).",
    "",
  ];
  return `${lines.join("\n")}\n`;
}

function demoJson(r: DemoResult, totalMs: number) {
  return {
    service: r.service,
    trigger_id: r.triggerId.toString(),
    trigger_tx: r.triggerTx,
    input: r.input,
    output: r.output,
    result_tx: r.resultTx,
    result_block: r.resultBlock.toString(),
    signers: r.signers,
    operators: r.operators,
    latency_ms: r.latencyMs,
    total_ms: totalMs,
  };
}

function demoText(r: DemoResult): string {
  return [
    "",
    `Demo: one trigger through the ${r.service} service, ${r.operators} operators`,
    `  trigger id   ${r.triggerId}  (tx ${r.triggerTx})`,
    `  input        ${r.input}`,
    `  output       ${r.output}`,
    `  result tx    ${r.resultTx}  (block ${r.resultBlock}, ${r.latencyMs} ms after the trigger)`,
    `  signers      ${r.signers.join(", ")}  (${r.signers.length} of ${r.operators})`,
    "",
  ].join("\n");
}
