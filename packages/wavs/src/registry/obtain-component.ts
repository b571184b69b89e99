/**
 * Making sure a component a service names is registered with the engine: `download` is
 * fetched and verified (unless the engine already holds those exact bytes), `digest` must have
 * been uploaded, `registry` is refused. The world must fit where the component is used.
 */
import type { ComponentWorld, Engine } from "../engine/index.js";
import { WavsError } from "../internal/index.js";
import { componentSourceToJson } from "../service/index.js";
import type { StoredComponent } from "../store/index.js";
import { fetchComponent } from "./fetch-component.js";
import type { ComponentUse } from "./service-components.js";

/** Download limits for components. */
export interface ObtainOptions {
  ipfsGateway: string;
  timeoutMs: number;
  maxBytes?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * What obtaining a use's component needs: nothing (the engine holds it) or a download. Throws
 * when it cannot be had (`registry` sources; a `digest` that was never uploaded).
 */
export function componentNeeds(engine: Engine, use: ComponentUse): "known" | "download" {
  const { source } = use.component;
  if (source.type === "registry") {
    throw new WavsError(
      "WAVS_ERR_COMPONENT_SOURCE_UNSUPPORTED",
      `${use.label}: source 'registry' (package ${source.package}) is not supported by this node`,
      {
        details: { workflow_id: use.workflowId, digest: source.digest, package: source.package },
        hint: "Publish the component at an http(s) or ipfs URI and name it with {download: {uri, digest}}, or upload it and name it by digest.",
      },
    );
  }
  // The engine holds bytes with this sha256 already: nothing to download or verify.
  if (engine.lookup(source.digest) !== undefined) return "known";
  if (source.type === "digest") {
    throw new WavsError(
      "WAVS_ERR_COMPONENT_NOT_UPLOADED",
      `${use.label}: component ${source.digest} is not uploaded to this node`,
      {
        details: { workflow_id: use.workflowId, digest: source.digest },
        hint: "Upload it first (wavs upload-component or POST /dev/components), or name it with {download: {uri, digest}}.",
      },
    );
  }
  return "download";
}

/** Download (and verify) the bytes of a use's component. */
export function downloadComponent(use: ComponentUse, options: ObtainOptions): Promise<Uint8Array> {
  const { source } = use.component;
  if (source.type !== "download") throw new Error(`${use.label} is not a download`);
  return fetchComponent(source, { ...options, what: use.label });
}

/**
 * Register downloaded bytes (when given) and check the world; returns the row to record in the
 * components table and whether the engine prepared it just now (it was not in its cache).
 */
export async function completeComponent(
  engine: Engine,
  use: ComponentUse,
  bytes: Uint8Array | undefined,
): Promise<{ component: StoredComponent; prepared: boolean }> {
  const { source } = use.component;
  let world: ComponentWorld;
  let size: number;
  let prepared = false;
  const known = engine.lookup(source.digest);
  if (known !== undefined || bytes === undefined) {
    if (known === undefined) throw new Error(`${use.label}: component ${source.digest} is gone`);
    world = known.world;
    size = engine.componentBytes(source.digest)?.length ?? 0;
  } else {
    const registered = await engine.register(bytes);
    world = registered.world;
    prepared = !registered.cached;
    size = bytes.length;
  }
  checkWorld(use, source.digest, world);
  const component = {
    digest: source.digest,
    world,
    size,
    firstSource: componentSourceToJson(source),
    registeredAt: Date.now(),
  };
  return { component, prepared };
}

/** Obtain the component of one use; returns the row to record in the components table. */
export async function obtainComponent(
  engine: Engine,
  use: ComponentUse,
  options: ObtainOptions,
): Promise<StoredComponent> {
  const bytes =
    componentNeeds(engine, use) === "download" ? await downloadComponent(use, options) : undefined;
  return (await completeComponent(engine, use, bytes)).component;
}

function checkWorld(use: ComponentUse, digest: string, world: ComponentWorld): void {
  if (world === use.world) return;
  throw new WavsError(
    "WAVS_ERR_COMPONENT_INVALID",
    `${use.label}: component ${digest} is of the ${world} world, but this place needs the ${use.world} world`,
    {
      details: { workflow_id: use.workflowId, digest, world, expected: use.world },
      hint:
        use.world === "operator"
          ? "A workflow's component must export run (wavs:operator)."
          : "An aggregator component must export process-input (wavs:aggregator).",
    },
  );
}
