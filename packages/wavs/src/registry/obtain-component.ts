/**
 * Making sure a component a service names is registered with the engine: `download` is
 * fetched and verified (unless the engine already holds those exact bytes), `digest` must have
 * been uploaded, `registry` is refused. The world must fit where the component is used.
 */
import type { Engine } from "../engine/engine.js";
import type { ComponentWorld } from "../engine/exec-types.js";
import { WavsError } from "../internal/errors.js";
import { componentSourceToJson } from "../service/component.js";
import type { StoredComponent } from "../store/component-store.js";
import { fetchComponent } from "./fetch-component.js";
import type { ComponentUse } from "./service-components.js";

/** Download limits for components. */
export interface ObtainOptions {
  ipfsGateway: string;
  timeoutMs: number;
  maxBytes?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Obtain the component of one use; returns the row to record in the components table. */
export async function obtainComponent(
  engine: Engine,
  use: ComponentUse,
  options: ObtainOptions,
): Promise<StoredComponent> {
  const { source } = use.component;
  const firstSource = componentSourceToJson(source);
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
  const known = engine.lookup(source.digest);
  let world: ComponentWorld;
  let size: number;
  if (known !== undefined) {
    // The engine holds bytes with this sha256 already: nothing to download or verify.
    world = known.world;
    size = engine.componentBytes(source.digest)?.length ?? 0;
  } else if (source.type === "digest") {
    throw new WavsError(
      "WAVS_ERR_COMPONENT_NOT_UPLOADED",
      `${use.label}: component ${source.digest} is not uploaded to this node`,
      {
        details: { workflow_id: use.workflowId, digest: source.digest },
        hint: "Upload it first (wavs upload-component or POST /dev/components), or name it with {download: {uri, digest}}.",
      },
    );
  } else {
    const bytes = await fetchComponent(source, { ...options, what: use.label });
    world = (await engine.register(bytes)).world;
    size = bytes.length;
  }
  checkWorld(use, source.digest, world);
  return { digest: source.digest, world, size, firstSource, registeredAt: Date.now() };
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
