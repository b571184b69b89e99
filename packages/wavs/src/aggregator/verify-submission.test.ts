import { WavsError } from "@wavs-ts/errors";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";
import { dataWithId, signedSubmission } from "../../test/helpers/aggregator-harness.js";
import { serviceId as serviceIdOf } from "../ids/index.js";
import { defaultExecService, type Service, type Workflow } from "../service/index.js";
import { signResponse } from "../signing/index.js";
import { gossipVerdict, localSubmission, type SignedSubmission } from "./signed-submission.js";
import { refusalPenalises, verifySubmission } from "./verify-submission.js";

const signer = privateKeyToAccount(generatePrivateKey());
const other = privateKeyToAccount(generatePrivateKey());

describe("verifySubmission", () => {
  let service: Service;
  let sid: string;
  let good: SignedSubmission;
  const deps = {
    resolve: (s: string, w: string) =>
      s === sid && service.workflows.has(w)
        ? { service, workflow: service.workflows.get(w)! }
        : undefined,
    maxPayloadBytes: 1024,
  };
  const reason = async (sub: SignedSubmission) => {
    try {
      await verifySubmission(sub, deps);
    } catch (err) {
      expect(err).toBeInstanceOf(WavsError);
      expect((err as WavsError).code).toBe("WAVS_ERR_AGGREGATOR_SUBMISSION_INVALID");
      return (err as Error).message;
    }
    return "accepted";
  };

  beforeAll(async () => {
    service = defaultExecService("ab".repeat(32));
    const base = service.workflows.get("default")!;
    service.workflows.set("agg", {
      ...base,
      submit: {
        type: "aggregator",
        component: base.component,
        signature_kind: { algorithm: "secp256k1", prefix: "eip191" },
      } as Workflow["submit"],
    });
    sid = serviceIdOf(service.manager);
    good = await signedSubmission(signer, {
      serviceId: sid,
      workflowId: "agg",
      trigger: "t-1",
      payload: dataWithId(1n, "x"),
    });
  });

  it("accepts a well-formed submission and recovers its signer", async () => {
    const v = await verifySubmission(good, deps);
    expect(v.signer).toBe(signer.address);
    expect(v.eventId).toBe(good.event_id);
    expect(v.envelope.payload).toBe(good.operator_response.payload);
  });

  it("refuses unknown services and workflows that submit nothing", async () => {
    expect(await reason({ ...good, service_id: "cd".repeat(32) })).toMatch(/not registered here/);
    expect(await reason({ ...good, workflow_id: "default" })).toMatch(/does not submit/);
    expect(await reason({ ...good, service_id: "nope" })).toMatch(/service id/);
  });

  it("refuses an event id that does not match the trigger data", async () => {
    expect(await reason({ ...good, trigger_data: { raw: "0x0102" } })).toMatch(
      /event_id does not match/,
    );
  });

  it("refuses an envelope not built from the operator response", async () => {
    expect(await reason({ ...good, envelope: { ...good.envelope, payload: "0x00" } })).toMatch(
      /envelope is not/,
    );
    expect(
      await reason({ ...good, envelope: { ...good.envelope, ordering: `0x${"00".repeat(11)}01` } }),
    ).toMatch(/envelope is not/);
    expect(
      await reason({ ...good, operator_response: { ...good.operator_response, payload: "0x00" } }),
    ).toMatch(/envelope is not/);
  });

  it("refuses signatures that do not recover to the claimed signer", async () => {
    expect(await reason({ ...good, signer: other.address })).toMatch(
      /does not recover to the claimed/,
    );
    const flipped = `${good.signature.slice(0, 10)}${good.signature[10] === "0" ? "1" : "0"}${good.signature.slice(11)}`;
    expect(await reason({ ...good, signature: flipped })).toMatch(/recover/);
    expect(await reason({ ...good, signature: "0x1234" })).toMatch(/65 bytes/);
  });

  it("refuses the malleated twin of a good signature (validate's ecrecover check rejects it)", async () => {
    // s' = n - s with v flipped recovers the same signer, so only the high-s rule tells them apart
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${good.signature.slice(66, 130)}`);
    const v = good.signature.slice(130) === "1b" ? "1c" : "1b";
    const twin = `${good.signature.slice(0, 66)}${(n - s).toString(16).padStart(64, "0")}${v}`;
    expect(await reason({ ...good, signature: twin as typeof good.signature })).toMatch(/high s/);
  });

  it("refuses malformed fields and oversized payloads", async () => {
    expect(
      await reason({ ...good, operator_response: { ...good.operator_response, ordering: "-1" } }),
    ).toMatch(/ordering/);
    expect(await reason({ ...good, trigger_data: { nonsense: 1 } })).toMatch(/trigger_data/);
    const big = await signedSubmission(signer, {
      serviceId: sid,
      workflowId: "agg",
      trigger: "t-2",
      payload: `0x${"00".repeat(2048)}`,
    });
    expect(await reason(big)).toMatch(/larger than 1024/);
  });

  it("keeps ordering 0 apart from no ordering", async () => {
    const triggerData = { type: "raw" as const, data: new TextEncoder().encode("t-3") };
    const { eventId, encodeTriggerDataForEventId } = await import("../ids/index.js");
    const id = eventId(sid, "agg", encodeTriggerDataForEventId(triggerData));
    const response = { payload: new Uint8Array([1]), ordering: 0n, eventIdSalt: undefined };
    const signed = await signResponse(signer, {
      eventId: id,
      ordering: 0n,
      payload: response.payload,
      signatureKind: { algorithm: "secp256k1", prefix: "eip191" },
    });
    const sub = localSubmission({
      serviceId: sid,
      workflowId: "agg",
      triggerData,
      response,
      signed,
    });
    expect(sub.operator_response.ordering).toBe("0");
    expect((await verifySubmission(sub, deps)).response.ordering).toBe(0n);
  });

  it("tells provably bad submissions from ones that cannot be judged here", async () => {
    const refusal = async (sub: SignedSubmission) =>
      verifySubmission(sub, deps).then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(refusalPenalises(await refusal({ ...good, signer: other.address }))).toBe(true);
    expect(refusalPenalises(await refusal({ ...good, service_id: "cd".repeat(32) }))).toBe(false);
    expect(gossipVerdict({ verdict: "accepted", inputId: 1 })).toBe("accept");
    expect(gossipVerdict({ verdict: "duplicate" })).toBe("ignore");
    expect(gossipVerdict({ verdict: "rejected", reason: "x", penalise: true })).toBe("reject");
    expect(gossipVerdict({ verdict: "rejected", reason: "x", penalise: false })).toBe("ignore");
  });
});
