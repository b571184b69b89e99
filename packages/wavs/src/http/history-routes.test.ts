import { describe, expect, it } from "vitest";
import { specExampleJson } from "../../test/helpers/service-fixtures.js";
import { errorOf, startTestServer, type TestServer } from "../../test/helpers/test-server.js";
import type { ExecutionRecord, SubmissionRecord } from "./node-api.js";

function execution(id: number, serviceId: string): ExecutionRecord {
  return {
    id,
    service_id: serviceId,
    workflow_id: "default",
    event_id: `0x${id.toString(16).padStart(40, "0")}`,
    trigger_type: "evm_contract_event",
    trigger_data: { Raw: [104, 105] },
    status: id % 2 === 0 ? "succeeded" : "failed",
    error_code: id % 2 === 0 ? null : "WAVS_ERR_EXEC_TRAP",
    error_message: id % 2 === 0 ? null : "unreachable",
    fuel_used: 1234,
    duration_ms: 12.5,
    queued_at: 1_700_000_000_000 + id,
    started_at: 1_700_000_000_000 + id,
    finished_at: 1_700_000_000_013 + id,
    attempts: 1,
    logs: [{ level: "info", source: "component", message: `run ${id}` }],
    responses: [{ payload_hex: "0x6869", ordering: null, event_id_salt: null }],
  };
}

function submission(id: number, serviceId: string): SubmissionRecord {
  return {
    id,
    service_id: serviceId,
    workflow_id: "default",
    event_id: `0x${id.toString(16).padStart(40, "0")}`,
    envelope_hash: `0x${"ab".repeat(32)}`,
    signer: `0x${"11".repeat(20)}`,
    signature: `0x${"cd".repeat(65)}`,
    created_at: 1_700_000_000_000 + id,
    status: "signed",
  };
}

async function withService(t: TestServer): Promise<string> {
  await t.node.addService(t.node.publish(specExampleJson()));
  const id = [...t.node.services.keys()][0]!;
  for (let i = 1; i <= 5; i++) {
    t.node.executions.push(execution(i, id));
    t.node.submissions.push(submission(i, id));
  }
  return id;
}

describe("history routes", () => {
  it("lists recent executions newest first, paged with limit and before", async () => {
    const t = await startTestServer();
    const id = await withService(t);
    const all = await t.request(`/services/${id}/executions`);
    expect(all.status).toBe(200);
    const body = (await all.json()) as { executions: ExecutionRecord[]; next_before: unknown };
    expect(body.executions.map((e) => e.id)).toEqual([5, 4, 3, 2, 1]);
    expect(body.executions[0]).toEqual(execution(5, id));
    expect(body.next_before).toBeNull();

    const page1 = (await (await t.request(`/services/${id}/executions?limit=2`)).json()) as {
      executions: ExecutionRecord[];
      next_before: number;
    };
    expect(page1.executions.map((e) => e.id)).toEqual([5, 4]);
    expect(page1.next_before).toBe(4);
    const page2 = (await (
      await t.request(`/services/${id}/executions?limit=2&before=${page1.next_before}`)
    ).json()) as { executions: ExecutionRecord[] };
    expect(page2.executions.map((e) => e.id)).toEqual([3, 2]);
  });

  it("GET /events/{event_id}: one event's executions and submissions, the id in either case, with or without 0x", async () => {
    const t = await startTestServer();
    const id = await withService(t);
    const eventId = `0x${(3).toString(16).padStart(40, "0")}`;
    for (const form of [eventId, eventId.slice(2), eventId.toUpperCase().replace("0X", "0x")]) {
      const res = await t.request(`/events/${form}`);
      expect(res.status, form).toBe(200);
      expect(await res.json()).toEqual({
        event_id: eventId,
        executions: [execution(3, id)],
        submissions: [submission(3, id)],
        aggregations: [],
      });
    }
    // an event nobody saw is not an error: the node simply knows nothing of it yet
    const unseen = await t.request(`/events/0x${"ee".repeat(20)}`);
    expect(((await unseen.json()) as { executions: unknown[] }).executions).toEqual([]);
    const bad = await t.request("/events/0x1234");
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toContain("event_id");
  });

  it("lists recent submissions", async () => {
    const t = await startTestServer();
    const id = await withService(t);
    const res = await t.request(`/services/${id}/submissions?limit=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ submissions: [submission(5, id)], next_before: 5 });
  });

  it.each([
    ["limit=0", /^query parameter limit: '0' is not an integer from 1 to 1000$/],
    ["limit=1001", /^query parameter limit: '1001' is not an integer from 1 to 1000$/],
    ["limit=ten", /^query parameter limit: 'ten' is not an integer from 1 to 1000/],
    ["before=0", /^query parameter before: '0' is not a positive record id$/],
    ["page=2", /^query parameter page: unknown field$/],
  ])("400 for ?%s", async (query, message) => {
    const t = await startTestServer();
    const id = await withService(t);
    const res = await t.request(`/services/${id}/executions?${query}`);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(message);
  });

  it("400 for a malformed service id, 404 for an unknown one", async () => {
    const t = await startTestServer();
    const bad = await t.request("/services/xyz/submissions");
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toBe(
      "path parameter service_id: 'xyz' is not a service id (64 lowercase hex characters)",
    );
    const unknown = await t.request(`/services/${"0".repeat(64)}/executions`);
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe("WAVS_ERR_SERVICE_NOT_FOUND");
  });
});
