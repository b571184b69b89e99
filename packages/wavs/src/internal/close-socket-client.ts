/**
 * Close one of viem's WebSocket RPC clients at once. viem's `close()` starts the WebSocket
 * closing handshake, and the `ws` library then keeps the TCP connection until the server
 * answers it or 30 s pass; a server that is busy or never answers (seen with anvil) holds a
 * stopping node's process open that long. The connection is ours to drop: nothing is waited
 * for on it any more.
 */
export function closeSocketClient(client: { close(): void; socket?: unknown }): void {
  try {
    client.close();
  } catch {
    // already closed
  }
  const socket = client.socket as { terminate?: () => void } | undefined;
  try {
    socket?.terminate?.();
  } catch {
    // already gone
  }
}
