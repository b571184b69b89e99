import type { P2pNode, P2pStatus, PublishOutcome } from "./p2p-api.js";

/** The p2p layer when `p2p = "disabled"`: same interface, does nothing. */
export class DisabledP2pNode implements P2pNode {
  readonly enabled = false;
  private readonly services = new Set<string>();

  /** Nothing to start. */
  async start(): Promise<void> {}
  /** Nothing to stop. */
  async stop(): Promise<void> {}
  /** Remembered only for status(). */
  subscribe(serviceId: string): void {
    this.services.add(serviceId);
  }
  /** Forgets the service. */
  unsubscribe(serviceId: string): void {
    this.services.delete(serviceId);
  }
  /** No peers: nothing is sent. */
  async publish(): Promise<PublishOutcome> {
    return { recipients: 0 };
  }
  /** No peers: nothing is sent. */
  async publishLanding(): Promise<PublishOutcome> {
    return { recipients: 0 };
  }
  /** `{enabled: false}` with empty lists. */
  status(): P2pStatus {
    return {
      enabled: false,
      peer_id: null,
      listen_addresses: [],
      connected_peers: [],
      gossip_links: {},
      topics: [],
    };
  }
}
