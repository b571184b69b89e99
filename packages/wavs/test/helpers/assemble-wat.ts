import wabtInit from "wabt";

/** A core module assembled from WAT text with wabt (bulk memory and multi-value on). */
export async function assembleWat(wat: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat("test.wat", wat, { bulk_memory: true, multi_value: true });
  try {
    parsed.resolveNames();
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}
