/** A component reference in a workflow: where its bytes come from, its limits and its config. */
import { z } from "zod";
import { DigestSchema } from "./digest.js";
import { bigintToJson, u64Schema, uintNumberSchema } from "./integers.js";
import { type JsonObject, objectFromEntries } from "./json.js";
import { PermissionsSchema, permissionsToJson } from "./permissions.js";
import { checkedString, orderedMap, strictRecord, taggedEnum } from "./schema-helpers.js";
import { describeValue } from "./validation-error.js";

const SEMVER_RE =
  /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const PACKAGE_RE = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;

/** `http(s)://...` or `ipfs://CID/...`. */
export const ComponentUriSchema = checkedString((s) => {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return `${describeValue(s)} is not a URI (expected http://, https:// or ipfs://)`;
  }
  return ["http:", "https:", "ipfs:"].includes(url.protocol)
    ? undefined
    : `${describeValue(s)} has scheme '${url.protocol.slice(0, -1)}' (expected http, https or ipfs)`;
}, "an http://, https:// or ipfs:// URI");

/** Where the component's wasm bytes come from. */
export const ComponentSourceSchema = taggedEnum({
  download: strictRecord({ uri: ComponentUriSchema, digest: DigestSchema }),
  registry: strictRecord({
    digest: DigestSchema,
    domain: checkedString(
      (s) => (s.length > 0 ? undefined : "must not be empty (use null for the default wa.dev)"),
      "a registry host",
    )
      .nullable()
      .optional(),
    version: checkedString(
      (s) => (SEMVER_RE.test(s) ? undefined : `${describeValue(s)} is not a version (x.y.z)`),
      "a semver version x.y.z",
    )
      .nullable()
      .optional(),
    package: checkedString(
      (s) =>
        PACKAGE_RE.test(s)
          ? undefined
          : `${describeValue(s)} is not a package name (namespace:name)`,
      "namespace:name",
    ),
  }),
  digest: DigestSchema.transform((digest) => ({ digest })),
});

/** Where the component's wasm bytes come from. */
export type ComponentSource = z.output<typeof ComponentSourceSchema>;

/** Name of an operator environment variable passed to the component; must start with WAVS_ENV. */
export const EnvKeySchema = checkedString(
  (s) => (s.startsWith("WAVS_ENV") ? undefined : `${describeValue(s)} must start with WAVS_ENV`),
  "a name starting with WAVS_ENV",
);

/**
 * A component of a workflow (or an aggregator component). Optional numbers keep the
 * difference between `null` and an absent key so the JSON is written back unchanged; read
 * them with `?? default`. `config` is a Map in JSON key order.
 */
export const ComponentSchema = strictRecord({
  source: ComponentSourceSchema,
  permissions: PermissionsSchema,
  fuel_limit: u64Schema().nullable().optional(),
  // Kept as a number (it feeds timers); values past 2^53 seconds would be meaningless anyway.
  time_limit_seconds: uintNumberSchema(0, Number.MAX_SAFE_INTEGER).nullable().optional(),
  config: orderedMap(z.string(), z.string()),
  env_keys: z.array(EnvKeySchema),
});

/** A component of a workflow. */
export type Component = z.output<typeof ComponentSchema>;

/** JSON of a component source. */
export function componentSourceToJson(source: ComponentSource): JsonObject {
  switch (source.type) {
    case "digest":
      return { digest: source.digest };
    case "download":
      return { download: { uri: source.uri, digest: source.digest } };
    case "registry": {
      const registry: JsonObject = { digest: source.digest };
      if (source.domain !== undefined) registry.domain = source.domain;
      if (source.version !== undefined) registry.version = source.version;
      registry.package = source.package;
      return { registry };
    }
  }
}

/** JSON of a component, in the reference's field order. */
export function componentToJson(component: Component): JsonObject {
  const out: JsonObject = {
    source: componentSourceToJson(component.source),
    permissions: permissionsToJson(component.permissions),
  };
  if (component.fuel_limit !== undefined) {
    out.fuel_limit = component.fuel_limit === null ? null : bigintToJson(component.fuel_limit);
  }
  if (component.time_limit_seconds !== undefined) {
    out.time_limit_seconds = component.time_limit_seconds;
  }
  out.config = objectFromEntries(component.config);
  out.env_keys = [...component.env_keys];
  return out;
}
