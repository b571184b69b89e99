/** Multiaddrs of the p2p layer: where to listen, bootstrap entries, the peer id one names. */
import { CODE_P2P, type Multiaddr, multiaddr } from "@multiformats/multiaddr";
import { WavsError } from "../internal/index.js";

/** The peer id a multiaddr ends with, if any. */
export function peerIdOfAddr(addr: Multiaddr): string | undefined {
  return addr.getComponents().findLast((c) => c.code === CODE_P2P)?.value;
}

/** A bootstrap entry of the config as a multiaddr; WAVS_ERR_CONFIG_INVALID when it is not one. */
export function parseBootstrapAddr(text: string): Multiaddr {
  try {
    return multiaddr(text);
  } catch (err) {
    throw new WavsError(
      "WAVS_ERR_CONFIG_INVALID",
      `p2p bootstrap node ${text} is not a multiaddr`,
      {
        details: { field: "p2p.remote.bootstrap_nodes", found: text },
        hint: "Write it as /ip4/203.0.113.5/tcp/9000/p2p/<peer id> (or /dns4/host/tcp/9000/p2p/<peer id>).",
        cause: err,
      },
    );
  }
}

/** The TCP multiaddr to listen on for `host` (IPv4 or IPv6) and `port`. */
export function listenAddr(host: string, port: number): string {
  return host.includes(":") ? `/ip6/${host}/tcp/${port}` : `/ip4/${host}/tcp/${port}`;
}
