import { describe, expect, it } from "vitest";
import type { KvStore } from "../../store/kv-store.js";
import type { ExecContext } from "../exec-types.js";
import { handleBrokerRequest } from "../host-io-broker.js";
import { ExecState } from "./exec-state.js";
import { HostResultError } from "./host-error.js";
import { socketsImports } from "./sockets.js";
import type { SyncBroker } from "./sync-broker.js";

function stateWith(dnsResolution: boolean): ExecState {
  // the broker answers as the main thread would, with a real lookup done beforehand
  const broker = {
    call: () => ({
      ok: true,
      value: [
        { address: "127.0.0.1", family: 4 },
        { address: "::1", family: 6 },
      ],
    }),
  } as unknown as SyncBroker;
  const state = new ExecState(() => ({}) as KvStore, broker);
  state.begin({ execId: 1, dnsResolution, rawSockets: false } as ExecContext);
  return state;
}

describe("wasi:sockets name lookup", () => {
  it("is refused without dns_resolution", () => {
    const lookup = socketsImports(stateWith(false))["wasi:sockets/ip-name-lookup"];
    let thrown: unknown;
    try {
      lookup.resolveAddresses({}, "localhost");
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(HostResultError);
    expect((thrown as HostResultError).payload).toBe("access-denied");
  });

  it("returns the resolver's addresses as WIT ip-address values with dns_resolution", () => {
    const lookup = socketsImports(stateWith(true))["wasi:sockets/ip-name-lookup"];
    const stream = lookup.resolveAddresses({}, "localhost");
    expect(stream.resolveNextAddress()).toEqual({ tag: "ipv4", val: [127, 0, 0, 1] });
    expect(stream.resolveNextAddress()).toEqual({ tag: "ipv6", val: [0, 0, 0, 0, 0, 0, 0, 1] });
    expect(stream.resolveNextAddress()).toBeUndefined();
  });

  it("resolves on the main thread through the broker handler", async () => {
    const limits = { maxResponseBytes: 1, requestTimeoutMs: 1000, maxRedirects: 0 };
    const addresses = (await handleBrokerRequest({ kind: "dns", name: "localhost" }, limits)) as {
      address: string;
    }[];
    expect(addresses.map((a) => a.address)).toContain("127.0.0.1");
  });
});
