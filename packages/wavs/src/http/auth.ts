/**
 * Bearer-token auth for mutating routes. Reads stay public; every other method needs
 * `Authorization: Bearer <token>` when a token is configured.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { WavsError } from "../internal/index.js";

/** Methods that never change state and so need no token. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The challenge sent with every 401, as RFC 6750 asks. */
export const WWW_AUTHENTICATE = 'Bearer realm="wavs"';

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * Whether `header` carries `token`. Both sides are hashed first so the constant-time compare
 * sees equal lengths and the token's length does not leak through timing either.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
  // Compare even when the header is missing or malformed, so every refusal costs the same.
  const given = match?.[1] ?? "";
  const equal = timingSafeEqual(digest(given), digest(token));
  return match !== null && equal;
}

/**
 * Require the token on every mutating request, before its body is read. A refusal is thrown
 * so the error handler answers it (401, JSON body, WWW-Authenticate) like every other error.
 */
export function installBearerAuth(app: FastifyInstance, token: string | undefined): void {
  if (token === undefined || token === "") return;
  // a plugin (not a direct hook) so it runs after the CORS plugin registered before it
  const expected = token;
  app.register(
    fastifyPlugin(async (root: FastifyInstance) => {
      root.addHook("onRequest", check);
    }),
  );
  async function check(request: FastifyRequest): Promise<void> {
    if (SAFE_METHODS.has(request.method)) return;
    if (bearerMatches(request.headers.authorization, expected)) return;
    throw new WavsError(
      "WAVS_ERR_HTTP_UNAUTHORIZED",
      request.headers.authorization === undefined
        ? "this route needs a bearer token"
        : "the bearer token is wrong",
      { hint: "Send the node's bearer_token as `Authorization: Bearer <token>`." },
    );
  }
}
