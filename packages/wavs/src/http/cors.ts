/**
 * CORS for browser clients (dashboards) on the origins listed in `cors_allowed_origins`
 * (`*` allows any), with @fastify/cors. With an empty list no CORS headers are sent, so
 * browsers keep the same-origin rule. Registered before the bearer-token check, so a refusal
 * (401) still carries the headers a browser needs to read it.
 */
import cors from "@fastify/cors";
import type { FastifyInstance } from "fastify";

/** The Access-Control-Allow-Origin value for `origin`, or undefined when it is not allowed. */
export function allowedOrigin(
  origin: string | undefined,
  allowed: readonly string[],
): string | undefined {
  if (origin === undefined) return undefined;
  if (allowed.includes("*")) return "*";
  return allowed.includes(origin) ? origin : undefined;
}

/** Answer preflights and add CORS headers for allowed origins. */
export function installCors(app: FastifyInstance, allowed: readonly string[]): void {
  if (allowed.length === 0) return;
  app.register(cors, {
    origin: allowed.includes("*") ? "*" : [...allowed],
    methods: ["GET", "HEAD", "POST", "DELETE", "OPTIONS"],
    allowedHeaders: ["authorization", "content-type"],
    maxAge: 600,
    // a preflight is answered here, whatever the route: it carries no token
    strictPreflight: false,
  });
}
