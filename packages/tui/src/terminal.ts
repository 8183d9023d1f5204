type Env = Record<string, string | undefined>;

const version = (value: string | undefined) => {
  const [major = 0, minor = 0] = (value ?? '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  return major * 1000 + minor;
};

/**
 * Whether the terminal is known to show OSC 8 hyperlinks (a conservative list: unknown means no).
 * `FORCE_HYPERLINK=1` or `0` decides. Inside tmux or screen, no: they drop or mangle the sequence by default.
 */
export function supportsHyperlinks(env: Env): boolean {
  if (env.FORCE_HYPERLINK !== undefined) return env.FORCE_HYPERLINK !== '0' && env.FORCE_HYPERLINK !== '';
  if (env.TMUX !== undefined || (env.TERM ?? '').startsWith('screen') || env.TERM === 'dumb') return false;
  if (env.WT_SESSION !== undefined) return true;
  if (env.TERM === 'xterm-kitty' || env.TERM === 'xterm-ghostty') return true;
  if (env.VTE_VERSION !== undefined) return Number.parseInt(env.VTE_VERSION, 10) >= 5000;
  switch (env.TERM_PROGRAM) {
    case 'iTerm.app':
      return version(env.TERM_PROGRAM_VERSION) >= 3001;
    case 'WezTerm':
    case 'ghostty':
      return true;
    case 'vscode':
      return version(env.TERM_PROGRAM_VERSION) >= 1072;
    default:
      return false;
  }
}

/** The URL as an OSC 8 hyperlink whose visible text is the whole URL. */
export function hyperlink(url: string): string {
  return `\u001B]8;;${url}\u001B\\${url}\u001B]8;;\u001B\\`;
}

/** NO_COLOR (any non-empty value) turns colours off. */
export function wantsColor(env: Env): boolean {
  return env.NO_COLOR === undefined || env.NO_COLOR === '';
}

export function isRemote(env: Env): boolean {
  return env.SSH_CONNECTION !== undefined || env.SSH_TTY !== undefined || env.SSH_CLIENT !== undefined;
}
