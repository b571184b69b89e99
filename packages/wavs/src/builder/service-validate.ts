/**
 * `wavs service validate`: the schema and cron checks, the chains used being configured, and
 * (with checkChain) that trigger and manager contracts exist and the manager answers.
 */

import { wavsServiceManagerAbi } from "@wavs-ts/contracts";
import type { Address } from "viem";
import { chainConfig, type LoadedConfig } from "../config/index.js";
import type { Service, ValidationProblem } from "../service/index.js";
import { parseService } from "../service/index.js";
import type { DevState } from "./dev-state.js";
import { chainEndpoint, publicClientFor } from "./evm-chain.js";
import { checkServiceDocument } from "./service-check.js";
import type { ServiceDocument } from "./service-file.js";

/** What `validate` found: errors make the service unusable, warnings are worth a look. */
export interface ValidationReport {
  valid: boolean;
  errors: ValidationProblem[];
  warnings: ValidationProblem[];
}

/** Options of `validateServiceDocument`. */
export interface ValidateOptions {
  /** The CLI config (chains); `file` undefined means no wavs.toml was found. */
  loaded: LoadedConfig;
  devState?: DevState | undefined;
  /** Read the chain: contract code at trigger and manager addresses, manager's getServiceURI. */
  checkChain?: boolean;
}

/** Every chain key the service uses, with the path that uses it. */
function chainsUsed(service: Service): { path: string; chain: string }[] {
  const out = [{ path: `manager.${service.manager.type}.chain`, chain: service.manager.chain }];
  for (const [id, workflow] of service.workflows) {
    const t = workflow.trigger;
    if (
      t.type === "evm_contract_event" ||
      t.type === "cosmos_contract_event" ||
      t.type === "block_interval"
    ) {
      out.push({ path: `workflows.${id}.trigger.${t.type}.chain`, chain: t.chain });
    }
  }
  return out;
}

/** Contracts to look for on chain: EVM trigger addresses and the EVM manager. */
function contractsUsed(
  service: Service,
): { path: string; chain: string; address: Address; manager: boolean }[] {
  const out: { path: string; chain: string; address: Address; manager: boolean }[] = [];
  if (service.manager.type === "evm") {
    out.push({
      path: "manager.evm.address",
      chain: service.manager.chain,
      address: service.manager.address as Address,
      manager: true,
    });
  }
  for (const [id, workflow] of service.workflows) {
    const t = workflow.trigger;
    if (t.type === "evm_contract_event") {
      out.push({
        path: `workflows.${id}.trigger.evm_contract_event.address`,
        chain: t.chain,
        address: t.address as Address,
        manager: false,
      });
    }
  }
  return out;
}

/** Validate a service document; never throws for a bad service (the report says what is wrong). */
export async function validateServiceDocument(
  doc: ServiceDocument,
  options: ValidateOptions,
): Promise<ValidationReport> {
  const { problems, pending } = checkServiceDocument(doc);
  const errors = [...problems, ...pending];
  const warnings: ValidationProblem[] = [];
  if (errors.length > 0) return { valid: false, errors, warnings };
  const service = parseService(doc);
  const { config, file } = options.loaded;
  const dev = options.devState;
  for (const { path, chain } of chainsUsed(service)) {
    if (chainConfig(config, chain) !== undefined || dev?.chain === chain) continue;
    if (file !== undefined) {
      errors.push({
        path,
        message: `chain '${chain}' is not configured in ${file} (expected a [default.chains.${chain.replace(":", ".")}] table)`,
      });
    } else if (dev) {
      errors.push({
        path,
        message: `chain '${chain}' is not the \`wavs dev\` network's chain (${dev.chain}), and no wavs.toml configures it`,
      });
    }
  }
  if (file === undefined && !dev) {
    warnings.push({
      path: "",
      message: "no wavs.toml found (pass --home): chains were not checked against a config",
    });
  }
  if (options.checkChain) {
    for (const c of contractsUsed(service)) {
      const problem = await contractProblem(c, options);
      if (problem) errors.push({ path: c.path, message: problem });
    }
  }
  return { valid: errors.length === 0, errors, warnings };
}

async function contractProblem(
  c: { chain: string; address: Address; manager: boolean },
  options: ValidateOptions,
): Promise<string | undefined> {
  let client: ReturnType<typeof publicClientFor>;
  try {
    client = publicClientFor(
      chainEndpoint(c.chain, options.loaded.config, options.devState).rpcUrl,
    );
  } catch (err) {
    return `cannot check on chain: ${(err as Error).message}`;
  }
  try {
    const code = await client.getCode({ address: c.address });
    if (code === undefined || code === "0x") {
      return `no contract at ${c.address} on ${c.chain} (expected deployed ${c.manager ? "service manager" : "trigger contract"} code)`;
    }
    if (c.manager) {
      await client.readContract({
        address: c.address,
        abi: wavsServiceManagerAbi,
        functionName: "getServiceURI",
      });
    }
    return undefined;
  } catch (err) {
    const message = (err as { shortMessage?: string }).shortMessage ?? (err as Error).message;
    return c.manager
      ? `the contract at ${c.address} on ${c.chain} does not answer getServiceURI() (${message})`
      : `cannot read ${c.chain}: ${message}`;
  }
}
