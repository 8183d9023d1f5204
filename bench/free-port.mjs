// A helper of the benches (not a bench itself): a free TCP port on 127.0.0.1.
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (bound, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
