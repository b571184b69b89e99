import { join } from "node:path";
import type { Aggregator } from "../aggregator/index.js";
import { gossipVerdict } from "../aggregator/index.js";
import type { WavsConfig } from "../config/index.js";
import type { EventTrace, Logger } from "../internal/index.js";
import type { Metrics } from "../metrics/index.js";
import { createP2pNode, type P2pNode, type P2pTuning } from "../p2p/index.js";
import type { ServiceRegistry } from "../registry/index.js";

/**
 * Connect the aggregator to the other operators: this node's signed submissions are published
 * on the service's topic, the result transactions it broadcasts on the landings topic, and its
 * presence as an operator of each service on the presence topic; a peer's submission goes
 * through the aggregator's verification
 * (which decides whether gossip relays it) before any work is spent on it. Topics follow the
 * registered services.
 */
export function bridgeP2p(deps: {
  config: WavsConfig;
  logger: Logger;
  metrics: Metrics;
  aggregator: Aggregator;
  registry: ServiceRegistry;
  trace: EventTrace;
  tuning?: Partial<P2pTuning>;
}): P2pNode {
  const { aggregator, registry, logger, trace } = deps;
  const p2p = createP2pNode({
    config: deps.config.p2p,
    logger: logger.child({ subsystem: "p2p" }),
    peerKeyPath: join(deps.config.data, "p2p-key"),
    metrics: deps.metrics,
    ...(deps.tuning ? { tuning: deps.tuning } : {}),
    async onSubmission(message, from, context) {
      const received = Date.now();
      const verdict = await aggregator.submitSignedSubmission(message, { peer: from });
      if (trace.enabled) {
        trace.record(
          "wavs.gossip.receive",
          message.event_id,
          received,
          Date.now(),
          {
            "wavs.service_id": message.service_id,
            "wavs.signer": message.signer,
            "wavs.peer": from,
            "wavs.verdict": verdict.verdict,
          },
          context?.traceparent,
        );
      }
      logger.debug(
        { service_id: message.service_id, event_id: message.event_id, from, verdict },
        "peer submission",
      );
      return gossipVerdict(verdict);
    },
    onLanding: (landing, from) => aggregator.receiveLanding(landing, from),
    onPresence: (presence, from) => aggregator.receivePresence(presence, from),
    presence: (serviceId) => aggregator.ownPresence(serviceId),
  });
  aggregator.on("local-landing", (landing) => {
    p2p.publishLanding(landing.service_id, landing).catch((err: unknown) => {
      // peers that miss it search the chain before their takeover
      logger.debug(
        { service_id: landing.service_id, err: String(err) },
        "publishing a landing failed",
      );
    });
  });
  aggregator.on("local-submission", (submission) => {
    const published = Date.now();
    p2p.publish(submission.service_id, submission, trace.carrier(submission.event_id)).then(
      (outcome) => {
        if (trace.enabled) {
          trace.record("wavs.gossip.publish", submission.event_id, published, Date.now(), {
            "wavs.service_id": submission.service_id,
            "wavs.signer": submission.signer,
            "wavs.recipients": outcome.recipients,
          });
        }
        logger.debug(
          {
            service_id: submission.service_id,
            event_id: submission.event_id,
            recipients: outcome.recipients,
          },
          "submission published",
        );
      },
      (err: unknown) => {
        // peers also catch up on recent submissions, so a failed publish is retried that way
        logger.warn(
          { service_id: submission.service_id, err: String(err) },
          "publishing a submission failed",
        );
      },
    );
  });
  registry.on("added", (serviceId) => p2p.subscribe(serviceId));
  registry.on("removed", (serviceId) => p2p.unsubscribe(serviceId));
  return p2p;
}
