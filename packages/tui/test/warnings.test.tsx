import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/app.js';
import { createCoreSession } from '../src/core-adapter.js';
import { createWarningFeed } from '../src/warnings.js';
import { createWorld, type World } from './helpers.js';

const worlds: World[] = [];
const mounted: { unmount(): void }[] = [];
afterEach(async () => {
  for (const instance of mounted.splice(0)) instance.unmount();
  await Promise.all(worlds.splice(0).map((world) => world.close()));
});

describe("core's warnings", () => {
  it("are shown above the screen in core's words (here: APS_AUTH_HOME in a .env is ignored)", async () => {
    const world = await createWorld();
    worlds.push(world);
    await writeFile(join(world.cwd, '.env'), 'APS_AUTH_HOME=/tmp/elsewhere\n');
    const warnings = createWarningFeed();
    const instance = render(
      <App
        createSession={(profile) =>
          createCoreSession({ profile, env: world.env, cwd: world.cwd, onWarning: warnings.push })
        }
        profile={undefined}
        now={Date.now}
        timeoutMs={20_000}
        manual={false}
        openBrowser={false}
        color={false}
        hyperlinks={false}
        copy={async () => ({ method: 'osc52', hint: 'copied' }) as never}
        openUrl={async () => {}}
        onDone={() => {}}
        warnings={warnings}
      />,
    );
    mounted.push(instance);
    await vi.waitFor(() => expect(instance.lastFrame()).toContain('Sign in ⏎'));
    const frame = (instance.lastFrame() ?? '').replace(/\s+/g, ' ');
    expect(frame).toContain(`! APS_AUTH_HOME in ${join(world.cwd, '.env')} is ignored`);
  });
});
