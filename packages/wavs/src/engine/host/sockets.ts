import type { ExecState } from "./exec-state.js";
import { fail } from "./host-error.js";

/**
 * wasi:sockets. Raw TCP/UDP sockets are refused (`access-denied` without the raw_sockets
 * permission, `not-supported` with it: this engine does not offer raw sockets yet). Name
 * lookup works when dns_resolution is permitted, through the main thread's resolver.
 */
export function socketsImports(state: ExecState) {
  class Network {}
  class TcpSocket {}
  class UdpSocket {}
  class IncomingDatagramStream {}
  class OutgoingDatagramStream {}
  class ResolveAddressStream {
    i = 0;
    constructor(readonly addresses: unknown[]) {}
    resolveNextAddress() {
      return this.addresses[this.i++];
    }
    subscribe() {
      return undefined;
    }
  }

  function parseAddress(addr: string, family: number) {
    if (family === 4) {
      const parts = addr.split(".").map(Number) as [number, number, number, number];
      return { tag: "ipv4", val: parts };
    }
    const full = expandIpv6(addr);
    return { tag: "ipv6", val: full };
  }

  const socketCreate = () => fail(state.current().rawSockets ? "not-supported" : "access-denied");

  return {
    "wasi:sockets/network": { Network },
    "wasi:sockets/instance-network": { instanceNetwork: () => new Network() },
    "wasi:sockets/tcp": { TcpSocket },
    "wasi:sockets/udp": { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    "wasi:sockets/tcp-create-socket": { createTcpSocket: socketCreate },
    "wasi:sockets/udp-create-socket": { createUdpSocket: socketCreate },
    "wasi:sockets/ip-name-lookup": {
      ResolveAddressStream,
      resolveAddresses(_network: Network, name: string): ResolveAddressStream {
        if (!state.current().dnsResolution) fail("access-denied");
        const reply = state.broker.call({ kind: "dns", name });
        if (!reply.ok) fail("name-unresolvable");
        const addrs = reply.value as { address: string; family: number }[];
        return new ResolveAddressStream(addrs.map((a) => parseAddress(a.address, a.family)));
      },
    },
  };
}

function expandIpv6(addr: string): number[] {
  const [head = "", tail] = addr.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = new Array(8 - h.length - t.length).fill("0");
  return [...h, ...(tail === undefined ? [] : fill), ...t].map((x) => Number.parseInt(x, 16));
}
