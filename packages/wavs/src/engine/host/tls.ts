/**
 * wasi:tls (0.2.0-draft), which WAVS's worlds import (`include wasi:tls/imports`). A handshake
 * runs over streams of a wasi:sockets connection, and this host refuses raw sockets, so no
 * handshake can succeed here: components that import wasi:tls link and run, and one that tries
 * a handshake gets an io-error saying why, instead of failing to instantiate. HTTPS through
 * wasi:http works as usual.
 */
import type { ExecState } from "./exec-state.js";
import { IoError, Pollable } from "./io.js";

/** What a component that tries a handshake is told. */
export const TLS_REFUSED =
  "TLS over raw sockets is not available on this WAVS node (wasi:sockets is refused); use wasi:http with an https:// URL instead";

/** wasi:tls/types for one instance. */
export function tlsImports(state: ExecState) {
  class ClientConnection {
    closeOutput(): void {}
  }

  class FutureClientStreams {
    delivered = false;
    constructor(readonly serverName: string) {}
    subscribe(): Pollable {
      return new Pollable(state, undefined);
    }
    get() {
      if (this.delivered) return { tag: "err", val: undefined };
      this.delivered = true;
      state.log({
        level: "warn",
        source: "engine",
        message: `TLS handshake with ${this.serverName} refused: ${TLS_REFUSED}`,
      });
      return { tag: "ok", val: { tag: "err", val: new IoError(TLS_REFUSED) } };
    }
  }

  class ClientHandshake {
    constructor(
      readonly serverName: string,
      _input: unknown,
      _output: unknown,
    ) {}
    static finish(handshake: ClientHandshake): FutureClientStreams {
      return new FutureClientStreams(handshake.serverName);
    }
  }

  return {
    "wasi:tls/types": { ClientConnection, ClientHandshake, FutureClientStreams },
  };
}
