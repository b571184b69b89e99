/**
 * A local WAVS network in one call (`wavs dev`): anvil (and with `--cosmos` a wasmd chain with the
 * example CosmWasm contracts), our contracts, N operator nodes as child
 * processes with P2P on loopback, each operator's signing key registered with weight 1 on every
 * service manager (quorum 2/3 by weight), and the example services (or the builder's
 * component) registered on every node.
 *
 * Every step is idempotent, so a second start on the same directory reuses what is there:
 * anvil reloads its chain state, contracts with code are kept, nodes keep their data, and only
 * what is missing (a service, a registration, a new service URI) is done again. When the
 * chain state is lost, the operators' data (cursors and history of a chain that no longer
 * exists) is cleared with it.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { type Anvil, deployServiceSet, startAnvil } from "@wavs-ts/contracts";
import type { Address } from "viem";
import {
  componentsWarming,
  connectedPeers,
  type DevState,
  type NodeEndpoint,
  readDevState,
} from "../builder/index.js";
import type { Progress } from "../internal/index.js";
import { unlessAborted, WavsError } from "../internal/index.js";
import { type DevCosmos, startDevCosmos } from "./dev-cosmos.js";
import { type DevComponents, type DevServiceContracts, devComponents } from "./dev-services.js";
import { type DevnetLayout, devnetLayout } from "./layout.js";
import { DEV_QUORUM, MAX_DEV_OPERATORS } from "./limits.js";
import { writeOperatorConfig } from "./operator-config.js";
import { type OperatorProcess, startOperatorProcess } from "./operator-process.js";
import { pickPorts } from "./ports.js";
import {
  componentFileDigest,
  copyPrepared,
  operatorPreparedDir,
  sharedPreparedDir,
} from "./prepared-cache.js";
import { clearPreviousRun, writePids } from "./previous-run.js";
import { registerCosmosOperators, registerServices, registerSigningKeys } from "./service-setup.js";

/** How to start a dev network. */
export interface DevnetOptions {
  /** The network lives in `<home>/.wavs-dev`. */
  home: string;
  /** Operator nodes (default 3). */
  operators?: number;
  /** HTTP port of the first operator; the others follow (default 8000; 0: free ports). */
  port?: number;
  /** P2P port of the first operator; the others follow (default 9000; 0: free ports). */
  p2pPort?: number;
  /** anvil's port (default 8545; 0: a free port). */
  anvilPort?: number;
  /** Also run a local Cosmos chain (wasmd) with the example CosmWasm contracts. */
  cosmos?: boolean;
  /** First of the Cosmos chain's 4 ports: CometBFT RPC, P2P, gRPC, REST (default 26657; 0: free ports). */
  cosmosPort?: number;
  /** The builder's component (.wasm, or a .ts/.js entry) instead of the examples. */
  component?: string | undefined;
  /** Start from nothing: delete `<home>/.wavs-dev` first. */
  reset?: boolean;
  /** Log level of the nodes (default "info"). */
  logLevel?: string;
  progress?: Progress;
  /**
   * Aborted (Ctrl-C, SIGTERM) while starting: what was started is stopped, then the start
   * rejects with the signal's reason. Processes being started are waited for first, so none is
   * left running.
   */
  signal?: AbortSignal | undefined;
}

/** A running dev network. */
export interface Devnet {
  readonly state: DevState;
  readonly layout: DevnetLayout;
  readonly anvil: Anvil;
  readonly operators: readonly OperatorProcess[];
  /** The bearer token of the nodes' mutating routes. */
  readonly token: string;
  /** Whether contracts and node data of an earlier run were reused. */
  readonly reused: boolean;
  /** Stop the nodes, then anvil (which saves the chain state); idempotent. */
  stop(): Promise<void>;
}

const silent: Progress = { update() {}, done() {} };

/** Start (or restart) the dev network under `options.home`. */
export async function startDevnet(options: DevnetOptions): Promise<Devnet> {
  const count = options.operators ?? 3;
  if (!Number.isInteger(count) || count < 1 || count > MAX_DEV_OPERATORS) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `--operators: expected 1 to ${MAX_DEV_OPERATORS}, found ${count}`,
    );
  }
  const progress = options.progress ?? silent;
  const { signal } = options;
  /** A long step that starts no process: given up at once when the start is aborted. */
  const step = <T>(p: Promise<T>) => unlessAborted(p, signal);
  const layout = devnetLayout(options.home);
  const stopped = await clearPreviousRun(layout.pidFile, layout.root);
  if (stopped > 0) progress.done(`stopped ${stopped} process(es) left by an earlier dev network`);
  let previous: DevState | undefined;
  if (options.reset) {
    rmSync(layout.root, { recursive: true, force: true });
  } else {
    try {
      previous = readDevState(options.home);
    } catch {
      progress.done(`${layout.stateFile} is unreadable: starting a fresh network`);
      rmSync(layout.root, { recursive: true, force: true });
    }
  }
  mkdirSync(layout.root, { recursive: true });

  const [anvilPort] = await pickPorts(options.anvilPort ?? 8545, 1, "--anvil-port");
  const httpPorts = await pickPorts(options.port ?? 8000, count, "--port", [anvilPort!]);
  const p2pPorts =
    count > 1
      ? await pickPorts(options.p2pPort ?? 9000, count, "--p2p-port", [anvilPort!, ...httpPorts])
      : [];
  const cosmosPorts = options.cosmos
    ? await pickPorts(options.cosmosPort ?? 26657, 4, "--cosmos-port", [
        anvilPort!,
        ...httpPorts,
        ...p2pPorts,
      ])
    : [];

  // components build while the chain and the nodes start
  progress.update("building components");
  const built = devComponents({
    component: options.component,
    outDir: layout.components,
    onProgress: (m) => progress.update(`building components: ${m}`),
    cosmos: options.cosmos,
  });
  built.catch(() => {});

  progress.update("starting anvil");
  const anvil = await startAnvil({
    port: anvilPort!,
    stateFile: layout.anvilState,
    accounts: Math.max(10, 2 * count + 1),
  }).catch((err: unknown) => {
    throw new WavsError("WAVS_ERR_DEV_NETWORK", "anvil did not start", {
      hint: String(err instanceof Error ? err.message : err).slice(0, 2000),
      cause: err,
    });
  });
  const operators: OperatorProcess[] = [];
  const token = randomBytes(24).toString("hex");
  let cosmos: DevCosmos | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await Promise.all(operators.map((o) => o.stop()));
      await Promise.all([anvil.stop(), cosmos?.chain.stop()]);
      rmSync(layout.pidFile, { force: true });
    })();
    return stopping;
  };
  try {
    signal?.throwIfAborted();
    progress.done(`anvil on ${anvil.rpcUrl} (chain evm:${anvil.chainId})`);
    const chain = `evm:${anvil.chainId}`;
    if (options.cosmos) {
      cosmos = await startDevCosmos({
        home: layout.wasmdHome,
        ports: cosmosPorts,
        previous: previous?.cosmos,
        progress,
      });
      signal?.throwIfAborted();
    }
    const owner = anvil.clients(0);

    const components = await step(built);
    const reusable = await step(reusableContracts(anvil, previous, components));
    const reused = reusable.size > 0;
    if (previous && !reused) clearOperatorData(layout);

    progress.update("deploying contracts");
    const contracts = new Map<string, DevServiceContracts>();
    for (const svc of components.services) {
      contracts.set(
        svc.name,
        reusable.get(svc.name) ??
          (await step(
            deployServiceSet(owner, {
              quorumNumerator: DEV_QUORUM.numerator,
              quorumDenominator: DEV_QUORUM.denominator,
            }),
          )),
      );
    }
    progress.done(
      reused
        ? "contracts reused from the last run"
        : `contracts deployed for ${[...contracts.keys()].join(", ")}`,
    );

    progress.update(`starting ${count} operator node(s)`);
    const digests = [components.aggregator, ...components.services.map((c) => c.wasm)].map(
      componentFileDigest,
    );
    for (let i = 0; i < count; i++) {
      copyPrepared(sharedPreparedDir(), operatorPreparedDir(layout.operatorHome(i)), digests);
      writeOperatorConfig({
        home: layout.operatorHome(i),
        rpcUrl: anvil.rpcUrl,
        chainId: anvil.chainId,
        aggregatorKey: anvil.privateKeys[1 + i]!,
        token,
        p2pPort: p2pPorts[i] ?? 0,
        peerP2pPorts: p2pPorts.filter((_, j) => j !== i),
        logLevel: options.logLevel ?? "info",
        // more workers than cores only adds instances (memory) and contention
        enginePoolSize: Math.max(1, Math.floor(availableParallelism() / count)),
        peerUrls: httpPorts.filter((_, j) => j !== i).map((port) => `http://127.0.0.1:${port}`),
        cosmos: cosmos && { chainId: cosmos.chain.chainId, rpcUrl: cosmos.chain.rpcUrl },
      });
    }
    const started = await Promise.allSettled(
      httpPorts.map((port, i) =>
        startOperatorProcess({
          index: i,
          home: layout.operatorHome(i),
          port,
          log: layout.operatorLog(i),
        }),
      ),
    );
    for (const s of started) if (s.status === "fulfilled") operators.push(s.value);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    signal?.throwIfAborted();
    writePids(layout.pidFile, {
      cli: process.pid,
      children: [
        anvil.pid,
        ...(cosmos ? [cosmos.chain.pid] : []),
        ...operators.map((o) => o.child.pid ?? 0),
      ],
    });
    progress.done(`${count} operator node(s) up: ${operators.map((o) => o.url).join(", ")}`);

    const nodes: NodeEndpoint[] = operators.map((o) => ({ url: o.url, token }));
    const services = await step(
      registerServices({
        anvil,
        layout,
        chain,
        nodes,
        components,
        contracts,
        cosmos: cosmos && { chain: cosmos.key, trigger: cosmos.trigger, handler: cosmos.handler },
        progress,
      }),
    );
    await step(registerSigningKeys({ anvil, chain, nodes, services, progress }));
    if (cosmos) {
      await step(registerCosmosOperators({ anvil, chain, nodes, services, cosmos, progress }));
    }
    if (count > 1) await step(waitForMesh(nodes, progress));
    await step(waitForWarmEngines(nodes, progress));

    const first = services[0]!;
    const state: DevState = {
      chain,
      rpc_url: anvil.rpcUrl,
      service_manager: first.service_manager,
      trigger: first.trigger,
      submit: first.submit,
      nodes: operators.map((o, i) => ({
        url: o.url,
        ...(p2pPorts[i] === undefined ? {} : { p2p_port: p2pPorts[i] }),
        log: layout.operatorLog(i),
      })),
      services,
      token,
      ...(cosmos
        ? {
            cosmos: {
              chain: cosmos.key,
              rpc_url: cosmos.chain.rpcUrl,
              trigger: cosmos.trigger,
              service_manager: cosmos.serviceManager,
              handler: cosmos.handler,
              faucet_mnemonic: cosmos.chain.faucet.mnemonic,
            },
          }
        : {}),
    };
    writeFileSync(layout.stateFile, `${JSON.stringify(state, null, 2)}\n`, {
      mode: 0o600,
    });
    return { state, layout, anvil, operators, token, reused, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Contracts of the last run that still have code on the (reloaded) chain, by service name. */
async function reusableContracts(
  anvil: Anvil,
  previous: DevState | undefined,
  components: DevComponents,
): Promise<Map<string, DevServiceContracts>> {
  const out = new Map<string, DevServiceContracts>();
  if (!previous || previous.chain !== `evm:${anvil.chainId}`) return out;
  const client = anvil.publicClient();
  for (const svc of previous.services) {
    if (!components.services.some((c) => c.name === svc.name)) continue;
    const codes = await Promise.all(
      [svc.service_manager, svc.trigger, svc.submit].map((address) =>
        client.getCode({ address: address as Address }),
      ),
    );
    if (codes.every((c) => c !== undefined && c !== "0x")) {
      out.set(svc.name, {
        serviceManager: svc.service_manager as Address,
        trigger: svc.trigger as Address,
        submit: svc.submit as Address,
      });
    }
  }
  return out;
}

/** The chain the operators' data refers to is gone: cursors and history go with it. */
function clearOperatorData(layout: DevnetLayout): void {
  if (!existsSync(layout.root)) return;
  for (const entry of readdirSync(layout.root)) {
    if (entry.startsWith("operator-")) {
      rmSync(join(layout.root, entry, "data"), { recursive: true, force: true });
    }
  }
}

/**
 * Wait until every node has loaded its components (each worker loads every uploaded component
 * ahead of its first run), so that a first event does not wait for a load. Not fatal: after
 * two minutes the network is ready anyway, its first events only slower.
 */
async function waitForWarmEngines(nodes: NodeEndpoint[], progress: Progress): Promise<void> {
  progress.update("waiting for the operators to load the components");
  const loaded = await pollUntil(120_000, async () => {
    const warming = await Promise.all(nodes.map((n) => componentsWarming(n).catch(() => 0)));
    return warming.every((n) => n === 0);
  });
  progress.done(
    loaded
      ? "components loaded on every operator"
      : "some operators are still loading components: the first events may be slow",
  );
}

/** Ask `check` every 100 ms until it says yes (true) or `ms` passed (false). */
async function pollUntil(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Wait until every node is connected to every other one and knows them subscribed to every
 * service's gossip: a trigger fired before that reaches its peers' signatures only through
 * catch-up, a second or so later.
 */
async function waitForMesh(nodes: NodeEndpoint[], progress: Progress): Promise<void> {
  progress.update("waiting for the operators to connect (P2P)");
  const others = nodes.length - 1;
  let seen: { connected: number; subscribed: number }[] = [];
  const ready = await pollUntil(60_000, async () => {
    seen = await Promise.all(
      nodes.map((n) => connectedPeers(n).catch(() => ({ connected: 0, subscribed: 0 }))),
    );
    return seen.every((p) => p.connected >= others && p.subscribed >= others);
  });
  if (!ready) {
    throw new WavsError(
      "WAVS_ERR_DEV_NETWORK",
      `the operators did not connect to each other (peers: ${seen.map((p) => p.connected).join(", ")}; subscribed to every service: ${seen.map((p) => p.subscribed).join(", ")})`,
      { hint: "see the nodes' logs under .wavs-dev/operator-*/node.log" },
    );
  }
  progress.done("operators connected to each other over P2P, every service's gossip joined");
}
