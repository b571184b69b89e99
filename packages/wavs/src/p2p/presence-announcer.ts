/**
 * Publishes this node's presence on each service's presence topic (presence-wire.ts): soon after
 * a peer joins the topic (so a node that just started learns of us before the first event),
 * when we join a topic that already has peers, and on a schedule per service that starts at
 * `firstRepeatMs` and doubles up to `intervalMs` (so we stay in the peers' membership window).
 * The early repeats matter: an operator registers its signing key with the service manager
 * after its node joined the service, and until then peers ignore its presence.
 * Requests within `coalesceMs` of each other are published once.
 */

import type { ServiceId } from "../ids/index.js";
import type { Logger } from "../internal/index.js";
import { errorMessage } from "../internal/index.js";
import { encodePresence, type GossipPresence, presenceTopicForService } from "./presence-wire.js";

/** What the announcer is given by the p2p node. */
export interface PresenceAnnouncerDeps {
  /** The services this node is subscribed to. */
  services: ReadonlySet<string>;
  /** This node's presence for a service, signed now; undefined when it has no key for it. */
  sign: ((serviceId: string) => Promise<GossipPresence | undefined>) | undefined;
  /** Publish our own message on a topic. */
  publish(topic: string, bytes: Uint8Array): Promise<unknown>;
  /** The first repeat after joining a service; each next one waits twice as long. */
  firstRepeatMs: number;
  /** Re-announce every service at least this often. */
  intervalMs: number;
  /** Announcements asked within this window are published once. */
  coalesceMs: number;
  log: Logger;
}

/** See the module comment. */
export class PresenceAnnouncer {
  private readonly due = new Map<string, NodeJS.Timeout>();
  private readonly repeats = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: PresenceAnnouncerDeps) {}

  /** Start the repeated announcements of a service just joined. */
  joined(serviceId: string): void {
    if (this.deps.sign === undefined) return;
    clearTimeout(this.repeats.get(serviceId));
    this.repeat(serviceId, this.deps.firstRepeatMs);
  }

  /** Stop announcing a service. */
  left(serviceId: string): void {
    clearTimeout(this.repeats.get(serviceId));
    this.repeats.delete(serviceId);
    clearTimeout(this.due.get(serviceId));
    this.due.delete(serviceId);
  }

  /** Stop announcing; requests not yet published are dropped. */
  stop(): void {
    for (const serviceId of new Set([...this.repeats.keys(), ...this.due.keys()])) {
      this.left(serviceId);
    }
  }

  private repeat(serviceId: string, delayMs: number): void {
    const timer = setTimeout(() => {
      this.soon(serviceId);
      this.repeat(serviceId, Math.min(delayMs * 2, this.deps.intervalMs));
    }, delayMs);
    timer.unref();
    this.repeats.set(serviceId, timer);
  }

  /** Announce our presence for a service shortly (once for a burst of requests). */
  soon(serviceId: string): void {
    if (this.deps.sign === undefined || this.due.has(serviceId)) return;
    const timer = setTimeout(() => {
      this.due.delete(serviceId);
      void this.announce(serviceId);
    }, this.deps.coalesceMs);
    timer.unref();
    this.due.set(serviceId, timer);
  }

  private async announce(serviceId: string): Promise<void> {
    if (!this.deps.services.has(serviceId)) return;
    try {
      const presence = await this.deps.sign?.(serviceId);
      if (presence === undefined) return;
      await this.deps.publish(
        presenceTopicForService(serviceId as ServiceId),
        encodePresence(presence),
      );
    } catch (err) {
      this.deps.log.debug(
        { service_id: serviceId, err: errorMessage(err) },
        "presence not published",
      );
    }
  }
}
