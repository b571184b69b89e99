import { lookup } from "node:dns/promises";
import type { HttpPolicy } from "./exec-types.js";
import type { BrokerHttpOutcome, BrokerHttpRequest, BrokerHttpResponse } from "./host/http.js";
import { HttpHostError, httpErrorCode, innermostMessage } from "./host/http-error-code.js";
import { httpAllowed } from "./host/http-policy.js";
import type { BrokerRequest } from "./host/sync-broker.js";

/** Limits the main thread applies to I/O it performs for components. */
export interface HostIoLimits {
  maxResponseBytes: number;
  requestTimeoutMs: number;
  maxRedirects: number;
}

async function readCapped(res: Response, max: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > max) {
      throw new HttpHostError(
        { tag: "HTTP-response-body-size", val: BigInt(total) },
        `response body over ${max} bytes`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Perform a component's HTTP request. Redirects are followed here, one hop at a time, and
 * every hop is checked against the component's allow-list, so a permitted host cannot
 * redirect the component somewhere it may not go.
 */
export async function performHttp(
  request: BrokerHttpRequest,
  policy: HttpPolicy,
  limits: HostIoLimits,
): Promise<BrokerHttpResponse> {
  let url = new URL(request.url);
  let method = request.method;
  let body = request.body;
  for (let hop = 0; ; hop++) {
    if (!httpAllowed(policy, url)) {
      throw new HttpHostError(
        { tag: "HTTP-request-denied" },
        `denied: ${url.host} is not in allowed_http_hosts`,
      );
    }
    const res = await fetch(url, {
      method,
      headers: request.headers,
      body: body === undefined ? null : Buffer.from(body),
      redirect: "manual",
      signal: AbortSignal.timeout(limits.requestTimeoutMs),
    });
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      if (hop >= limits.maxRedirects) {
        throw new HttpHostError(
          { tag: "loop-detected" },
          `more than ${limits.maxRedirects} redirects`,
        );
      }
      url = new URL(location, url);
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
      }
      continue;
    }
    const headers: [string, string][] = [];
    res.headers.forEach((v, k) => {
      headers.push([k, v]);
    });
    return { status: res.status, headers, body: await readCapped(res, limits.maxResponseBytes) };
  }
}

/** Answer one broker request from a worker. */
export async function handleBrokerRequest(
  req: BrokerRequest,
  limits: HostIoLimits,
): Promise<unknown> {
  if (req.kind === "http") {
    // a failed request is an answer too: its wasi:http error code goes back to the component
    return performHttp(req.request as BrokerHttpRequest, req.policy as HttpPolicy, limits).then(
      (response): BrokerHttpOutcome => ({ response }),
      (err: unknown): BrokerHttpOutcome => ({
        failed: { code: httpErrorCode(err), message: innermostMessage(err) },
      }),
    );
  }
  if (req.kind === "dns") return lookup(String(req.name), { all: true });
  throw new Error(`unknown broker request ${req.kind}`);
}
