/** What preparing a component leaves on disk, in `<cache>/<digest>/meta.json`. */
export interface PreparedMeta {
  /** Bumped when the prepared layout changes, so old caches are redone. */
  formatVersion: number;
  digest: string;
  world: "operator" | "aggregator";
  /** Core module files written by jco, in the order the glue asks for them. */
  coreFiles: string[];
  /** The glue module file name. */
  glue: string;
  /** Interfaces the component imports (without versions). */
  imports: string[];
  /** Export names as jco reports them. */
  exports: string[];
  sizeBytes: number;
  preparedAt: string;
}

export const PREPARED_FORMAT_VERSION = 2;
