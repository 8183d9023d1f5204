import { useStdout, useWindowSize } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { renderQr } from '../qr.js';
import { hyperlink } from '../terminal.js';

/** The URL on a line of its own, written above Ink's live region: never redrawn, never wrapped by Ink. */
function urlBlock(url: string, hyperlinks: boolean, heading: string): string {
  return `\n${heading}\n${hyperlinks ? hyperlink(url) : url}\n\n`;
}

/** A QR code of `url` as lines to print, or why it is not printed (the terminal is too narrow). */
function qrFor(url: string, columns: number): { lines: string[] } | { tooNarrow: string } {
  const qr = renderQr(url);
  if (qr.width > columns) {
    return {
      tooNarrow: `The terminal is too narrow for the QR code: it needs ${qr.width} columns (it has ${columns}).`,
    };
  }
  return { lines: qr.lines };
}

/** The QR code printed with the relay's URL: `scroll` when it is taller than the terminal; or why not printed. */
export type RelayQr = { printed: true; scroll: boolean } | { printed: false; tooNarrow: string };

/**
 * The relay's URL is for another device: its QR code comes with it, printed at once, then the URL itself whole
 * on its own line (directly above the screen). Returns the text to write and what the screen says of the QR.
 */
export function relayUrlBlock(
  url: string,
  options: { first: boolean; hyperlinks: boolean; columns: number; rows: number },
): { text: string; qr: RelayQr } {
  const qr = qrFor(url, options.columns);
  const heading = options.first
    ? 'Sign in on any device (a phone or another computer): scan the QR code or open this URL:'
    : 'A new sign-in URL (the previous one no longer works): scan the QR code or open this URL:';
  if ('tooNarrow' in qr) {
    return {
      text: urlBlock(url, options.hyperlinks, heading),
      qr: { printed: false, tooNarrow: qr.tooNarrow },
    };
  }
  return {
    text: `\n${heading}\n${qr.lines.join('\n')}\n${options.hyperlinks ? hyperlink(url) : url}\n\n`,
    qr: { printed: true, scroll: qr.lines.length + 4 > options.rows },
  };
}

/**
 * Prints the authorize URL once per sign-in attempt, whole, above the screen (so it stays in the scrollback
 * and copies in one piece), and on request a QR code of it. In relay mode the QR code is printed with the URL
 * at once (`qr` says so, or why not). Returns `printQr`, which says what it did.
 */
export function useUrlPrinter(
  url: string | null,
  attempt: number,
  hyperlinks: boolean,
  options: { relay: boolean } = { relay: false },
): { printQr(): string; qr: RelayQr | null } {
  const { write } = useStdout();
  const { columns, rows } = useWindowSize();
  const printed = useRef(0);
  const [relayQr, setRelayQr] = useState<{ attempt: number; qr: RelayQr } | null>(null);
  const { relay } = options;
  useEffect(() => {
    if (url === null || printed.current === attempt) return;
    const first = printed.current === 0;
    printed.current = attempt;
    if (relay) {
      const block = relayUrlBlock(url, { first, hyperlinks, columns, rows });
      write(block.text);
      setRelayQr({ attempt, qr: block.qr });
      return;
    }
    const heading = first
      ? 'Sign in to Autodesk Platform Services at this URL:'
      : 'A new sign-in URL (the previous one no longer works):';
    write(urlBlock(url, hyperlinks, heading));
  }, [url, attempt, write, hyperlinks, relay, columns, rows]);
  return {
    qr: relayQr?.attempt === attempt ? relayQr.qr : null,
    printQr() {
      if (url === null) return 'No URL yet.';
      const qr = qrFor(url, columns);
      if ('tooNarrow' in qr) return qr.tooNarrow;
      write(`\n${qr.lines.join('\n')}\n${urlBlock(url, hyperlinks, 'The same URL:')}`);
      return `QR code printed above${qr.lines.length + 4 > rows ? ' (scroll up to see all of it)' : ''}.`;
    },
  };
}
