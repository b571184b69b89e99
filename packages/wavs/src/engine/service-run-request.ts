import { type Component, resolvePermissions, type Service } from "../service/index.js";
import { serviceToWit, workflowToWit } from "../wit/index.js";
import type { ExecPermissions, ExecRequest } from "./engine.js";

/** Which service, workflow and component settings an execution runs with. */
export interface ServiceRunContext {
  service: Service;
  workflowId: string;
  serviceId: string;
  /** The component whose settings apply (the workflow's, or its aggregator's). */
  component: Component;
}

/** Engine permissions from a component's permissions (absent fields: nothing allowed). */
export function execPermissions(component: Component): ExecPermissions {
  const p = resolvePermissions(component.permissions);
  const hosts = p.allowed_http_hosts;
  return {
    http: hosts.type === "only" ? { kind: "only", hosts: [...hosts.hosts] } : { kind: hosts.type },
    fileSystem: p.file_system,
    rawSockets: p.raw_sockets,
    dnsResolution: p.dns_resolution,
  };
}

/** The engine request fields that come from the service context. */
export function serviceRequestFields(
  ctx: ServiceRunContext,
): Pick<
  ExecRequest,
  | "serviceId"
  | "workflowId"
  | "service"
  | "workflow"
  | "config"
  | "envKeys"
  | "permissions"
  | "timeLimitSeconds"
  | "fuelLimit"
> {
  const workflow = ctx.service.workflows.get(ctx.workflowId);
  if (!workflow) throw new Error(`workflow ${ctx.workflowId} is not in the service`);
  return {
    serviceId: ctx.serviceId,
    workflowId: ctx.workflowId,
    service: serviceToWit(ctx.service),
    workflow: workflowToWit(workflow),
    config: [...ctx.component.config],
    envKeys: ctx.component.env_keys,
    permissions: execPermissions(ctx.component),
    timeLimitSeconds: ctx.component.time_limit_seconds,
    fuelLimit: ctx.component.fuel_limit,
  };
}
