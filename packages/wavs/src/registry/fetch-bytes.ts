/**
 * Bounded downloads for service JSON and components: http, https, or ipfs:// through the
 * configured gateway; a deadline over the whole transfer and a size cap enforced while the
 * body streams in, so a hostile or broken server cannot hang the node or fill its memory.
 */
import { redactUrl, redactUrlsInText } from "../config/index.js";
import type { ErrorCode } from "../internal/index.js";
import { errorMessage, WavsError } from "../internal/index.js";

/** Limits and error codes of one download. */
export interface FetchBytesOptions {
  /** Gateway for ipfs:// URIs, e.g. `https://gateway.pinata.cloud/ipfs/`. */
  ipfsGateway: string;
  /** Deadline for the whole transfer, headers and body. */
  timeoutMs: number;
  /** Largest body accepted. */
  maxBytes: number;
  /** What is fetched, for messages: `service JSON`, `workflow 'w1' component`. */
  what: string;
  /** Code for connection failures, timeouts and non-2xx answers. */
  unreachableCode: ErrorCode;
  /** Code for a body over `maxBytes`. */
  tooLargeCode: ErrorCode;
  /** Aborts the download (node shutdown). */
  signal?: AbortSignal | undefined;
}

/**
 * The URL to request for a URI: http(s) as is; `ipfs://<cid>/<path>` as `<gateway><cid>/<path>`.
 * Undefined for any other scheme.
 */
export function resolveUri(uri: string, ipfsGateway: string): string | undefined {
  if (/^ipfs:\/\//i.test(uri)) {
    // Sliced as text so the CID and path reach the gateway exactly as written.
    const rest = uri.slice("ipfs://".length).replace(/^\/+/, "");
    if (rest === "") return undefined;
    return `${ipfsGateway.endsWith("/") ? ipfsGateway : `${ipfsGateway}/`}${rest}`;
  }
  if (!URL.canParse(uri)) return undefined;
  const { protocol } = new URL(uri);
  return protocol === "http:" || protocol === "https:" ? uri : undefined;
}

function describeFailure(err: unknown): string {
  if (err instanceof DOMException && err.name === "TimeoutError") return "timed out";
  if (err instanceof DOMException && err.name === "AbortError") return "was aborted";
  // undici reports "fetch failed" with the real reason (ECONNREFUSED, ENOTFOUND...) as cause.
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string"
      ? `failed (${code})`
      : `failed (${redactUrlsInText(cause.message)})`;
  }
  return `failed (${redactUrlsInText(errorMessage(err))})`;
}

// fetch() refuses URLs with credentials; a gateway written as https://user:pass@host/ipfs/
// means HTTP basic auth, so move them into a header.
function withBasicAuth(url: string, signal: AbortSignal): [string, RequestInit] {
  const parsed = new URL(url);
  if (parsed.username === "" && parsed.password === "") return [url, { signal }];
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = "";
  parsed.password = "";
  const authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
  return [parsed.toString(), { signal, headers: { authorization } }];
}

/** Download `uri` (already checked with `resolveUri`) within the limits; returns the body. */
export async function fetchBytes(uri: string, options: FetchBytesOptions): Promise<Uint8Array> {
  const url = resolveUri(uri, options.ipfsGateway);
  if (url === undefined) throw new WavsError("WAVS_ERR_INTERNAL", `unsupported URI ${uri}`);
  const shown = redactUrl(uri);
  const details = { uri: shown, ...(url === uri ? {} : { url: redactUrl(url) }) };
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const unreachable = (why: string, cause?: unknown) =>
    new WavsError(options.unreachableCode, `${options.what} at ${shown}: ${why}`, {
      details,
      hint: "Check that the URI is reachable from this node (and the IPFS gateway, for ipfs://), then retry.",
      cause,
    });
  const tooLarge = () =>
    new WavsError(
      options.tooLargeCode,
      `${options.what} at ${shown} is larger than ${options.maxBytes} bytes`,
      { details: { ...details, max_bytes: options.maxBytes } },
    );

  let response: Response;
  try {
    response = await fetch(...withBasicAuth(url, signal));
  } catch (err) {
    throw unreachable(`request ${describeFailure(err)}`, err);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw unreachable(`answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    if (response.body) {
      for await (const chunk of response.body) {
        total += chunk.byteLength;
        if (total > options.maxBytes) {
          await response.body.cancel().catch(() => undefined);
          throw tooLarge();
        }
        chunks.push(chunk);
      }
    }
  } catch (err) {
    if (err instanceof WavsError) throw err;
    throw unreachable(`reading the body ${describeFailure(err)}`, err);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}
