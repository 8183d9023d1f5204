/** The part of Node's `node:crypto` used here. */
interface NodeCrypto {
  randomFillSync<T extends Uint8Array>(buffer: T): T;
  createHash(algorithm: 'sha256'): { update(data: string): { digest(): Uint8Array } };
}

/**
 * Node's crypto module when the runtime has one (Node, Deno, Bun), else `undefined` (browsers, workers: WebCrypto
 * is used). In Node, `fetch` has already loaded it, while WebCrypto would first load modules of its own (about
 * 1 ms of a CLI sign-in).
 */
export function nodeCrypto(): NodeCrypto | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return runtime?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
}

/** base64url without padding of arbitrary bytes. */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `byteLength` cryptographically random bytes as base64url (32 bytes = 256 bits = 43 characters). */
export function randomString(byteLength = 32): string {
  const bytes = new Uint8Array(byteLength);
  const node = nodeCrypto();
  return base64url(node === undefined ? crypto.getRandomValues(bytes) : node.randomFillSync(bytes));
}
