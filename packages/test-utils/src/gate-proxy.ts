import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

export interface HeldRequest {
  /** Resolves once a request to the held path has arrived at the proxy (and is held there). */
  arrived: Promise<void>;
  /** Lets the held request go on to the server. */
  release(): void;
}

export interface GateProxy {
  /** The proxy's origin, `http://127.0.0.1:PORT`. */
  url: string;
  /** Holds the next request whose path starts with `path` until `release()` (or for good, when never released). */
  hold(path: string): HeldRequest;
  /** The paths (with their query) of every request that arrived, held or not, in order. */
  arrivals(): string[];
  /** Closes the proxy; a request still held is dropped, never forwarded. */
  close(): Promise<void>;
}

interface Gate {
  path: string;
  taken: boolean;
  arrive: () => void;
  /** `true`: forward the request; `false`: drop it. */
  settle: (go: boolean) => void;
  released: Promise<boolean>;
}

/**
 * A plain HTTP proxy on 127.0.0.1 in front of `target` that can hold a request until the test lets it go: a
 * server's answer delayed exactly as long as the test needs (until an event), never by a fixed time. A gate
 * that is never released stands for a server that never answers.
 */
export async function startGateProxy(target: string): Promise<GateProxy> {
  const upstream = new URL(target);
  const gates: Gate[] = [];
  const arrivals: string[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const onward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    onward.once('error', () => res.destroy());
    req.pipe(onward);
  };
  const server = createServer((req, res) => {
    arrivals.push(req.url ?? '');
    const gate = gates.find((g) => !g.taken && (req.url ?? '').startsWith(g.path));
    if (gate === undefined) {
      forward(req, res);
      return;
    }
    gate.taken = true;
    gate.arrive();
    void gate.released.then((go) => (go ? forward(req, res) : res.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    hold(path) {
      let arrive!: () => void;
      let settle!: (go: boolean) => void;
      const arrived = new Promise<void>((resolve) => {
        arrive = resolve;
      });
      const released = new Promise<boolean>((resolve) => {
        settle = resolve;
      });
      gates.push({ path, taken: false, arrive, settle, released });
      return { arrived, release: () => settle(true) };
    },
    arrivals: () => [...arrivals],
    close() {
      for (const gate of gates) gate.settle(false);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
