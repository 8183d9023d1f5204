import { render } from 'ink';
import { App } from './app.js';
import type { TuiOptions } from './args.js';
import { copyText } from './clipboard.js';
import { createCoreSession } from './core-adapter.js';
import { ExitCode } from './exit-codes.js';
import { openUrl } from './open-url.js';
import { supportsHyperlinks, wantsColor } from './terminal.js';

export interface TuiDeps {
  env: Record<string, string | undefined>;
  cwd: string;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** A signal from outside (SIGINT, SIGTERM, SIGHUP): cancels like Esc. */
  signal: AbortSignal;
  now?: () => number;
}

/** Renders the TUI until it ends; resolves with the exit code. */
export async function runTui(options: TuiOptions, deps: TuiDeps): Promise<number> {
  let exitCode: number = ExitCode.ERROR;
  const writeRaw = (data: string) => deps.stdout.write(data);
  const instance = render(
    <App
      createSession={(profile) => createCoreSession({ profile, env: deps.env, cwd: deps.cwd, now: deps.now })}
      profile={options.profile}
      now={deps.now ?? Date.now}
      timeoutMs={options.timeoutMs}
      manual={options.manual}
      openBrowser={options.open}
      color={wantsColor(deps.env)}
      hyperlinks={supportsHyperlinks(deps.env)}
      copy={(text) => copyText(text, { env: deps.env, writeRaw })}
      openUrl={(url) => openUrl(url, deps.env)}
      signal={deps.signal}
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
