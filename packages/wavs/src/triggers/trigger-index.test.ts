import { describe, expect, it } from "vitest";
import type { Trigger } from "../service/trigger.js";
import { SERVICE_URI_UPDATED_TOPIC, TriggerIndex } from "./trigger-index.js";

const A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const B = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const T1 = `0x${"11".repeat(32)}` as const;
const T2 = `0x${"22".repeat(32)}` as const;

const evm = (address: string, topic: `0x${string}`, chain = "evm:1"): Trigger => ({
  type: "evm_contract_event",
  address: address as `0x${string}`,
  chain,
  event_hash: topic,
});

describe("TriggerIndex", () => {
  it("finds every workflow of every service listening to (chain, address, topic0)", () => {
    const index = new TriggerIndex();
    index.setService(
      "s1",
      new Map([
        ["w1", evm(A, T1)],
        ["w2", evm(A, T2)],
      ]),
    );
    index.setService("s2", new Map([["w1", evm(A.toLowerCase(), T1)]]));
    index.setService("s3", new Map([["w1", evm(A, T1, "evm:2")]]));
    const hits = index.lookupLog("evm:1", A.toUpperCase().replace("0X", "0x"), T1);
    expect(hits.map((h) => `${h.serviceId}/${h.kind === "workflow" ? h.workflowId : ""}`)).toEqual([
      "s1/w1",
      "s2/w1",
    ]);
    expect(index.lookupLog("evm:1", B, T1)).toEqual([]);
    expect(index.lookupLog("evm:3", A, T1)).toEqual([]);
    expect(index.logFilter("evm:1")).toEqual({
      addresses: [A.toLowerCase()],
      topic0s: [T1, T2],
    });
  });

  it("replaces and removes a service's entries without touching others", () => {
    const index = new TriggerIndex();
    index.setService("s1", new Map([["w1", evm(A, T1)]]));
    index.setService("s2", new Map([["w1", evm(A, T1)]]));
    const before = index.version;
    index.setService("s1", new Map([["w1", evm(B, T2)]]));
    expect(index.version).toBeGreaterThan(before);
    expect(index.lookupLog("evm:1", A, T1).map((h) => h.serviceId)).toEqual(["s2"]);
    expect(index.lookupLog("evm:1", B, T2).map((h) => h.serviceId)).toEqual(["s1"]);
    index.removeService("s2");
    expect(index.lookupLog("evm:1", A, T1)).toEqual([]);
    expect(index.logFilter("evm:1").addresses).toEqual([B.toLowerCase()]);
    index.removeService("s1");
    expect(index.chainKeys()).toEqual([]);
  });

  it("keeps block-interval and cron lists and manager watches", () => {
    const index = new TriggerIndex();
    index.setService(
      "s1",
      new Map<string, Trigger>([
        ["b", { type: "block_interval", chain: "evm:1", n_blocks: 2 }],
        ["c", { type: "cron", schedule: "* * * * * *" }],
        ["m", { type: "manual" }],
      ]),
    );
    index.watchManager("s1", "evm:1", B);
    expect(index.blockIntervals("evm:1").map((b) => b.workflowId)).toEqual(["b"]);
    expect(index.cronSubscribers().map((c) => c.workflowId)).toEqual(["c"]);
    expect(index.lookupLog("evm:1", B, SERVICE_URI_UPDATED_TOPIC)).toEqual([
      { kind: "manager", serviceId: "s1" },
    ]);
    index.setService("s1", new Map());
    expect(index.blockIntervals("evm:1")).toEqual([]);
    expect(index.cronSubscribers()).toEqual([]);
    // The manager watch outlives the workflows (a paused service still gets URI updates).
    expect(index.lookupLog("evm:1", B, SERVICE_URI_UPDATED_TOPIC)).toHaveLength(1);
    index.removeService("s1");
    expect(index.lookupLog("evm:1", B, SERVICE_URI_UPDATED_TOPIC)).toEqual([]);
  });

  it("finds exactly the right service among 10,000, whatever the address case", () => {
    // the speed of this lookup is measured by bench:node, not asserted here
    const index = new TriggerIndex();
    const address = (i: number) => `0x${(i * 2654435761).toString(16).padStart(40, "0")}`;
    for (let i = 0; i < 10_000; i++) {
      index.setService(`s${i}`, new Map([["w", evm(address(i), i % 2 ? T1 : T2)]]));
    }
    for (const i of [0, 1, 4_999, 9_998, 9_999]) {
      const topic = i % 2 ? T1 : T2;
      expect(index.lookupLog("evm:1", address(i), topic).map((h) => h.serviceId)).toEqual([
        `s${i}`,
      ]);
      const upper = `0x${address(i).slice(2).toUpperCase()}`;
      expect(index.lookupLog("evm:1", upper, topic).map((h) => h.serviceId)).toEqual([`s${i}`]);
      expect(index.lookupLog("evm:1", address(i), i % 2 ? T2 : T1)).toEqual([]);
    }
    expect(index.lookupLog("evm:1", address(10_000), T1)).toEqual([]);
    expect(index.logFilter("evm:1").addresses).toHaveLength(10_000);
  });
});
