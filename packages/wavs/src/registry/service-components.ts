/** Every component a service needs: each workflow's component and its aggregator component. */
import type { ComponentWorld } from "../engine/index.js";
import type { Component, Service } from "../service/index.js";

/** One place a service uses a component. */
export interface ComponentUse {
  workflowId: string;
  /** The world the component must be of there. */
  world: ComponentWorld;
  component: Component;
  /** For messages: `workflow 'w1' component`, `workflow 'w1' aggregator component`. */
  label: string;
}

/** The components of a service, in workflow order (aggregator after its workflow's component). */
export function serviceComponents(service: Service): ComponentUse[] {
  const uses: ComponentUse[] = [];
  for (const [workflowId, workflow] of service.workflows) {
    uses.push({
      workflowId,
      world: "operator",
      component: workflow.component,
      label: `workflow '${workflowId}' component`,
    });
    if (workflow.submit.type === "aggregator") {
      uses.push({
        workflowId,
        world: "aggregator",
        component: workflow.submit.component,
        label: `workflow '${workflowId}' aggregator component`,
      });
    }
  }
  return uses;
}
