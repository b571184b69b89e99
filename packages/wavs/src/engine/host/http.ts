import type { ExecState } from "./exec-state.js";
import { fail } from "./host-error.js";
import type { HttpErrorCode } from "./http-error-code.js";
import { httpAllowed } from "./http-policy.js";
import { bufferSource, InputStream, OutputStream, Pollable } from "./io.js";

/** A request as sent through the broker to the main thread. */
export interface BrokerHttpRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: Uint8Array | undefined;
}

/** A response as returned by the main thread. */
export interface BrokerHttpResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** What the main thread answers: the response, or why there is none (its wasi:http error code). */
export type BrokerHttpOutcome =
  | { response: BrokerHttpResponse }
  | { failed: { code: HttpErrorCode; message: string } };

type HeaderEntry = [string, Uint8Array];
const enc = new TextEncoder();
const dec = new TextDecoder();

class Fields {
  entriesList: HeaderEntry[] = [];
  immutable = false;
  static fromList(list: HeaderEntry[]): Fields {
    const f = new Fields();
    f.entriesList = list.map(([k, v]) => [k.toLowerCase(), v]);
    return f;
  }
  mutate(): void {
    if (this.immutable) fail({ tag: "immutable" });
  }
  get(name: string): Uint8Array[] {
    const n = name.toLowerCase();
    return this.entriesList.filter(([k]) => k === n).map(([, v]) => v);
  }
  has(name: string): boolean {
    return this.get(name).length > 0;
  }
  set(name: string, values: Uint8Array[]): void {
    this.mutate();
    this.delete(name);
    for (const v of values) this.entriesList.push([name.toLowerCase(), v]);
  }
  delete(name: string): void {
    this.mutate();
    const n = name.toLowerCase();
    this.entriesList = this.entriesList.filter(([k]) => k !== n);
  }
  append(name: string, value: Uint8Array): void {
    this.mutate();
    this.entriesList.push([name.toLowerCase(), value]);
  }
  entries(): HeaderEntry[] {
    return this.entriesList.slice();
  }
  clone(): Fields {
    return Fields.fromList(this.entriesList);
  }
}

class RequestOptions {
  connect: bigint | undefined;
  firstByte: bigint | undefined;
  between: bigint | undefined;
  connectTimeout() {
    return this.connect;
  }
  setConnectTimeout(v: bigint | undefined) {
    this.connect = v;
  }
  firstByteTimeout() {
    return this.firstByte;
  }
  setFirstByteTimeout(v: bigint | undefined) {
    this.firstByte = v;
  }
  betweenBytesTimeout() {
    return this.between;
  }
  setBetweenBytesTimeout(v: bigint | undefined) {
    this.between = v;
  }
}

/** Placeholders for the server half of wasi:http, which components never use here. */
class IncomingRequest {}
class OutgoingResponse {}
class ResponseOutparam {}

/**
 * wasi:http/types and wasi:http/outgoing-handler, with the allow-list enforced per request.
 *
 * The request goes out when its body is complete, not at `handle`: Rust clients (wstd, which
 * WAVS's components use) call `handle` first and write the body afterwards, in several
 * `write` / `blocking-write-and-flush` calls, then `outgoing-body.finish`. So the request is
 * sent at `finish`, or when the response is first asked for (a body never written is empty).
 * Trailers given to `finish` are accepted and not sent: the host's HTTP client has no way to.
 */
export function httpImports(state: ExecState) {
  class OutgoingBody {
    chunks: Uint8Array[] = [];
    finished = false;
    taken = false;
    /** Set by `handle` when the request waits for this body. */
    onFinish: (() => void) | undefined;
    write(): OutputStream {
      if (this.taken) fail(undefined);
      this.taken = true;
      return new OutputStream(state, {
        write: (b) => {
          if (this.finished) throw new Error("the body is finished");
          this.chunks.push(b.slice());
        },
      });
    }
    static finish(body: OutgoingBody, _trailers?: Fields): void {
      if (body.finished) fail({ tag: "internal-error", val: "the body is already finished" });
      body.finished = true;
      body.onFinish?.();
    }
    bytes(): Uint8Array {
      return Buffer.concat(this.chunks);
    }
  }

  class OutgoingRequest {
    methodValue: { tag: string; val?: string } = { tag: "get" };
    path: string | undefined;
    schemeValue: { tag: string; val?: string } | undefined;
    authorityValue: string | undefined;
    bodyValue = new OutgoingBody();
    bodyTaken = false;
    constructor(readonly headersValue: Fields) {
      headersValue.immutable = true;
    }
    body(): OutgoingBody {
      if (this.bodyTaken) fail(undefined);
      this.bodyTaken = true;
      return this.bodyValue;
    }
    method() {
      return this.methodValue;
    }
    setMethod(m: { tag: string; val?: string }) {
      this.methodValue = m;
    }
    pathWithQuery() {
      return this.path;
    }
    setPathWithQuery(p: string | undefined) {
      this.path = p;
    }
    scheme() {
      return this.schemeValue;
    }
    setScheme(s: { tag: string; val?: string } | undefined) {
      this.schemeValue = s;
    }
    authority() {
      return this.authorityValue;
    }
    setAuthority(a: string | undefined) {
      this.authorityValue = a;
    }
    headers(): Fields {
      return this.headersValue;
    }
  }

  class FutureTrailers {
    subscribe() {
      return new Pollable(state, undefined);
    }
    get() {
      return { tag: "ok", val: { tag: "ok", val: undefined } };
    }
  }

  class IncomingBody {
    taken = false;
    constructor(readonly bytes: Uint8Array) {}
    stream(): InputStream {
      if (this.taken) fail(undefined);
      this.taken = true;
      return new InputStream(state, bufferSource(this.bytes));
    }
    static finish(_body: IncomingBody): FutureTrailers {
      return new FutureTrailers();
    }
  }

  class IncomingResponse {
    consumed = false;
    constructor(readonly response: BrokerHttpResponse) {}
    status(): number {
      return this.response.status;
    }
    headers(): Fields {
      const f = Fields.fromList(this.response.headers.map(([k, v]) => [k, enc.encode(v)]));
      f.immutable = true;
      return f;
    }
    consume(): IncomingBody {
      if (this.consumed) fail(undefined);
      this.consumed = true;
      return new IncomingBody(this.response.body);
    }
  }

  type Outcome = { tag: "ok"; val: IncomingResponse } | { tag: "err"; val: HttpErrorCode };

  class FutureIncomingResponse {
    delivered = false;
    outcome: Outcome | undefined;
    constructor(readonly send: () => Outcome) {}
    /** Send the request now (once); its body is as complete as it will get. */
    settle(): Outcome {
      this.outcome ??= this.send();
      return this.outcome;
    }
    subscribe() {
      return new Pollable(state, undefined);
    }
    get() {
      if (this.delivered) return { tag: "err", val: undefined };
      this.delivered = true;
      return { tag: "ok", val: this.settle() };
    }
  }

  function methodName(m: { tag: string; val?: string }): string {
    return m.tag === "other" ? (m.val ?? "GET") : m.tag.toUpperCase();
  }

  function handle(request: OutgoingRequest, _options?: RequestOptions): FutureIncomingResponse {
    const ctx = state.current();
    const scheme = request.schemeValue?.tag === "HTTP" ? "http" : "https";
    const authority = request.authorityValue;
    if (!authority) fail({ tag: "HTTP-request-URI-invalid" });
    let url: URL;
    try {
      url = new URL(`${scheme}://${authority}${request.path ?? "/"}`);
    } catch {
      fail({ tag: "HTTP-request-URI-invalid" });
    }
    if (!httpAllowed(ctx.http, url)) {
      state.log({
        level: "warn",
        source: "engine",
        message: `outgoing HTTP request to ${url.host} denied: not in allowed_http_hosts`,
      });
      fail({ tag: "HTTP-request-denied" });
    }
    const method = methodName(request.methodValue);
    const headers = request.headersValue.entriesList.map(([k, v]): [string, string] => [
      k,
      dec.decode(v),
    ]);
    const bodyValue = request.bodyValue;
    const send = (): Outcome => {
      const body = bodyValue.bytes();
      const reply = state.broker.call({
        kind: "http",
        policy: ctx.http,
        request: {
          method,
          url: url.toString(),
          headers,
          body: body.length > 0 ? body : undefined,
        } satisfies BrokerHttpRequest,
      });
      const outcome: BrokerHttpOutcome | undefined = reply.ok
        ? (reply.value as BrokerHttpOutcome)
        : { failed: { code: { tag: "internal-error", val: reply.error }, message: reply.error } };
      if ("response" in outcome) return { tag: "ok", val: new IncomingResponse(outcome.response) };
      state.log({
        level: "warn",
        source: "engine",
        message: `outgoing HTTP request to ${url.host} failed (${outcome.failed.code.tag}): ${outcome.failed.message}`,
      });
      return { tag: "err", val: outcome.failed.code };
    };
    const future = new FutureIncomingResponse(send);
    // a body still being written (or not yet taken) sends the request when it is finished
    if (bodyValue.finished) future.settle();
    else bodyValue.onFinish = () => future.settle();
    return future;
  }

  return {
    "wasi:http/types": {
      Fields,
      FutureIncomingResponse,
      FutureTrailers,
      IncomingBody,
      IncomingRequest,
      IncomingResponse,
      OutgoingBody,
      OutgoingRequest,
      OutgoingResponse,
      RequestOptions,
      ResponseOutparam,
      httpErrorCode: () => undefined,
    },
    "wasi:http/outgoing-handler": { handle },
  };
}
