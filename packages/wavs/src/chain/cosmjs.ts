/**
 * cosmjs, loaded on first use: its signing client, registry and CometBFT client are ~7 MB of
 * heap and ~250 modules, which an operator with no Cosmos chain to send on never needs.
 */

/** The cosmjs modules the Cosmos account session and wallet use. */
export interface Cosmjs {
  amino: typeof import("@cosmjs/amino");
  protoSigning: typeof import("@cosmjs/proto-signing");
  stargate: typeof import("@cosmjs/stargate");
  tendermint: typeof import("@cosmjs/tendermint-rpc");
}

let loading: Promise<Cosmjs> | undefined;

/** The cosmjs modules, imported once. */
export function loadCosmjs(): Promise<Cosmjs> {
  loading ??= Promise.all([
    import("@cosmjs/amino"),
    import("@cosmjs/proto-signing"),
    import("@cosmjs/stargate"),
    import("@cosmjs/tendermint-rpc"),
  ]).then(([amino, protoSigning, stargate, tendermint]) => ({
    amino,
    protoSigning,
    stargate,
    tendermint,
  }));
  return loading;
}
