/** World of a component, decided from its exports. */
export type ComponentWorld = "operator" | "aggregator";
