import { describe, expect, it } from "vitest";
import { buildJourney, triggerWhere } from "./journey.js";
import type { Aggregation, EventAnswer, Execution, Submission } from "./types.js";

const EVENT = `0x${"ab".repeat(20)}`;
const SERVICE = "5".repeat(64);
const A = "0x00000000000000000000000000000000000000a1";
const B = "0x00000000000000000000000000000000000000b2";
const C = "0x00000000000000000000000000000000000000c3";

function execution(at: number, over: Partial<Execution> = {}): Execution {
  return {
    id: 1,
    service_id: SERVICE,
    workflow_id: "default",
    event_id: EVENT,
    trigger_type: "evm_contract_event",
    trigger_data: {
      EvmContractEvent: { chain: "evm:31337", block_number: 12, tx_hash: "0xfeed", log_index: 3 },
    },
    status: "succeeded",
    error_code: null,
    error_message: null,
    duration_ms: 4.25,
    fuel_used: 1000,
    queued_at: at,
    started_at: at + 1,
    finished_at: at + 5,
    attempts: 1,
    logs: [],
    responses: [],
    ...over,
  };
}

function signed(at: number, signer: string, envelope = "0xe1"): Submission {
  return {
    id: 1,
    service_id: SERVICE,
    workflow_id: "default",
    event_id: EVENT,
    envelope_hash: envelope,
    signer,
    created_at: at,
    status: "signed",
  };
}

function aggregation(over: Partial<Aggregation>): Aggregation {
  return {
    id: 1,
    service_id: SERVICE,
    workflow_id: "default",
    event_id: EVENT,
    chain: "evm:31337",
    handler: "0x5fc8",
    status: "burned",
    envelope_hash: "0xe1",
    signers: [],
    quorum_reached_at: null,
    quorum_signers: null,
    designated_submitter: A,
    landed_by: null,
    landed_tx_hash: null,
    landed_block: null,
    landed_at: null,
    transaction: null,
    disagreements: [],
    notes: [],
    created_at: 0,
    ...over,
  };
}

const answer = (over: Partial<EventAnswer>): EventAnswer => ({
  event_id: EVENT,
  executions: [],
  submissions: [],
  aggregations: [],
  ...over,
});

describe("an event's journey", () => {
  it("orders every operator's steps by time; a takeover and a landing by another are named", () => {
    const j = buildJourney([
      {
        node: "op-a",
        signer: A,
        answer: answer({
          executions: [execution(100)],
          submissions: [signed(110, A)],
          aggregations: [
            aggregation({
              signers: [
                { signer: A, origin: "local", peer_id: null, received_at: 110 },
                { signer: B, origin: "peer", peer_id: "12D3b", received_at: 130 },
              ],
              quorum_reached_at: 140,
              quorum_signers: [A, B],
              landed_by: "other",
              landed_tx_hash: "0x77",
              landed_block: 20,
              landed_at: 300,
            }),
          ],
        }),
      },
      {
        node: "op-b",
        signer: B,
        answer: answer({
          executions: [execution(102, { duration_ms: 6 })],
          submissions: [signed(120, B)],
          aggregations: [
            aggregation({
              signers: [
                { signer: B, origin: "local", peer_id: null, received_at: 120 },
                { signer: A, origin: "peer", peer_id: "12D3a", received_at: 125 },
              ],
              quorum_reached_at: 126,
              quorum_signers: [A, B],
              landed_by: "self",
              // B sends although A was designated: a takeover
              transaction: {
                tx_hash: "0x77",
                status: "mined",
                receipt_status: "success",
                gas_used: "50000",
                block_number: 20,
                error: null,
                sent_at: 200,
                mined_at: 250,
              },
            }),
          ],
        }),
      },
    ]);
    expect(j.steps.map((s) => `${s.at} ${s.node} ${s.kind}`)).toEqual([
      "100 op-a trigger",
      "101 op-a execution",
      "102 op-b trigger",
      "103 op-b execution",
      "110 op-a signed",
      "120 op-b signed",
      "125 op-b received",
      "126 op-b quorum",
      "130 op-a received",
      "140 op-a quorum",
      "200 op-b tx-sent",
      "200 op-b takeover",
      "250 op-b tx-mined",
      "300 op-a landed",
    ]);
    expect(j.steps.every((s) => s.ok)).toBe(true);
    expect(j.steps[0]!.detail).toBe("EvmContractEvent, on evm:31337, block 12, tx 0xfeed, log 3");
    expect(j.steps.find((s) => s.kind === "takeover")!.detail).toContain(
      `designated submitter ${A}`,
    );
    expect(j.envelopes).toEqual([{ envelope_hash: "0xe1", signers: [A, B] }]);
    expect([j.serviceId, j.workflowId]).toEqual([SERVICE, "default"]);
  });

  it("shows disagreeing operators side by side and failures as failures", () => {
    const j = buildJourney([
      {
        node: "op-a",
        signer: A,
        answer: answer({
          executions: [
            execution(100, {
              status: "failed",
              error_code: "WAVS_ERR_EXEC_TRAP",
              error_message: "unreachable",
            }),
          ],
          aggregations: [
            aggregation({
              status: "collecting",
              signers: [{ signer: B, origin: "peer", peer_id: "p", received_at: 150 }],
              disagreements: [
                {
                  signer: C,
                  envelope_hash: "0xe2",
                  origin: "peer",
                  peer_id: "q",
                  received_at: 160,
                },
              ],
              transaction: {
                tx_hash: "0x1",
                status: "mined",
                receipt_status: "reverted",
                gas_used: "1",
                block_number: 3,
                error: null,
                sent_at: 170,
                mined_at: 180,
              },
            }),
          ],
        }),
      },
    ]);
    const bad = j.steps.filter((s) => !s.ok).map((s) => s.kind);
    expect(bad).toEqual(["execution", "disagreement", "tx-mined"]);
    expect(j.steps.find((s) => s.kind === "execution")!.detail).toBe(
      "WAVS_ERR_EXEC_TRAP: unreachable",
    );
    expect(j.envelopes).toEqual([
      { envelope_hash: "0xe1", signers: [B] },
      { envelope_hash: "0xe2", signers: [C] },
    ]);
  });

  it("an event nobody knows is an empty journey; trigger data of other kinds reads plainly", () => {
    expect(buildJourney([{ node: "x", signer: null, answer: answer({}) }])).toEqual({
      steps: [],
      envelopes: [],
      serviceId: null,
      workflowId: null,
    });
    expect(triggerWhere({ Cron: { trigger_time: 5 } })).toBe("Cron, time 5");
    expect(
      triggerWhere({
        CosmosContractEvent: {
          contract_address: "wasm1...",
          chain: "cosmos:wasmd-1",
          event: { type: "wasm-new-message", attributes: [] },
          block_height: 12,
          event_index: 3,
        },
      }),
    ).toBe("CosmosContractEvent, on cosmos:wasmd-1, height 12, wasm-new-message, event 3");
    expect(triggerWhere(null)).toBe("");
  });
});
