import type { ExecPermissions, ExecRequest } from "./engine.js";

/** Permissions with nothing allowed. */
export const NO_PERMISSIONS: ExecPermissions = {
  http: { kind: "none" },
  fileSystem: false,
  rawSockets: false,
  dnsResolution: false,
};

/** A fixed service id for runs outside any service (benchmarks, engine tests). */
export const ANONYMOUS_SERVICE_ID = "ab".repeat(32);

/**
 * A `run` request on raw input bytes with a manual trigger and no permissions, outside any
 * real service: what benchmarks and engine tests need, overridable field by field.
 */
export function rawRunRequest(
  digest: string,
  input: Uint8Array | string,
  overrides: Partial<ExecRequest> = {},
): ExecRequest {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  return {
    digest,
    fn: "run",
    args: [
      {
        config: {
          serviceId: ANONYMOUS_SERVICE_ID,
          workflowId: "default",
          trigger: { tag: "manual" },
        },
        data: { tag: "raw", val: bytes },
      },
    ],
    serviceId: ANONYMOUS_SERVICE_ID,
    workflowId: "default",
    service: {},
    workflow: {},
    config: {},
    envKeys: [],
    permissions: NO_PERMISSIONS,
    ...overrides,
  };
}
