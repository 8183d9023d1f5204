import type { Io } from './io.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Progress on stderr: an animated spinner on a terminal only, plain lines otherwise. */
export interface Progress {
  /** The current step: the spinner's text, or one line. */
  step(text: string): void;
  /** A line that stays (a URL, a notice), above the spinner. */
  info(text: string): void;
  /** Ends the current step with a success line. */
  done(text: string): void;
  /** Stops the spinner without a line (before an error is printed). */
  stop(): void;
}

export interface ProgressOptions {
  /** Prefix of every line (the demo labels its lines). */
  label?: string | undefined;
  /** Force the spinner on or off; default: on when stderr is a terminal. */
  spinner?: boolean | undefined;
}

export function createProgress(io: Io, options: ProgressOptions = {}): Progress {
  const label = options.label ?? '';
  const animated = options.spinner ?? io.stderrIsTTY;
  let text: string | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;

  // The spinner's own controls (back to the line's start, erase it) go around the text stripping of io.stderr.
  const eraseLine = () =>
    io.stderr.writeControl === undefined ? io.stderr.write('\r\x1b[2K') : io.stderr.writeControl('\r\x1b[2K');
  const clear = () => {
    if (animated && text !== undefined) eraseLine();
  };
  const draw = () => {
    if (text === undefined) return;
    eraseLine();
    io.stderr.write(`${FRAMES[frame % FRAMES.length]} ${label}${text}`);
  };
  const stopTimer = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };

  return {
    step(next) {
      if (!animated) {
        io.stderr.write(`${label}${next}\n`);
        return;
      }
      text = next;
      draw();
      if (timer === undefined) {
        timer = setInterval(() => {
          frame += 1;
          draw();
        }, 80);
        timer.unref();
      }
    },
    info(line) {
      clear();
      io.stderr.write(`${label}${line}\n`);
      if (animated) draw();
    },
    done(line) {
      stopTimer();
      clear();
      text = undefined;
      io.stderr.write(`${animated ? '✓ ' : ''}${label}${line}\n`);
    },
    stop() {
      stopTimer();
      clear();
      text = undefined;
    },
  };
}
