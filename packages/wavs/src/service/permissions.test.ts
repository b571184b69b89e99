import { describe, expect, test } from "vitest";
import { PermissionsSchema, permissionsToJson, resolvePermissions } from "./permissions.js";

describe("permissions", () => {
  test("everything is off by default", () => {
    expect(resolvePermissions(PermissionsSchema.parse({}))).toEqual({
      allowed_http_hosts: { type: "none" },
      file_system: false,
      raw_sockets: false,
      dns_resolution: false,
    });
  });

  test("given fields win; absent ones stay absent in the JSON", () => {
    const p = PermissionsSchema.parse({
      allowed_http_hosts: { only: ["a.com"] },
      dns_resolution: true,
    });
    expect(resolvePermissions(p)).toEqual({
      allowed_http_hosts: { type: "only", hosts: ["a.com"] },
      file_system: false,
      raw_sockets: false,
      dns_resolution: true,
    });
    expect(permissionsToJson(p)).toStrictEqual({
      allowed_http_hosts: { only: ["a.com"] },
      dns_resolution: true,
    });
  });

  test("hosts may carry a port or a wildcard, never a scheme or path", () => {
    const ok = [
      "localhost",
      "127.0.0.1:8545",
      "*.example.com",
      "api.example.com:443",
      "[::1]:8545",
    ];
    expect(PermissionsSchema.safeParse({ allowed_http_hosts: { only: ok } }).success).toBe(true);
    for (const bad of ["http://a.com", "a.com/path", "a.com:port", "", "a b", "::1"]) {
      expect(PermissionsSchema.safeParse({ allowed_http_hosts: { only: [bad] } }).success).toBe(
        false,
      );
    }
  });
});
