import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator } from '@aps-auth/emulator/node';
import { vi } from 'vitest';

const run = promisify(execFile);

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
export const CLIENT_ID = 'tui-test-client';
export const SECRET = 'tui-known-secret-Hq4mW8zR2vX6';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** A port free on 127.0.0.1 right now (for the callback URL). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface World {
  emulator: Emulator;
  root: string;
  home: string;
  cwd: string;
  callbackUrl: string;
  /** The TUI's whole environment: nothing inherited but PATH. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A real emulator on 127.0.0.1 (auto-approve unless told otherwise) and an empty home. */
export async function createWorld(options: { autoApprove?: boolean } = {}): Promise<World> {
  const callbackUrl = `http://localhost:${await freePort()}/api/auth/callback`;
  const emulator = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    autoApprove: options.autoApprove ?? true,
    rateLimits: false,
    clients: [{ clientId: CLIENT_ID, clientSecret: SECRET, redirectUris: [callbackUrl] }],
  });
  const root = await mkdtemp(join(tmpdir(), 'aps-auth-tui-test-'));
  const home = join(root, 'home');
  const cwd = join(root, 'cwd');
  await mkdir(cwd);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: root,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    APS_AUTH_HOME: home,
    APS_CLIENT_ID: CLIENT_ID,
    APS_CLIENT_SECRET: SECRET,
    APS_BASE_URL: emulator.url,
    APS_CALLBACK_URL: callbackUrl,
    APS_AUTH_BROWSER: 'fetch',
  };
  return {
    emulator,
    root,
    home,
    cwd,
    callbackUrl,
    env,
    async close() {
      await emulator.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Every regular file under `dir`, recursively (none if it does not exist). */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if ((await stat(path)).isFile()) out.push(path);
  }
  return out;
}

const EXITED = /\[aps-auth-tui exited (\d+)\]/;

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * The built bin in a real pseudo-terminal: a tmux server of its own (its own socket, no user config), one
 * window of the given size. The pane stays after the bin ends, so its exit status can be read.
 */
export class TmuxTui {
  private constructor(
    private readonly socket: string,
    private readonly dir: string,
  ) {}

  static async start(
    world: World,
    options: {
      columns?: number;
      rows?: number;
      args?: string[];
      env?: Record<string, string>;
      /** Without the world's APS variables (no credentials configured anywhere). */
      noApsEnv?: boolean;
      /** Another command than the built bin (e.g. `npm start`), run in `cwd`. */
      command?: { argv: string[]; cwd: string };
    } = {},
  ): Promise<TmuxTui> {
    const dir = await mkdtemp(join(tmpdir(), 'aps-auth-tui-tmux-'));
    const config = join(dir, 'tmux.conf');
    await writeFile(config, 'set -g remain-on-exit on\nset -g history-limit 5000\nset -g status off\n');
    const base = options.noApsEnv
      ? Object.fromEntries(Object.entries(world.env).filter(([name]) => !name.startsWith('APS_')))
      : world.env;
    const env = { ...base, ...options.env };
    const command = [
      'cd',
      shellQuote(options.command?.cwd ?? world.cwd),
      '&&',
      'env -i',
      ...Object.entries(env).map(([k, v]) => shellQuote(`${k}=${v}`)),
      ...(options.command?.argv ?? [process.execPath, BIN]).map(shellQuote),
      ...(options.args ?? []).map(shellQuote),
      '; echo "[aps-auth-tui exited $?]"',
    ].join(' ');
    const tui = new TmuxTui(join(dir, 'socket'), dir);
    await tui.tmux(
      '-f',
      config,
      'new-session',
      '-d',
      '-s',
      'tui',
      '-x',
      String(options.columns ?? 80),
      '-y',
      String(options.rows ?? 24),
      command,
    );
    return tui;
  }

  async tmux(...args: string[]): Promise<string> {
    try {
      const { stdout } = await run('tmux', ['-S', this.socket, ...args]);
      return stdout;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new Error(
        "these tests drive the TUI in a real terminal with tmux, which is not installed: install it (Debian: 'apt-get install tmux'; macOS: 'brew install tmux')",
      );
    }
  }

  /** The screen and its scrollback, soft-wrapped lines joined (`-J`), as a person would select it. */
  capture(options: { escapes?: boolean } = {}): Promise<string> {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', ...(options.escapes ? ['-e'] : []), '-t', 'tui');
  }

  /** Polls the screen until `test` holds (at most `tries` captures, 50 ms apart); returns that screen. */
  async waitFor(test: (screen: string) => boolean, what: string, tries = 600): Promise<string> {
    let screen = '';
    for (let i = 0; i < tries; i++) {
      screen = await this.capture();
      if (test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the screen never showed ${what}; it shows:\n${screen}`);
  }

  waitForText(text: string): Promise<string> {
    return this.waitFor((screen) => screen.includes(text), JSON.stringify(text));
  }

  /**
   * Waits until the program in the pane reads keys one by one (its terminal out of canonical mode), as Ink does
   * once its input hook is mounted: a key sent earlier is read by the line discipline (Enter becomes a `\n`)
   * and may be lost. Polls the pane's terminal settings (bounded); an event, not a delay.
   */
  async waitUntilReadingKeys(tries = 400): Promise<void> {
    const tty = (await this.tmux('display-message', '-p', '-t', 'tui', '#{pane_tty}')).trim();
    for (let i = 0; i < tries; i++) {
      const { stdout } = await run('stty', ['-F', tty, '-a']).catch(() => ({ stdout: '' }));
      if (/(^|\s)-icanon(\s|$)/.test(stdout)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(
      `the program in the terminal never started reading keys (${tty} stayed in canonical mode)`,
    );
  }

  /** Keys by tmux name (`Enter`, `Escape`, `C-c`) or literal text with `literal`, once the program reads keys. */
  async keys(keys: string, options: { literal?: boolean } = {}): Promise<void> {
    await this.waitUntilReadingKeys();
    await this.tmux('send-keys', '-t', 'tui', ...(options.literal ? ['-l'] : []), keys);
  }

  /** Pastes `text` as a terminal does: bracketed (`paste-buffer -p`) when the program asked for it. */
  async paste(text: string): Promise<void> {
    await this.waitUntilReadingKeys();
    await this.tmux('set-buffer', '-b', 'paste', text);
    await this.tmux('paste-buffer', '-p', '-d', '-b', 'paste', '-t', 'tui');
  }

  async resize(columns: number, rows: number): Promise<void> {
    await this.tmux('resize-window', '-t', 'tui', '-x', String(columns), '-y', String(rows));
  }

  /** The bin's exit status once it has ended: the shell that ran it prints it (polled, bounded). */
  async exitStatus(): Promise<number> {
    const screen = await this.waitFor((s) => EXITED.test(s), 'the TUI ending');
    return Number(EXITED.exec(screen)![1]);
  }

  async close(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The authorize URL lines on a screen (each whole, on one joined line). */
/** The lines of a screen that are a whole start link of core's loopback listener (`<callback>/start?id=…`). */
export function startLinks(screen: string, callbackUrl: string): string[] {
  return screen
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(`${callbackUrl}/start?id=`));
}

export function authorizeUrls(screen: string, baseUrl: string): string[] {
  return screen
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(`${baseUrl}/authentication/v2/authorize?`));
}

/** The signing-in screen's callbacks, each a mock (component tests of the signing-in screens). */
export function signingInHandlers() {
  return {
    onOpen: vi.fn(),
    onCopy: vi.fn(),
    onShowQr: vi.fn(),
    onManual: vi.fn(),
    onPaste: vi.fn<(line: string) => void>(),
    onCancel: vi.fn(),
  };
}
