/** The suite's assertions: small, framework-free, and they say what was expected. */

export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailed';
  }
}

export function check(condition: boolean, what: string): void {
  if (!condition) throw new CheckFailed(`expected ${what}`);
}

export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) {
    throw new CheckFailed(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** The promise rejects with an error whose listed fields (e.g. `code`, `error`, `reason`) are equal. */
export async function checkRejects(promise: Promise<unknown>, fields: Record<string, string>): Promise<void> {
  let failure: unknown;
  try {
    await promise;
  } catch (error) {
    failure = error;
  }
  if (failure === undefined) throw new CheckFailed(`expected a rejection with ${JSON.stringify(fields)}`);
  for (const [name, expected] of Object.entries(fields)) {
    checkEqual((failure as Record<string, unknown>)[name], expected, `the rejection's ${name}`);
  }
}
