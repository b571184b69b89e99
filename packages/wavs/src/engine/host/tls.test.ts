// A component importing wasi:tls (as WAVS's worlds do) links and runs here; a handshake is
// refused with an io-error saying why (a hand-written WAT component makes the calls).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine } from "../../../test/helpers/engine-harness.js";
import { watFixture } from "../../../test/helpers/wat-fixture.js";
import { rawRunRequest } from "../raw-run-request.js";
import { TLS_REFUSED } from "./tls.js";

describe("wasi:tls", () => {
  let h: Awaited<ReturnType<typeof startEngine>>;
  let digest = "";

  beforeAll(async () => {
    h = await startEngine();
    digest = (await h.register(await watFixture("tls-probe"))).digest;
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it("a component importing wasi:tls links; its handshake gets a clear io-error and the run goes on", async () => {
    const out = await h.engine.execute(rawRunRequest(digest, "x"));
    if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
    const [response] = out.value as { payload: Uint8Array }[];
    expect(Buffer.from(response!.payload).toString()).toBe(TLS_REFUSED);
    expect(out.logs).toContainEqual({
      level: "warn",
      source: "engine",
      message: `TLS handshake with example.com refused: ${TLS_REFUSED}`,
    });
  });
});
