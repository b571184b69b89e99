import type { Trigger, TriggerData } from "../service/index.js";

/** A trigger that fired for one workflow of one service. */
export interface TriggerEvent {
  serviceId: string;
  workflowId: string;
  trigger: Trigger;
  data: TriggerData;
}
