/**
 * libp2p 3 and its helpers (it-queue, yamux, @libp2p/utils) call `Promise.withResolvers`
 * (ES2024, Node >= 22). WAVS-TS supports Node 20, so the standard behaviour is installed when
 * missing. Imported before libp2p by every module of this folder that uses it; remove once
 * Node 22 is the minimum.
 */
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const promiseCtor = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };

if (typeof promiseCtor.withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    value: function withResolvers<T>(): Resolvers<T> {
      let resolve!: Resolvers<T>["resolve"];
      let reject!: Resolvers<T>["reject"];
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
