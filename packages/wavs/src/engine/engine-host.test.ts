import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { buildFixture } from "@wavs-ts/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine } from "../../test/helpers/engine-harness.js";
import { firstPayloadText, serviceRunRequest } from "../../test/helpers/service-request.js";
import { encodeTriggerDataForEventId, eventId } from "../ids/index.js";
import { bytesToHex } from "../service/index.js";
import type { ExecOutcome } from "./engine.js";
import { validateAggregatorActions, validateResponses } from "./responses.js";

const FIXTURES = [
  "host-probe",
  "env-snoop",
  "fs-escape",
  "forbidden-host",
  "kv-counter",
  "multi-response",
  "trap",
  "global-counter",
  "sleeper",
  "echo",
  "aggregator-probe",
  "sockets-probe",
] as const;

function ok(out: ExecOutcome): unknown {
  if (!out.ok) throw new Error(`execution failed: ${out.error.code} ${out.error.message}`);
  return out.value;
}

function json(out: ExecOutcome): Record<string, unknown> {
  return JSON.parse(firstPayloadText(ok(out))) as Record<string, unknown>;
}

describe("engine host imports with TypeScript components", () => {
  let h: Awaited<ReturnType<typeof startEngine>>;
  const digests: Record<string, string> = {};
  let server: Server;
  let other: Server;
  let port = 0;
  let otherPort = 0;

  beforeAll(async () => {
    h = await startEngine({
      hostEnv: {
        WAVS_ENV_VISIBLE: "yes",
        WAVS_ENV_OTHER: "other",
        SECRET_TOKEN: "hunter2",
        WAVS_NOT_ENV: "no",
      },
    });
    for (const name of FIXTURES)
      digests[name] = (await h.register(await buildFixture(name))).digest;
    other = createServer((_req, res) => res.end("other server"));
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    otherPort = (other.address() as AddressInfo).port;
    server = createServer((req, res) => {
      if (req.url === "/redirect") {
        res.writeHead(302, { location: `http://127.0.0.1:${otherPort}/` });
        res.end();
      } else res.end("hello from the test server");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  }, 600_000);

  afterAll(async () => {
    server?.close();
    other?.close();
    await h?.close();
  });

  it("answers every host function: service, workflow, event ids, config, logs, chain configs", async () => {
    const req = serviceRunRequest(digests["host-probe"]!, {
      config: { color: "blue", cosmos_chain: "cosmos:none" },
    });
    const out = await h.engine.execute({
      ...req,
      evmChains: {
        "evm:31337": {
          chainId: "31337",
          wsEndpoints: ["ws://127.0.0.1:8545"],
          httpEndpoint: undefined,
        },
      },
    });
    const r = json(out);
    const expectedId = eventId(req.serviceIdHex, "default", encodeTriggerDataForEventId(req.data));
    expect(r.eventId).toBe(bytesToHex(expectedId));
    expect(r.eventIdSalted).toBe(
      bytesToHex(eventId(req.serviceIdHex, "default", new TextEncoder().encode("salt"))),
    );
    expect(r.config).toEqual({ color: "blue", cosmos_chain: "cosmos:none" });
    expect(r.missingConfig).toBeNull();
    expect(r.evmChain).toEqual({
      chainId: "31337",
      wsEndpoints: ["ws://127.0.0.1:8545"],
      httpEndpoint: null,
    });
    expect(r.unknownEvmChain).toBeNull();
    expect(r.cosmosChain).toBeNull();
    expect((r.service as { service: { name: string }; workflowId: string }).service.name).toBe(
      "exec",
    );
    expect((r.workflow as { workflowId: string }).workflowId).toBe("default");
    expect((r.action as { config: { serviceId: string } }).config.serviceId).toBe(req.serviceIdHex);
    const logs = out.logs.map((l) => `${l.source}/${l.level}: ${l.message}`);
    for (const level of ["error", "warn", "info", "debug", "trace"]) {
      expect(logs).toContain(`host/${level}: host-probe log at ${level}`);
    }
    expect(logs).toContain("stdout/info: host-probe to stdout");
    expect(logs).toContain("stderr/warn: host-probe to stderr");
  });

  it("passes only env_keys that start with WAVS_ENV and exist on the host", async () => {
    const req = serviceRunRequest(digests["env-snoop"]!, {
      envKeys: ["WAVS_ENV_VISIBLE", "SECRET_TOKEN", "WAVS_NOT_ENV", "WAVS_ENV_MISSING"],
    });
    const r = json(await h.engine.execute(req));
    expect(r.environment).toEqual({ WAVS_ENV_VISIBLE: "yes" });
    expect(r.arguments).toEqual([]);
    expect(r.processEnv).toBeNull();
  });

  it("gives no file system without the permission", async () => {
    const r = json(await h.engine.execute(serviceRunRequest(digests["fs-escape"]!)));
    expect(r.preopens).toEqual([]);
  });

  it("confines the file system to a private per-service directory", async () => {
    const req = serviceRunRequest(digests["fs-escape"]!, { permissions: { fileSystem: true } });
    const r = json(await h.engine.execute(req)) as {
      preopens: string[];
      attempts: Record<string, { ok: boolean; error?: string }>;
    };
    expect(r.preopens).toEqual(["."]);
    expect(r.attempts["read ../../etc/passwd"]).toEqual({ ok: false, error: "not-permitted" });
    expect(r.attempts["read /etc/passwd"]).toEqual({ ok: false, error: "not-permitted" });
    expect(r.attempts["write ./ok.txt"]?.ok).toBe(true);
    expect(r.attempts["read ./ok.txt"]?.ok).toBe(true);
    expect(existsSync(join(h.dataDir, "files", req.serviceIdHex, "ok.txt"))).toBe(true);
    expect(readFileSync(join(h.dataDir, "files", req.serviceIdHex, "ok.txt"), "utf8")).toBe(
      "ok from fs-escape\n",
    );
  });

  it.each([
    ["none", { kind: "none" as const }, "/", false],
    ["all", { kind: "all" as const }, "/", true],
    ["only this host", "only-self" as const, "/", true],
    ["only another host", { kind: "only" as const, hosts: ["example.com"] }, "/", false],
    ["only this host, redirected elsewhere", "only-self" as const, "/redirect", false],
  ])("HTTP with allowed_http_hosts %s", async (_name, policy, path, allowed) => {
    const http =
      policy === "only-self" ? { kind: "only" as const, hosts: [`127.0.0.1:${port}`] } : policy;
    const req = serviceRunRequest(digests["forbidden-host"]!, {
      config: { url: `http://127.0.0.1:${port}${path}` },
      permissions: { http },
    });
    const out = await h.engine.execute(req);
    const r = json(out);
    expect(r.ok).toBe(allowed);
    if (allowed) expect(r.body).toBe("hello from the test server");
    else expect(out.logs.some((l) => /denied/.test(l.message))).toBe(true);
  });

  it("follows a redirect to another allowed host", async () => {
    const req = serviceRunRequest(digests["forbidden-host"]!, {
      config: { url: `http://127.0.0.1:${port}/redirect` },
      permissions: {
        http: { kind: "only", hosts: [`127.0.0.1:${port}`, `127.0.0.1:${otherPort}`] },
      },
    });
    expect(json(await h.engine.execute(req))).toMatchObject({ ok: true, body: "other server" });
  });

  it.each([
    [false, "access-denied"],
    [true, "not-supported"],
  ])("refuses raw sockets (raw_sockets permission %s: %s)", async (rawSockets, error) => {
    const req = serviceRunRequest(digests["sockets-probe"]!, { permissions: { rawSockets } });
    expect(json(await h.engine.execute(req))).toEqual({ tcp: { ok: false, error } });
  });

  it("keeps KV per service and persists it across executions", async () => {
    const a = serviceRunRequest(digests["kv-counter"]!);
    const b = serviceRunRequest(digests["kv-counter"]!, {
      managerAddress: "0x00000000000000000000000000000000000000b0",
    });
    expect(firstPayloadText(ok(await h.engine.execute(a)))).toBe("1");
    expect(firstPayloadText(ok(await h.engine.execute(a)))).toBe("2");
    expect(firstPayloadText(ok(await h.engine.execute(b)))).toBe("1");
  });

  it("gives every execution fresh component state", async () => {
    const req = serviceRunRequest(digests["global-counter"]!);
    const answers = await Promise.all(Array.from({ length: 12 }, () => h.engine.execute(req)));
    expect(answers.map((o) => firstPayloadText(ok(o)))).toEqual(Array(12).fill("1:1"));
  });

  it("enforces the salt rule for several responses", async () => {
    const without = ok(await h.engine.execute(serviceRunRequest(digests["multi-response"]!)));
    expect(() => validateResponses(without, 1 << 20)).toThrow(/carry no event-id-salt/);
    const withSalts = ok(
      await h.engine.execute(
        serviceRunRequest(digests["multi-response"]!, { config: { salts: "true" } }),
      ),
    );
    const responses = validateResponses(withSalts, 1 << 20);
    expect(responses.map((r) => r.ordering)).toEqual([1n, 2n]);
  });

  it("turns a thrown error into a component error and a bad result into a trap", async () => {
    const thrown = await h.engine.execute(
      serviceRunRequest(digests.trap!, { config: { mode: "throw" } }),
    );
    expect(thrown.ok ? undefined : [thrown.error.code, thrown.error.message]).toEqual([
      "WAVS_ERR_EXEC_COMPONENT_ERROR",
      "trap fixture: thrown error",
    ]);
    const trapped = await h.engine.execute(
      serviceRunRequest(digests.trap!, { config: { mode: "unreachable" } }),
    );
    expect(trapped.ok ? undefined : trapped.error.code).toBe("WAVS_ERR_EXEC_TRAP");
    // the instance that trapped is replaced; the component keeps working
    const again = await h.engine.execute(
      serviceRunRequest(digests.trap!, { config: { mode: "err" } }),
    );
    expect(again.ok ? undefined : again.error.message).toBe("trap fixture: explicit err");
  });

  it("does not let a sleeping component delay a quick one", async () => {
    const order: string[] = [];
    const sleeping = h.engine
      .execute(serviceRunRequest(digests.sleeper!, { config: { ms: "10000" } }))
      .then((o) => order.push(`sleeper ${o.ok}`));
    // give the sleeper a worker first
    await new Promise((r) => setTimeout(r, 200));
    const quick = await h.engine.execute(serviceRunRequest(digests.echo!));
    order.push(`echo ${quick.ok}`);
    expect(order).toEqual(["echo true"]);
    await sleeping;
    expect(order).toEqual(["echo true", "sleeper true"]);
  }, 60_000);

  it("gives an aggregator component its own config and the submission's event id", async () => {
    const base = serviceRunRequest(digests["aggregator-probe"]!, {
      config: { chain: "evm:31337" },
    });
    const id = new Uint8Array(20).fill(7);
    const input = {
      triggerAction: base.args[0],
      operatorResponse: {
        payload: new Uint8Array([1]),
        ordering: undefined,
        eventIdSalt: undefined,
      },
    };
    const out = await h.engine.execute({
      ...base,
      fn: "process-input",
      args: [input],
      eventId: id,
    });
    const actions = validateAggregatorActions(ok(out));
    expect(actions).toEqual([
      { kind: "submit", chainType: "evm", chain: "evm:31337", address: id, gasPrice: undefined },
    ]);
    expect(out.logs.map((l) => l.message)).toContain(
      "aggregator-probe service=exec workflow=default",
    );
  });
});
