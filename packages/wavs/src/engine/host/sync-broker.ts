import { type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import { errorMessage } from "@wavs-ts/errors";

/**
 * Components call the host synchronously, but HTTP and DNS are asynchronous in Node. A worker
 * posts the request to the main thread and sleeps on a shared cell until the answer is posted
 * back, then reads it synchronously. The main thread owns the real I/O (and its policy checks);
 * the worker never blocks the node's event loop, only itself.
 */
export interface BrokerRequest {
  kind: "http" | "dns" | "sleep";
  [key: string]: unknown;
}

export type BrokerReply = { ok: true; value: unknown } | { ok: false; error: string };

/** Worker side: make a blocking call to the main thread. */
export class SyncBroker {
  private readonly cell: Int32Array;

  constructor(
    private readonly port: MessagePort,
    shared: SharedArrayBuffer,
  ) {
    this.cell = new Int32Array(shared);
  }

  /** Send a request and block this worker until the main thread answers. */
  call(request: BrokerRequest): BrokerReply {
    Atomics.store(this.cell, 0, 0);
    this.port.postMessage(request);
    for (;;) {
      Atomics.wait(this.cell, 0, 0);
      const msg = receiveMessageOnPort(this.port);
      if (msg) return msg.message as BrokerReply;
      Atomics.store(this.cell, 0, 0);
    }
  }

  /** Block this worker for `ms` milliseconds without burning CPU. */
  sleep(ms: number): void {
    if (ms <= 0) return;
    const cell = new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(cell, 0, 0, ms);
  }
}

/** Main-thread side: answer a worker's broker requests with `handler`. */
export function serveBroker(
  port: MessagePort,
  shared: SharedArrayBuffer,
  handler: (request: BrokerRequest) => Promise<unknown>,
): void {
  const cell = new Int32Array(shared);
  port.on("message", (request: BrokerRequest) => {
    handler(request).then(
      (value) => reply({ ok: true, value }),
      (err: unknown) => reply({ ok: false, error: errorMessage(err) }),
    );
  });
  function reply(message: BrokerReply): void {
    port.postMessage(message);
    Atomics.store(cell, 0, 1);
    Atomics.notify(cell, 0);
  }
}
