/**
 * Pushes the node's metrics to a Prometheus Pushgateway (config `prometheus`) every
 * `prometheus_push_interval_ms`, and once more on stop: for nodes Prometheus cannot scrape.
 * The group is `job="wavs"`, `instance=<node>`; each push replaces the group (PUT), so metrics
 * the node no longer has do not linger. Failures are logged once per outage, never thrown.
 */
import type { Logger } from "./logger.js";
import { splitCredentials } from "./url-credentials.js";

/** What the pusher needs. */
export interface MetricsPushOptions {
  /** Pushgateway base URL, e.g. http://127.0.0.1:9091. */
  url: string;
  instance: string;
  intervalMs: number;
  /** The metrics in Prometheus text format, and its content type. */
  text: () => Promise<string>;
  contentType: string;
  logger: Logger;
}

/** The periodic push, started and stopped with the node. */
export interface MetricsPush {
  start(): void;
  /** Stop the timer and push a last time. */
  stop(): Promise<void>;
  /** Push now (resolves false when the gateway refused or did not answer). */
  pushNow(): Promise<boolean>;
}

/** Create the pusher (idle until `start()`). */
export function createMetricsPush(options: MetricsPushOptions): MetricsPush {
  // logs name the gateway by host only: its URL may carry credentials
  const log = options.logger.child({
    subsystem: "metrics-push",
    gateway: new URL(options.url).host,
  });
  // credentials in the URL become a Basic auth header, never part of a logged URL
  const { url, authorization } = splitCredentials(
    `${options.url.replace(/\/+$/, "")}/metrics/job/wavs/instance/${encodeURIComponent(options.instance)}`,
  );
  const headers: Record<string, string> = { "content-type": options.contentType };
  if (authorization) headers.authorization = authorization;
  let timer: NodeJS.Timeout | undefined;
  let failing = false;
  let inFlight: Promise<boolean> | undefined;

  async function push(): Promise<boolean> {
    let problem: string | undefined;
    try {
      const res = await fetch(url, {
        method: "PUT",
        headers,
        body: await options.text(),
        signal: AbortSignal.timeout(5_000),
      });
      if (!res.ok) problem = `HTTP ${res.status}`;
      await res.body?.cancel();
    } catch (err) {
      problem = err instanceof Error ? err.message : String(err);
    }
    if (problem !== undefined && !failing) {
      log.warn({ err: problem }, "pushing metrics failed");
    } else if (problem === undefined && failing) {
      log.info("pushing metrics works again");
    }
    failing = problem !== undefined;
    return !failing;
  }

  const pushNow = () => {
    // one push at a time: a slow gateway must not pile them up
    inFlight ??= push().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return {
    start() {
      if (timer) return;
      timer = setInterval(() => void pushNow(), options.intervalMs);
      timer.unref();
      void pushNow();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await inFlight;
      await push();
    },
    pushNow,
  };
}
