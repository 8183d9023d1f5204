/** Runs tasks one at a time per key within this process (in order), without holding keys nobody waits on. */
export interface LocalQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

export function createLocalQueue(): LocalQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
