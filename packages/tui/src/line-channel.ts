/**
 * Lines typed on the screen handed to core's manual mode, which reads one at a time (`readLine`). A read
 * stopped by its signal ends with `null` (core then stops waiting for input).
 */
export function createLineChannel(): {
  push(line: string): void;
  readLine(signal?: AbortSignal): Promise<string | null>;
} {
  const queued: string[] = [];
  let waiting: ((line: string | null) => void) | undefined;
  return {
    push(line) {
      if (waiting === undefined) queued.push(line);
      else {
        const resolve = waiting;
        waiting = undefined;
        resolve(line);
      }
    },
    readLine(signal) {
      const next = queued.shift();
      if (next !== undefined) return Promise.resolve(next);
      return new Promise((resolve) => {
        waiting = resolve;
        signal?.addEventListener(
          'abort',
          () => {
            if (waiting === resolve) waiting = undefined;
            resolve(null);
          },
          { once: true },
        );
      });
    },
  };
}
