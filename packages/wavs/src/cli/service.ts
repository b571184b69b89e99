/**
 * `wavs service …`: the builder's commands that create and edit a service JSON file (init,
 * workflows, triggers, components, submit, manager, validate, check).
 *
 * Over 400 lines on purpose: cli/ keeps one file per command, and these subcommands are
 * one command's; each is a few lines over builder/, which does the work.
 */
import type { Command } from "commander";
import {
  addWorkflow,
  checkAndWrite,
  componentOf,
  deleteWorkflow,
  type EditResult,
  editServiceFile,
  eventHash,
  initService,
  parseBool,
  parseHttpHosts,
  parseKeyValues,
  parseTimeNanos,
  parseUint,
  readDevState,
  readServiceFile,
  type ServiceDocument,
  setComponentField,
  setComponentSource,
  setManager,
  setStatus,
  setSubmitAggregator,
  setSubmitNone,
  setTrigger,
  validateServiceDocument,
} from "../builder/index.js";
import { loadConfig } from "../config/index.js";
import { WavsError } from "../internal/index.js";
import { printJson } from "./output.js";

interface ServiceFlags {
  file: string;
  home?: string;
  json?: boolean;
  id?: string;
}

function flagsOf(cmd: Command): ServiceFlags {
  return cmd.optsWithGlobals<ServiceFlags>();
}

function requireId(flags: ServiceFlags): string {
  if (flags.id === undefined) {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", "--id <workflow id> is required", {
      hint: "e.g. wavs service workflow trigger --id default set-manual",
    });
  }
  return flags.id;
}

/** Print what a step did: the service JSON with --json, else a line and the parts still to set. */
function report(flags: ServiceFlags, result: EditResult, what: string): void {
  if (flags.json) {
    printJson(result.doc);
    return;
  }
  process.stdout.write(`${what} (${flags.file})\n`);
  for (const p of result.pending) process.stderr.write(`note: ${p.path}: ${p.message}\n`);
}

/** Register a leaf subcommand whose action edits the service file. */
function edit<T extends Record<string, unknown>>(
  parent: Command,
  spec: string,
  description: string,
  configure: (cmd: Command) => Command,
  run: (doc: ServiceDocument, opts: T, flags: ServiceFlags) => string,
): void {
  const cmd = configure(parent.command(spec).description(description));
  cmd.action((opts: T, self: Command) => {
    const flags = flagsOf(self);
    let what = "";
    const result = editServiceFile(flags.file, (doc) => {
      what = run(doc, opts, flags);
    });
    report(flags, result, what);
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `wavs service --file service.json <subcommand>`: build a service JSON step by step. */
export function registerService(program: Command): void {
  const service = program
    .command("service")
    .description("build and validate a service JSON step by step (each step rewrites --file)")
    .option("--file <path>", "the service JSON file", "service.json")
    .option("--home <dir>", "directory holding wavs.toml (chains for validate)")
    .option("--json", "print the resulting service JSON (or validation report) as one object");

  service
    .command("init")
    .description("write a new service file (refuses to overwrite one)")
    .requiredOption("--name <name>", "service name")
    .option(
      "--manager-chain <key>",
      "chain of the service manager, e.g. evm:31337 or cosmos:wasmd-1",
    )
    .option("--manager-address <address>", "address of the service manager (0x.. or bech32)")
    .option("--force", "overwrite an existing file")
    .action(
      async (
        opts: { name: string; managerChain?: string; managerAddress?: string; force?: boolean },
        self: Command,
      ) => {
        const flags = flagsOf(self);
        if ((opts.managerChain === undefined) !== (opts.managerAddress === undefined)) {
          throw new WavsError(
            "WAVS_ERR_INPUT_INVALID",
            "--manager-chain and --manager-address go together",
          );
        }
        const { existsSync } = await import("node:fs");
        if (existsSync(flags.file) && !opts.force) {
          throw new WavsError("WAVS_ERR_INPUT_INVALID", `${flags.file} already exists`, {
            hint: "pass --force to start it over, or choose another --file",
          });
        }
        const manager =
          opts.managerChain !== undefined && opts.managerAddress !== undefined
            ? { chain: opts.managerChain, address: opts.managerAddress }
            : undefined;
        const result = checkAndWrite(flags.file, initService(opts.name, manager));
        report(flags, result, `service '${opts.name}' created`);
      },
    );

  const workflow = service.command("workflow").description("add, delete and configure workflows");
  edit<{ id?: string }>(
    workflow,
    "add",
    "add a workflow (manual trigger, no submit); id 'default' when free, else random",
    (c) => c.option("--id <id>", "workflow id (3-36 of a-z 0-9 _ -)"),
    (doc, opts) => `workflow '${addWorkflow(doc, opts.id)}' added`,
  );
  edit<{ id: string }>(
    workflow,
    "delete",
    "delete a workflow",
    (c) => c.requiredOption("--id <id>", "workflow id"),
    (doc, opts) => {
      deleteWorkflow(doc, opts.id);
      return `workflow '${opts.id}' deleted`;
    },
  );

  const trigger = workflow
    .command("trigger")
    .description("set a workflow's trigger")
    .option("--id <id>", "workflow id");
  edit<{ address: string; chain: string; eventHash?: string; eventSignature?: string }>(
    trigger,
    "set-evm",
    "fire on an EVM contract event",
    (c) =>
      c
        .requiredOption("--address <0x..>", "contract address")
        .requiredOption("--chain <key>", "chain key, e.g. evm:31337")
        .option("--event-hash <0x..>", "topic0 of the event")
        .option("--event-signature <sig>", "event signature, e.g. 'NewTrigger(bytes)' (hashed)"),
    (doc, opts, flags) => {
      const id = requireId(flags);
      setTrigger(doc, id, {
        evm_contract_event: {
          address: opts.address,
          chain: opts.chain,
          event_hash: eventHash(opts),
        },
      });
      return `workflow '${id}' trigger set to evm_contract_event`;
    },
  );
  edit<{ address: string; chain: string; eventType: string }>(
    trigger,
    "set-cosmos",
    "fire on a CosmWasm contract event",
    (c) =>
      c
        .requiredOption("--address <bech32>", "contract address, e.g. wasm1...")
        .requiredOption("--chain <key>", "chain key, e.g. cosmos:wasmd-1")
        .requiredOption(
          "--event-type <type>",
          "the event's type, with or without the wasm- prefix, e.g. new-message",
        ),
    (doc, opts, flags) => {
      const id = requireId(flags);
      setTrigger(doc, id, {
        cosmos_contract_event: {
          address: opts.address,
          chain: opts.chain,
          event_type: opts.eventType,
        },
      });
      return `workflow '${id}' trigger set to cosmos_contract_event`;
    },
  );
  edit<{ chain: string; nBlocks: string; startBlock?: string; endBlock?: string }>(
    trigger,
    "set-block-interval",
    "fire every n blocks",
    (c) =>
      c
        .requiredOption("--chain <key>", "chain key")
        .requiredOption("--n-blocks <n>", "interval in blocks (> 0)")
        .option("--start-block <n>", "first block (anchor)")
        .option("--end-block <n>", "last block (inclusive)"),
    (doc, opts, flags) => {
      const id = requireId(flags);
      setTrigger(doc, id, {
        block_interval: {
          chain: opts.chain,
          n_blocks: parseUint(opts.nBlocks, "--n-blocks", 1n),
          start_block:
            opts.startBlock === undefined ? null : parseUint(opts.startBlock, "--start-block", 1n),
          end_block:
            opts.endBlock === undefined ? null : parseUint(opts.endBlock, "--end-block", 1n),
        },
      });
      return `workflow '${id}' trigger set to block_interval`;
    },
  );
  edit<{ schedule: string; startTime?: string; endTime?: string }>(
    trigger,
    "set-cron",
    "fire on a cron schedule (seconds first: '*/5 * * * * *')",
    (c) =>
      c
        .requiredOption("--schedule <cron>", "cron schedule with a seconds field")
        .option("--start-time <t>", "nanoseconds since the epoch, or an ISO date")
        .option("--end-time <t>", "nanoseconds since the epoch, or an ISO date"),
    (doc, opts, flags) => {
      const id = requireId(flags);
      setTrigger(doc, id, {
        cron: {
          schedule: opts.schedule,
          start_time:
            opts.startTime === undefined ? null : parseTimeNanos(opts.startTime, "--start-time"),
          end_time: opts.endTime === undefined ? null : parseTimeNanos(opts.endTime, "--end-time"),
        },
      });
      return `workflow '${id}' trigger set to cron`;
    },
  );
  edit(
    trigger,
    "set-manual",
    "fire only by hand",
    (c) => c,
    (doc, _opts, flags) => {
      const id = requireId(flags);
      setTrigger(doc, id, "manual");
      return `workflow '${id}' trigger set to manual`;
    },
  );

  const component = workflow
    .command("component")
    .description("set a workflow's component")
    .option("--id <id>", "workflow id");
  edit<{ digest: string }>(
    component,
    "set-source-digest",
    "use a component uploaded to the node (sha256 digest)",
    (c) => c.requiredOption("--digest <hex>", "sha256 of the component's wasm bytes"),
    (doc, opts, flags) => {
      const id = requireId(flags);
      setComponentSource(doc, id, { digest: opts.digest });
      return `workflow '${id}' component source set`;
    },
  );
  edit<{ uri: string; digest: string }>(
    component,
    "set-source-download",
    "download the component from a URI and verify its digest",
    (c) =>
      c
        .requiredOption("--uri <uri>", "http(s):// or ipfs:// URI")
        .requiredOption("--digest <hex>", "sha256 of the wasm bytes"),
    (doc, opts, flags) => {
      const id = requireId(flags);
      setComponentSource(doc, id, { download: { uri: opts.uri, digest: opts.digest } });
      return `workflow '${id}' component source set`;
    },
  );
  edit<{ httpHosts?: string; fileSystem?: string }>(
    component,
    "permissions",
    "set what the component may reach",
    (c) =>
      c
        .option("--http-hosts <hosts>", "all, none, or host1,host2")
        .option("--file-system <bool>", "true or false"),
    (doc, opts, flags) => {
      const id = requireId(flags);
      const current = componentOf(doc, id).permissions;
      const permissions: Record<string, unknown> =
        typeof current === "object" && current !== null ? { ...current } : {};
      if (opts.httpHosts !== undefined)
        permissions.allowed_http_hosts = parseHttpHosts(opts.httpHosts);
      if (opts.fileSystem !== undefined) {
        permissions.file_system = parseBool(opts.fileSystem, "--file-system");
      }
      setComponentField(doc, id, "permissions", permissions);
      return `workflow '${id}' component permissions set`;
    },
  );
  edit<{ values: string[] }>(
    component,
    "config",
    "replace the component's config (k=v pairs; none clears it)",
    (c) => c.option("--values <k=v...>", "config entries", []),
    (doc, opts, flags) => {
      const id = requireId(flags);
      setComponentField(doc, id, "config", parseKeyValues(opts.values, "--values"));
      return `workflow '${id}' component config set`;
    },
  );
  edit<{ values: string[] }>(
    component,
    "env",
    "replace the operator env variables passed in (each must start with WAVS_ENV)",
    (c) => c.option("--values <names...>", "variable names", []),
    (doc, opts, flags) => {
      const id = requireId(flags);
      setComponentField(doc, id, "env_keys", [...opts.values]);
      return `workflow '${id}' component env keys set`;
    },
  );
  edit<{ seconds: string }>(
    component,
    "time-limit",
    "set the execution time limit",
    (c) => c.requiredOption("--seconds <n>", "seconds"),
    (doc, opts, flags) => {
      const id = requireId(flags);
      setComponentField(doc, id, "time_limit_seconds", parseUint(opts.seconds, "--seconds"));
      return `workflow '${id}' component time limit set`;
    },
  );
  edit<{ fuel: string }>(
    component,
    "fuel-limit",
    "set the fuel limit",
    (c) => c.requiredOption("--fuel <n>", "fuel units"),
    (doc, opts, flags) => {
      const id = requireId(flags);
      setComponentField(doc, id, "fuel_limit", parseUint(opts.fuel, "--fuel"));
      return `workflow '${id}' component fuel limit set`;
    },
  );

  const submit = workflow
    .command("submit")
    .description("set what happens to a workflow's result")
    .option("--id <id>", "workflow id");
  edit(
    submit,
    "set-none",
    "do not sign or submit the result",
    (c) => c,
    (doc, _opts, flags) => {
      const id = requireId(flags);
      setSubmitNone(doc, id);
      return `workflow '${id}' submit set to none`;
    },
  );
  edit<{ digest: string; config: string[]; prefix: string }>(
    submit,
    "set-aggregator",
    "sign the result and hand it to an aggregator component",
    (c) =>
      c
        .requiredOption("--digest <hex>", "sha256 of the aggregator component")
        .option("--config <k=v>", "aggregator config entry (repeatable)", collect, [])
        .option("--prefix <prefix>", "signature prefix: eip191 or none", "eip191"),
    (doc, opts, flags) => {
      const id = requireId(flags);
      if (opts.prefix !== "eip191" && opts.prefix !== "none") {
        throw new WavsError(
          "WAVS_ERR_INPUT_INVALID",
          `--prefix: expected eip191 or none, found ${JSON.stringify(opts.prefix)}`,
        );
      }
      setSubmitAggregator(doc, id, {
        digest: opts.digest,
        config: parseKeyValues(opts.config, "--config"),
        prefix: opts.prefix === "none" ? null : "eip191",
      });
      return `workflow '${id}' submit set to aggregator`;
    },
  );

  const manager = service.command("manager").description("set the service manager");
  for (const [kind, example, address] of [
    ["evm", "evm:31337", "<0x..>"],
    ["cosmos", "cosmos:wasmd-1", "<bech32>"],
  ] as const) {
    edit<{ chain: string; address: string }>(
      manager,
      `set-${kind}`,
      `${kind === "evm" ? "an EVM" : "a CosmWasm"} service manager contract`,
      (c) =>
        c
          .requiredOption("--chain <key>", `chain key, e.g. ${example}`)
          .requiredOption(`--address ${address}`, "manager address"),
      (doc, opts) => {
        if (!opts.chain.startsWith(`${kind}:`)) {
          throw new WavsError(
            "WAVS_ERR_INPUT_INVALID",
            `manager set-${kind}: --chain ${opts.chain} is not a ${kind} chain key`,
            {
              hint: `write it as ${example}, or use manager set-${kind === "evm" ? "cosmos" : "evm"}`,
            },
          );
        }
        setManager(doc, opts.chain, opts.address);
        return `manager set to ${opts.address} on ${opts.chain}`;
      },
    );
  }

  edit<{ value: string }>(
    service,
    "status",
    "set the status",
    (c) => c.requiredOption("--value <status>", "active or paused"),
    (doc, opts) => {
      setStatus(doc, opts.value);
      return `status set to ${opts.value}`;
    },
  );

  service
    .command("validate")
    .description("check the schema, cron schedules, env keys, configured chains (and the chain)")
    .option(
      "--check-chain",
      "read the chains: contracts exist, the manager answers getServiceURI (EVM) or wavs_service_uri (Cosmos)",
    )
    .action(async (opts: { checkChain?: boolean }, self: Command) => {
      const flags = flagsOf(self);
      const doc = readServiceFile(flags.file);
      const loaded = loadConfig({ section: "cli", home: flags.home });
      const result = await validateServiceDocument(doc, {
        loaded,
        devState: readDevState(flags.home),
        checkChain: opts.checkChain === true,
      });
      if (flags.json) printJson(result);
      else {
        for (const w of result.warnings) {
          process.stderr.write(`warning: ${w.path === "" ? "" : `${w.path}: `}${w.message}\n`);
        }
        for (const e of result.errors) process.stderr.write(`error: ${e.path}: ${e.message}\n`);
        process.stdout.write(
          result.valid ? `${flags.file} is valid\n` : `${flags.file} is not valid\n`,
        );
      }
      if (!result.valid) process.exitCode = 1;
    });
}
