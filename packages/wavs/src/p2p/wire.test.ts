import { describe, expect, it } from "vitest";
import { makeSubmission, SERVICE_A } from "../../test/helpers/p2p-harness.js";
import {
  decodeSubmission,
  encodeSubmission,
  messageIdOf,
  serviceIdOfTopic,
  topicForService,
  WIRE_VERSION,
} from "./wire.js";

const enc = new TextEncoder();
const wire = (submission: unknown, version = WIRE_VERSION) =>
  enc.encode(JSON.stringify({ version, submission }));

describe("gossip wire format", () => {
  it("round-trips a submission as versioned JSON", () => {
    const s = makeSubmission(SERVICE_A, {
      operator_response: { payload: "0x", ordering: "18446744073709551615", event_id_salt: "0x01" },
    });
    const bytes = encodeSubmission(s);
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual({ version: 1, submission: s });
    expect(decodeSubmission(bytes)).toEqual({ ok: true, submission: s, traceparent: undefined });
  });

  it("carries the sender's traceparent beside the submission; a malformed one is dropped, the message kept", () => {
    const s = makeSubmission();
    const tp = `00-${"ab".repeat(16)}-${"cd".repeat(8)}-01`;
    const bytes = encodeSubmission(s, undefined, tp);
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual({
      version: 1,
      submission: s,
      traceparent: tp,
    });
    expect(decodeSubmission(bytes)).toEqual({ ok: true, submission: s, traceparent: tp });
    for (const junk of ["x", 7, { a: 1 }, `${tp}-extra`]) {
      const odd = new TextEncoder().encode(
        JSON.stringify({ version: 1, submission: s, traceparent: junk }),
      );
      expect(decodeSubmission(odd)).toEqual({ ok: true, submission: s, traceparent: undefined });
    }
  });

  it("refuses to encode beyond the cap and reports oversized input before parsing", () => {
    const s = makeSubmission();
    const size = encodeSubmission(s).length;
    expect(() => encodeSubmission(s, size - 1)).toThrow(RangeError);
    const r = decodeSubmission(new Uint8Array(size), size - 1);
    expect(r).toMatchObject({ ok: false, reason: "oversized" });
  });

  it.each([
    ["not JSON", enc.encode("{")],
    ["invalid UTF-8", new Uint8Array([0xc3, 0x28])],
    ["a JSON array", enc.encode("[]")],
    ["no version", enc.encode(JSON.stringify({ submission: makeSubmission() }))],
    ["a short signature", wire({ ...makeSubmission(), signature: "0x1234" })],
    ["an upper-case service id", wire({ ...makeSubmission(), service_id: "A".repeat(64) })],
    ["a bad workflow id", wire({ ...makeSubmission(), workflow_id: "X" })],
    [
      "odd-length payload hex",
      wire({ ...makeSubmission(), envelope: { ...makeSubmission().envelope, payload: "0x123" } }),
    ],
    ["trigger data that is not an object", wire({ ...makeSubmission(), trigger_data: [1] })],
    [
      "an ordering over u64",
      wire({
        ...makeSubmission(),
        operator_response: { payload: "0x", ordering: "18446744073709551616", event_id_salt: null },
      }),
    ],
    [
      "a numeric ordering",
      wire({
        ...makeSubmission(),
        operator_response: { payload: "0x", ordering: 5, event_id_salt: null },
      }),
    ],
  ])("rejects %s as malformed", (_what, bytes) => {
    expect(decodeSubmission(bytes)).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("rejects unknown versions", () => {
    expect(decodeSubmission(wire(makeSubmission(), 2))).toMatchObject({
      ok: false,
      reason: "unknown_version",
    });
  });

  it("maps services to topics and back", () => {
    expect(topicForService(SERVICE_A)).toBe(`wavs/submissions/${SERVICE_A}`);
    expect(serviceIdOfTopic(topicForService(SERVICE_A))).toBe(SERVICE_A);
    expect(serviceIdOfTopic("wavs/submissions/xyz")).toBeUndefined();
    expect(serviceIdOfTopic("other")).toBeUndefined();
  });

  it("gives content message ids", () => {
    const a = encodeSubmission(makeSubmission());
    expect(messageIdOf(a)).toBe(messageIdOf(new Uint8Array(a)));
    expect(messageIdOf(a)).not.toBe(messageIdOf(encodeSubmission(makeSubmission())));
    expect(messageIdOf(a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
