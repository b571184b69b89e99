/**
 * Where `wavs dev` keeps its files, all under `<home>/.wavs-dev/`: the state file the builder
 * commands read, anvil's chain state (so a restart keeps the contracts and the history), the
 * built components, and one directory per operator (its wavs.toml, data and log).
 */
import { join } from "node:path";
import { devDir, devStatePath } from "../builder/index.js";

/** The paths of one dev network. */
export interface DevnetLayout {
  root: string;
  stateFile: string;
  anvilState: string;
  /** Pids of the processes of a running network, to find leftovers of a crashed one. */
  pidFile: string;
  components: string;
  /** The wasmd chain of `--cosmos` (its data and keys). */
  wasmdHome: string;
  operatorHome(index: number): string;
  operatorLog(index: number): string;
}

/** The layout of the dev network under `home`. */
export function devnetLayout(home: string): DevnetLayout {
  const root = devDir(home);
  return {
    root,
    stateFile: devStatePath(home),
    anvilState: join(root, "anvil-state.json"),
    pidFile: join(root, "pids.json"),
    components: join(root, "components"),
    wasmdHome: join(root, "wasmd"),
    operatorHome: (i) => join(root, `operator-${i + 1}`),
    operatorLog: (i) => join(root, `operator-${i + 1}`, "node.log"),
  };
}
