import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { LogBuffer } from "./log-buffer.js";
import { createLogger } from "./logger.js";
import { createMetricsPush } from "./metrics-push.js";

/** A Pushgateway stand-in on loopback that records every request. */
async function gateway() {
  const seen: {
    method: string;
    path: string;
    auth: string | undefined;
    body: string;
    type: string | undefined;
  }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      seen.push({
        method: req.method!,
        path: req.url!,
        auth: req.headers.authorization,
        body,
        type: req.headers["content-type"],
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { port, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A logger whose lines are kept (as JSON text). */
function capture() {
  const buffer = new LogBuffer();
  const logger = createLogger({ level: "info", stderr: false, buffer });
  return {
    logger,
    get lines() {
      return buffer.recent({}, 100).map((e) => JSON.stringify(e.line));
    },
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe("metrics push to a Pushgateway", () => {
  it("PUTs the metrics text to /metrics/job/wavs/instance/<instance>, with URL credentials as Basic auth", async () => {
    const g = await gateway();
    closers.push(g.close);
    const log = capture();
    const { logger } = log;
    const push = createMetricsPush({
      url: `http://pusher:s3cret@127.0.0.1:${g.port}/`,
      instance: "0xAbC",
      intervalMs: 60_000,
      text: async () => "wavs_executions_total 3\n",
      contentType: "text/plain; version=0.0.4",
      logger,
    });
    expect(await push.pushNow()).toBe(true);
    expect(g.seen).toEqual([
      {
        method: "PUT",
        path: "/metrics/job/wavs/instance/0xAbC",
        auth: `Basic ${Buffer.from("pusher:s3cret").toString("base64")}`,
        body: "wavs_executions_total 3\n",
        type: "text/plain; version=0.0.4",
      },
    ]);
    // stop pushes a last time
    await push.stop();
    expect(g.seen).toHaveLength(2);
    expect(log.lines.join("")).not.toContain("s3cret");
  });

  it("a gateway that is down is logged once per outage (without the password), never thrown", async () => {
    const g = await gateway();
    await g.close(); // the port is now closed
    const log = capture();
    const { logger } = log;
    const push = createMetricsPush({
      url: `http://u:hunter2@127.0.0.1:${g.port}`,
      instance: "n",
      intervalMs: 60_000,
      text: async () => "",
      contentType: "text/plain",
      logger,
    });
    expect(await push.pushNow()).toBe(false);
    expect(await push.pushNow()).toBe(false);
    const warnings = log.lines.filter((l) => l.includes("pushing metrics failed"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain("hunter2");
    expect(warnings[0]).toContain(`127.0.0.1:${g.port}`);
  });
});
