/**
 * The top-level commands, each with its one-line summary and a loader for its module. Only the
 * command being run is imported (a command module pulls in the engine, the node or viem), so
 * `wavs --help` and `wavs --version` start in a few tens of milliseconds; the other commands
 * appear in the help from their summaries (a test keeps them equal to the real descriptions).
 */
import type { Command } from "commander";

type Register = (program: Command) => void;

/**
 * For the commands that run a component once: start the engine's worker before loading the
 * command's modules, so the two boot side by side (not for `--help`).
 */
async function prespawnWorker(): Promise<void> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) return;
  (await import("../engine-thread/index.js")).prespawnEngineWorker();
}

/** One top-level command. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Register>;
}

/** Every top-level command, in the order of `wavs --help`. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "node",
    summary: "run the operator node",
    load: async () => (await import("./node.js")).registerNode,
  },
  {
    name: "exec",
    summary: "run an operator component once, locally",
    load: async () => {
      await prespawnWorker();
      return (await import("./exec.js")).registerExec;
    },
  },
  {
    name: "exec-aggregator",
    summary: "run an aggregator component once, locally",
    load: async () => {
      await prespawnWorker();
      return (await import("./exec.js")).registerExecAggregator;
    },
  },
  {
    name: "component",
    summary: "build WAVS components",
    load: async () => (await import("./component-build.js")).registerComponentBuild,
  },
  {
    name: "service",
    summary: "build and validate a service JSON step by step (each step rewrites --file)",
    load: async () => (await import("./service.js")).registerService,
  },
  {
    name: "upload-component",
    summary:
      "upload a component to a node (POST /dev/components; every node of a `wavs dev` network); prints its digest",
    load: async () => (await import("./upload-component.js")).registerUploadComponent,
  },
  {
    name: "deploy-service",
    summary:
      "set the manager's service URI (--set-uri) and register the service with a node (every node of a `wavs dev` network)",
    load: async () => (await import("./deploy-service.js")).registerDeployService,
  },
  {
    name: "trigger",
    summary:
      "fire the example trigger contract (SimpleTrigger's addTrigger, or add_message on Cosmos for a service triggered there); prints the trigger id",
    load: async () => (await import("./trigger.js")).registerTrigger,
  },
  {
    name: "result",
    summary:
      "read a trigger's result from the example handler (SimpleSubmit, or the CosmWasm handler of a service landing on Cosmos)",
    load: async () => (await import("./result.js")).registerResult,
  },
  {
    name: "dev",
    summary:
      "run a local WAVS network: anvil, the contracts, operator nodes with P2P, example services",
    load: async () => (await import("./dev.js")).registerDev,
  },
];

/** The command `argv` runs (`wavs help <command>` included), or undefined for none. */
export function commandOf(argv: readonly string[]): string | undefined {
  const args = argv.slice(2).filter((a) => !a.startsWith("-"));
  return args[0] === "help" ? args[1] : args[0];
}
