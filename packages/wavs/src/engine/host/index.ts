import { cliImports } from "./cli.js";
import { clocksAndRandomImports } from "./clocks-random.js";
import type { ExecState } from "./exec-state.js";
import { filesystemImports } from "./filesystem.js";
import { httpImports } from "./http.js";
import { ioImports } from "./io.js";
import { keyvalueImports } from "./keyvalue.js";
import { socketsImports } from "./sockets.js";
import { tlsImports } from "./tls.js";
import { wavsHostImports } from "./wavs-host.js";

/**
 * The complete import object for one instance of a WAVS component: every interface of the
 * operator and aggregator worlds, keyed by interface name without version, so that
 * components importing any WASI 0.2.x release link.
 */
export function createHostImports(state: ExecState): {
  imports: Record<string, Record<string, unknown>>;
  flushOutput: () => void;
} {
  const cli = cliImports(state);
  return {
    imports: {
      ...wavsHostImports(state),
      ...cli.imports,
      ...clocksAndRandomImports(state),
      ...ioImports(),
      ...filesystemImports(state),
      ...httpImports(state),
      ...keyvalueImports(state),
      ...socketsImports(state),
      ...tlsImports(state),
    },
    flushOutput: cli.flushOutput,
  };
}
