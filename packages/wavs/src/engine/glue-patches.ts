/**
 * What we change in the glue module jco writes for a component, before it is stored.
 *
 * jco's debug logger reads `process.env.JCO_DEBUG` on every call, and the glue calls it several
 * times per host call and task step: every read of `process.env` goes into C++ and back, ~5 % of
 * a TypeScript component's run here. The patched logger reads the variable once, when the glue
 * is loaded (so `JCO_DEBUG` still works, set before the node starts). Text that does not match
 * (another jco) is left as it is.
 */

const DEBUG_LOG =
  /const _debugLog = \(\.\.\.args\) => \{\s*if \(!globalThis\?\.process\?\.env\?\.JCO_DEBUG\) \{ return; \}\s*console\.debug\(\.\.\.args\);\s*\};/g;

const DEBUG_LOG_ONCE =
  "const _debugLog = globalThis?.process?.env?.JCO_DEBUG ? (...args) => { console.debug(...args); } : () => {};";

/** The glue module's text with our patches applied. */
export function patchGlue(text: string): string {
  return text.replace(DEBUG_LOG, DEBUG_LOG_ONCE);
}
