/**
 * Talking to nodes: this page's own node and, on a `wavs dev` network, the other operators
 * (config `dashboard_peers`). Reads need nothing; actions send the bearer token typed into the
 * page, kept in sessionStorage only (gone when the tab closes).
 */

const TOKEN_KEY = "wavs-dashboard-token";

/** The token typed into the page, or "" when none. */
export function getToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? "";
}

/** Remember (or with "", forget) the token for this tab. */
export function setToken(token: string): void {
  if (token === "") sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/** A failed call, with the node's error code and message when it gave them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

async function failure(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`;
  let message = response.statusText || `HTTP ${response.status}`;
  let hint: string | undefined;
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; hint?: string };
    };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
    hint = body.error?.hint;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, code, message, hint);
}

/** One node's HTTP API. */
export class NodeClient {
  /** `base` is "" for this page's own node, else a URL such as http://127.0.0.1:8001. */
  constructor(
    readonly base: string,
    readonly label: string,
  ) {}

  /** GET a JSON route. */
  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.base + path, { signal: signal ?? null });
    } catch (cause) {
      if ((cause as Error).name === "AbortError") throw cause;
      throw new ApiError(0, "UNREACHABLE", `${this.label} did not answer`);
    }
    if (!response.ok) throw await failure(response);
    return (await response.json()) as T;
  }

  /** POST with the bearer token: a JSON body, or raw bytes (a component). */
  async post<T>(path: string, body: unknown): Promise<T | undefined> {
    const headers: Record<string, string> = {};
    const token = getToken();
    if (token !== "") headers.authorization = `Bearer ${token}`;
    let payload: BodyInit;
    if (body instanceof ArrayBuffer) {
      headers["content-type"] = "application/wasm";
      payload = body;
    } else {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const response = await fetch(this.base + path, { method: "POST", headers, body: payload });
    if (!response.ok) throw await failure(response);
    const text = await response.text();
    return text === "" ? undefined : (JSON.parse(text) as T);
  }
}

/** This page's node. */
export const self = new NodeClient("", "this node");
