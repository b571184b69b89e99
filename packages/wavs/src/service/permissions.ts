/** What a component may do: HTTP hosts, file system, raw sockets, DNS. Everything off by default. */
import { z } from "zod";
import type { JsonObject, JsonValue } from "./json.js";
import { checkedString, strictRecord, taggedEnum } from "./schema-helpers.js";
import { describeValue } from "./validation-error.js";

// A name or IPv4 address, or an IPv6 address in brackets, then an optional port.
const HOST_RE = /^(?:\[[0-9a-fA-F:.]+\]|[^\s/:[\]]+)(?::[0-9]{1,5})?$/;

/** One entry of `allowed_http_hosts.only`: `host` or `host:port`, no scheme or path. */
export const AllowedHostSchema = checkedString(
  (s) =>
    HOST_RE.test(s)
      ? undefined
      : `${describeValue(s)} is not a host (expected 'host' or 'host:port', without scheme or path)`,
  "host or host:port",
);

/** `"all"`, `"none"` or `{"only": [hosts]}`. */
export const AllowedHostsSchema = taggedEnum({
  all: null,
  only: z.array(AllowedHostSchema).transform((hosts) => ({ hosts })),
  none: null,
});

/** Which HTTP hosts a component may reach. */
export type AllowedHosts = z.output<typeof AllowedHostsSchema>;

/**
 * Permissions as written in the JSON: every field optional (absent means off). Absent fields
 * stay absent so the JSON is written back unchanged; use `resolvePermissions` to read them.
 */
export const PermissionsSchema = strictRecord({
  allowed_http_hosts: AllowedHostsSchema.optional(),
  file_system: z.boolean().optional(),
  raw_sockets: z.boolean().optional(),
  dns_resolution: z.boolean().optional(),
});

/** Permissions as written in the service JSON. */
export type Permissions = z.output<typeof PermissionsSchema>;

/** Permissions with every default applied. */
export interface ResolvedPermissions {
  allowed_http_hosts: AllowedHosts;
  file_system: boolean;
  raw_sockets: boolean;
  dns_resolution: boolean;
}

/** Apply the defaults (nothing allowed) to permissions as written in the JSON. */
export function resolvePermissions(p: Permissions): ResolvedPermissions {
  return {
    allowed_http_hosts: p.allowed_http_hosts ?? { type: "none" },
    file_system: p.file_system ?? false,
    raw_sockets: p.raw_sockets ?? false,
    dns_resolution: p.dns_resolution ?? false,
  };
}

/** JSON of an allowed-hosts value. */
export function allowedHostsToJson(hosts: AllowedHosts): JsonValue {
  return hosts.type === "only" ? { only: [...hosts.hosts] } : hosts.type;
}

/** JSON of permissions, writing only the fields that were present. */
export function permissionsToJson(p: Permissions): JsonObject {
  const out: JsonObject = {};
  if (p.allowed_http_hosts !== undefined) {
    out.allowed_http_hosts = allowedHostsToJson(p.allowed_http_hosts);
  }
  if (p.file_system !== undefined) out.file_system = p.file_system;
  if (p.raw_sockets !== undefined) out.raw_sockets = p.raw_sockets;
  if (p.dns_resolution !== undefined) out.dns_resolution = p.dns_resolution;
  return out;
}
