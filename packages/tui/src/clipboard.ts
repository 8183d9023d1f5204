import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { isRemote } from './terminal.js';

type Env = Record<string, string | undefined>;

export interface CopyResult {
  /** The command used, or `osc52` (the terminal was asked to set its clipboard). */
  method: string;
  /** What the screen says about it. */
  hint: string;
}

interface ClipboardCommand {
  command: string;
  args: string[];
}

/** The system clipboard command for this machine, or none (over SSH the remote clipboard helps nobody). */
export function findClipboardCommand(
  env: Env,
  platform: NodeJS.Platform = process.platform,
): ClipboardCommand | undefined {
  if (isRemote(env)) return undefined;
  const candidates: ClipboardCommand[] = [];
  if (platform === 'darwin') candidates.push({ command: 'pbcopy', args: [] });
  else if (platform === 'win32') candidates.push({ command: 'clip.exe', args: [] });
  else {
    if (env.WAYLAND_DISPLAY) candidates.push({ command: 'wl-copy', args: [] });
    if (env.DISPLAY) {
      candidates.push({ command: 'xclip', args: ['-selection', 'clipboard'] });
      candidates.push({ command: 'xsel', args: ['--clipboard', '--input'] });
    }
    if (env.WSL_DISTRO_NAME) candidates.push({ command: 'clip.exe', args: [] });
  }
  return candidates.find((candidate) => onPath(candidate.command, env));
}

function onPath(command: string, env: Env): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

function runCopy({ command, args }: ClipboardCommand, text: string, env: Env): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'ignore', 'ignore'],
      env: env as NodeJS.ProcessEnv,
    });
    child.once('error', () => resolve(false));
    child.once('close', (code) => resolve(code === 0));
    child.stdin.once('error', () => undefined);
    child.stdin.end(text);
  });
}

/** OSC 52: asks the terminal itself to set the clipboard (works over SSH; tmux needs `set-clipboard on`). */
export function osc52(text: string): string {
  return `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

/**
 * Copies `text`: the system clipboard command when there is one, else OSC 52 written with `writeRaw`.
 * The hint says which was used (OSC 52 cannot tell whether the terminal obeyed).
 */
export async function copyText(
  text: string,
  options: { env: Env; writeRaw(data: string): void; platform?: NodeJS.Platform },
): Promise<CopyResult> {
  const command = findClipboardCommand(options.env, options.platform);
  if (command !== undefined && (await runCopy(command, text, options.env))) {
    return { method: command.command, hint: `copied with ${command.command}` };
  }
  options.writeRaw(osc52(text));
  // OSC 52 cannot tell whether the terminal obeyed: say how it was sent and what tmux needs.
  return { method: 'osc52', hint: "sent to the terminal's clipboard (OSC 52; tmux needs set-clipboard on)" };
}
