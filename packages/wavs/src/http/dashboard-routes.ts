/**
 * The operator console's static assets (packages/dashboard, built into its dist/ at `npm
 * install`): the page at `/`, its script and stylesheet under `/dashboard/`. Read once, served
 * from memory; asset names carry content hashes, so they are cached for good and the page for
 * a moment. The page reads the public JSON routes and sends the typed token only on actions.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import { WavsError } from "../internal/index.js";
import { documented } from "./schemas.js";

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

/** The built assets by file name; undefined when the dashboard was not built. */
export function loadDashboardAssets(dist = defaultDist()): Map<string, Asset> | undefined {
  let files: string[];
  try {
    files = (JSON.parse(readFileSync(join(dist, "manifest.json"), "utf8")) as { files: string[] })
      .files;
  } catch {
    return undefined;
  }
  const assets = new Map<string, Asset>();
  for (const name of files) {
    const body = readFileSync(join(dist, name));
    const type = TYPES[name.split(".").pop() ?? ""] ?? "application/octet-stream";
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"`;
    assets.set(name, { body, type, etag });
  }
  return assets;
}

function defaultDist(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@wavs-ts/dashboard/package.json")), "dist");
}

function notBuilt(): WavsError {
  return new WavsError("WAVS_ERR_DASHBOARD_NOT_BUILT", "the dashboard's assets are not built", {
    hint: "Run `npm run build` in the checkout (npm install runs it); the JSON API works without them.",
  });
}

/** Register `/` and `/dashboard/*`; `connectSrc` lists the other nodes the page may read. */
export function dashboardRoutes(
  app: FastifyInstance,
  opts: { assets: Map<string, Asset> | undefined; connectSrc: readonly string[] },
): void {
  const { assets } = opts;
  // The page runs only its own script; it may read this node and the configured peers.
  const csp = [
    "default-src 'self'",
    `connect-src 'self' ${opts.connectSrc.map((u) => new URL(u).origin).join(" ")}`.trim(),
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "frame-ancestors 'none'",
  ].join("; ");
  const send = (
    reply: FastifyReply,
    asset: Asset,
    ifNoneMatch: string | undefined,
    cache: string,
  ) => {
    reply
      .header("etag", asset.etag)
      .header("cache-control", cache)
      .header("x-content-type-options", "nosniff");
    if (ifNoneMatch === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  };

  app.get("/", { schema: documented({ hide: true }) }, async (request, reply) => {
    const page = assets?.get("index.html");
    if (!page) throw notBuilt();
    reply.header("content-security-policy", csp).header("referrer-policy", "no-referrer");
    return send(reply, page, request.headers["if-none-match"], "no-cache");
  });
  app.get<{ Params: { file: string } }>(
    "/dashboard/:file",
    { schema: documented({ hide: true }) },
    async (request, reply) => {
      if (!assets) throw notBuilt();
      const asset =
        request.params.file === "index.html" ? undefined : assets.get(request.params.file);
      if (!asset) {
        throw new WavsError(
          "WAVS_ERR_HTTP_NOT_FOUND",
          `no dashboard asset ${request.params.file}`,
          {
            hint: "The page at / names the current assets; reload it.",
          },
        );
      }
      return send(
        reply,
        asset,
        request.headers["if-none-match"],
        "public, max-age=31536000, immutable",
      );
    },
  );
}
