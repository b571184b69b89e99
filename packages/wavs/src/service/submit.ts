/** What happens to a component's result: nothing, or signing and the aggregator component. */
import type { z } from "zod";
import { ComponentSchema, componentToJson } from "./component.js";
import type { JsonObject, JsonValue } from "./json.js";
import { strictRecord, stringEnum, taggedEnum } from "./schema-helpers.js";

/**
 * How results are signed. An absent `prefix` is kept absent and means no prefix, as in the
 * reference (serde reads a missing Option as None); `"eip191"` is what tools write by default.
 */
export const SignatureKindSchema = strictRecord({
  algorithm: stringEnum(["secp256k1"]),
  prefix: stringEnum(["eip191"]).nullable().optional(),
});

/** How results are signed. */
export type SignatureKind = z.output<typeof SignatureKindSchema>;

/** `"none"` or `{"aggregator": {component, signature_kind}}`. */
export const SubmitSchema = taggedEnum({
  none: null,
  aggregator: strictRecord({ component: ComponentSchema, signature_kind: SignatureKindSchema }),
});

/** What happens to a workflow's result. */
export type Submit = z.output<typeof SubmitSchema>;

/** JSON of a signature kind. */
export function signatureKindToJson(kind: SignatureKind): JsonObject {
  const out: JsonObject = { algorithm: kind.algorithm };
  if (kind.prefix !== undefined) out.prefix = kind.prefix;
  return out;
}

/** JSON of a submit value. */
export function submitToJson(submit: Submit): JsonValue {
  if (submit.type === "none") return "none";
  return {
    aggregator: {
      component: componentToJson(submit.component),
      signature_kind: signatureKindToJson(submit.signature_kind),
    },
  };
}
