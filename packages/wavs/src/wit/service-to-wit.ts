/** Service model -> the wavs:types/service WIT values components see (host get-service etc.). */

import type {
  Component,
  ComponentSource,
  Service,
  ServiceManager,
  SignatureKind,
  Submit,
  Trigger,
  Workflow,
} from "../service/index.js";
import {
  type AllowedHosts,
  decodeBech32,
  hexToBytes,
  resolvePermissions,
} from "../service/index.js";
import type {
  WitAllowedHostPermission,
  WitComponent,
  WitComponentSource,
  WitCosmosAddress,
  WitEvmAddress,
  WitService,
  WitServiceAndWorkflowId,
  WitServiceManager,
  WitSignatureKind,
  WitSubmit,
  WitTrigger,
  WitWorkflow,
  WitWorkflowAndWorkflowId,
} from "./wit-types.js";

/** WIT `evm-address` of a `0x` address. */
export function evmAddressToWit(address: string): WitEvmAddress {
  return { rawBytes: hexToBytes(address) };
}

/** WIT `cosmos-address` of a bech32 address (prefix-len is the prefix's length). */
export function cosmosAddressToWit(address: string): WitCosmosAddress {
  return { bech32Addr: address, prefixLen: decodeBech32(address).prefix.length };
}

/** WIT `trigger` of a trigger. */
export function triggerToWit(trigger: Trigger): WitTrigger {
  switch (trigger.type) {
    case "evm_contract_event":
      return {
        tag: "evm-contract-event",
        val: {
          address: evmAddressToWit(trigger.address),
          chain: trigger.chain,
          eventHash: hexToBytes(trigger.event_hash),
        },
      };
    case "cosmos_contract_event":
      return {
        tag: "cosmos-contract-event",
        val: {
          address: cosmosAddressToWit(trigger.address),
          chain: trigger.chain,
          eventType: trigger.event_type,
        },
      };
    case "block_interval":
      return {
        tag: "block-interval",
        val: {
          chain: trigger.chain,
          nBlocks: trigger.n_blocks,
          startBlock: trigger.start_block ?? undefined,
          endBlock: trigger.end_block ?? undefined,
        },
      };
    case "cron":
      return {
        tag: "cron",
        val: {
          schedule: trigger.schedule,
          startTime: trigger.start_time == null ? undefined : { nanos: trigger.start_time },
          endTime: trigger.end_time == null ? undefined : { nanos: trigger.end_time },
        },
      };
    case "atproto_event":
      return {
        tag: "atproto-event",
        val: {
          collection: trigger.collection,
          repoDid: trigger.repo_did ?? undefined,
          action: trigger.action ?? undefined,
        },
      };
    case "hypercore_append":
      return { tag: "hypercore-append", val: { feedKey: trigger.feed_key } };
    case "manual":
      return { tag: "manual" };
  }
}

/** WIT `component-source` of a component source (the JSON `package` becomes `pkg`). */
export function componentSourceToWit(source: ComponentSource): WitComponentSource {
  switch (source.type) {
    case "digest":
      return { tag: "digest", val: source.digest };
    case "download":
      return { tag: "download", val: { uri: source.uri, digest: source.digest } };
    case "registry":
      return {
        tag: "registry",
        val: {
          digest: source.digest,
          domain: source.domain ?? undefined,
          version: source.version ?? undefined,
          pkg: source.package,
        },
      };
  }
}

function allowedHostsToWit(hosts: AllowedHosts): WitAllowedHostPermission {
  return hosts.type === "only" ? { tag: "only", val: [...hosts.hosts] } : { tag: hosts.type };
}

/** WIT `component` of a component, defaults applied to permissions. */
export function componentToWit(component: Component): WitComponent {
  const p = resolvePermissions(component.permissions);
  return {
    source: componentSourceToWit(component.source),
    permissions: {
      allowedHttpHosts: allowedHostsToWit(p.allowed_http_hosts),
      fileSystem: p.file_system,
      rawSockets: p.raw_sockets,
      dnsResolution: p.dns_resolution,
    },
    fuelLimit: component.fuel_limit ?? undefined,
    timeLimitSeconds:
      component.time_limit_seconds == null ? undefined : BigInt(component.time_limit_seconds),
    config: [...component.config],
    envKeys: [...component.env_keys],
  };
}

/** WIT `signature-kind` of a signature kind (an absent prefix is none, as in the reference). */
export function signatureKindToWit(kind: SignatureKind): WitSignatureKind {
  return {
    algorithm: { tag: kind.algorithm },
    prefix: kind.prefix == null ? undefined : { tag: kind.prefix },
  };
}

/** WIT `submit` of a submit value. */
export function submitToWit(submit: Submit): WitSubmit {
  if (submit.type === "none") return { tag: "none" };
  return {
    tag: "aggregator",
    val: {
      component: componentToWit(submit.component),
      signatureKind: signatureKindToWit(submit.signature_kind),
    },
  };
}

/** WIT `workflow` of a workflow. */
export function workflowToWit(workflow: Workflow): WitWorkflow {
  return {
    trigger: triggerToWit(workflow.trigger),
    component: componentToWit(workflow.component),
    submit: submitToWit(workflow.submit),
  };
}

/** WIT `service-manager` of a service manager. */
export function serviceManagerToWit(manager: ServiceManager): WitServiceManager {
  return manager.type === "evm"
    ? { tag: "evm", val: { chain: manager.chain, address: evmAddressToWit(manager.address) } }
    : {
        tag: "cosmos",
        val: { chain: manager.chain, address: cosmosAddressToWit(manager.address) },
      };
}

/** WIT `service` of a service; workflows become `[id, workflow]` tuples in JSON order. */
export function serviceToWit(service: Service): WitService {
  return {
    name: service.name,
    workflows: [...service.workflows].map(([id, workflow]) => [id, workflowToWit(workflow)]),
    status: { tag: service.status },
    manager: serviceManagerToWit(service.manager),
  };
}

/** What host `get-service` returns. */
export function serviceAndWorkflowIdToWit(
  service: Service,
  workflowId: string,
): WitServiceAndWorkflowId {
  return { service: serviceToWit(service), workflowId };
}

/** What host `get-workflow` returns. */
export function workflowAndWorkflowIdToWit(
  workflow: Workflow,
  workflowId: string,
): WitWorkflowAndWorkflowId {
  return { workflow: workflowToWit(workflow), workflowId };
}
