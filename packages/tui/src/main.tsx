import { render } from 'ink';
import { App } from './app.js';
import type { TuiOptions } from './args.js';
import { copyText } from './clipboard.js';
import { createCoreSession } from './core-adapter.js';
import { ExitCode } from './exit-codes.js';
import { openUrl } from './open-url.js';
import { isRemote, supportsHyperlinks, wantsColor } from './terminal.js';
import { createWarningFeed } from './warnings.js';

export interface TuiDeps {
  env: Record<string, string | undefined>;
  cwd: string;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** A signal from outside (SIGINT, SIGTERM, SIGHUP): cancels like Esc. */
  signal: AbortSignal;
  now?: () => number;
}

/** Renders the TUI until it ends; resolves with the exit code. `--demo` without credentials: the emulator. */
export async function runTui(options: TuiOptions, deps: TuiDeps): Promise<number> {
  // Loaded only for --demo (npm start): the emulator is a chunk of its own.
  const demo = options.demo
    ? await (await import('./demo.js')).startDemo(deps.env, deps.cwd, options.profile, options.relay)
    : undefined;
  try {
    const code = await renderTui(
      options,
      demo === undefined ? deps : { ...deps, env: demo.env, cwd: demo.home },
      demo?.banner,
    );
    if (demo !== undefined) {
      deps.stdout.write(
        '[local emulator] The demo is over: its token and profile were in a temporary home, removed now.\n',
      );
    }
    return code;
  } finally {
    await demo?.close();
  }
}

async function renderTui(options: TuiOptions, deps: TuiDeps, banner: string | undefined): Promise<number> {
  let exitCode: number = ExitCode.ERROR;
  const warnings = createWarningFeed();
  const writeRaw = (data: string) => deps.stdout.write(data);
  const instance = render(
    <App
      createSession={(profile) =>
        createCoreSession({ profile, env: deps.env, cwd: deps.cwd, now: deps.now, onWarning: warnings.push })
      }
      profile={options.profile}
      now={deps.now ?? Date.now}
      timeoutMs={options.timeoutMs}
      manual={options.manual}
      openBrowser={options.open}
      relay={options.relay}
      browserHere={options.open && !isRemote(deps.env)}
      color={wantsColor(deps.env)}
      hyperlinks={supportsHyperlinks(deps.env)}
      copy={(text) => copyText(text, { env: deps.env, writeRaw })}
      openUrl={(url) => openUrl(url, deps.env)}
      signal={deps.signal}
      banner={banner}
      warnings={warnings}
      onDone={(code) => {
        exitCode = code;
      }}
    />,
    // Interactive even where CI is set: the bin has checked that stdin and stdout are a terminal.
    { stdin: deps.stdin, stdout: deps.stdout, exitOnCtrlC: false, patchConsole: false, interactive: true },
  );
  await instance.waitUntilExit();
  return exitCode;
}
