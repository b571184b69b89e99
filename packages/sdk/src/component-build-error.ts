/** The error a component build raises: WAVS_ERR_COMPONENT_BUILD with the file, a hint and where. */
import { WavsError } from "@wavs-ts/errors";
import type { WorldName } from "./wit-dir.js";

/** Details attached to a {@link ComponentBuildError}. */
export type ComponentBuildErrorDetails = {
  entry?: string;
  file?: string;
  line?: number;
  column?: number;
  world?: WorldName;
  missingExports?: string[];
  bundlePath?: string;
};

/**
 * Raised when a component cannot be built (`WAVS_ERR_COMPONENT_BUILD`): the message names the
 * file, the hint what to do, the details where.
 */
export class ComponentBuildError extends WavsError {
  override readonly name = "ComponentBuildError";
  declare readonly details: ComponentBuildErrorDetails;

  constructor(
    message: string,
    options: { hint?: string; details?: ComponentBuildErrorDetails; cause?: unknown } = {},
  ) {
    super("WAVS_ERR_COMPONENT_BUILD", message, { ...options, details: options.details ?? {} });
  }
}
