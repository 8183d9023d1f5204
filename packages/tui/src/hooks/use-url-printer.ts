import { useStdout, useWindowSize } from 'ink';
import { useEffect, useRef } from 'react';
import { renderQr } from '../qr.js';
import { hyperlink } from '../terminal.js';

/** The URL on a line of its own, written above Ink's live region: never redrawn, never wrapped by Ink. */
function urlBlock(url: string, hyperlinks: boolean, heading: string): string {
  return `\n${heading}\n${hyperlinks ? hyperlink(url) : url}\n\n`;
}

/**
 * Prints the authorize URL once per sign-in attempt, whole, above the screen (so it stays in the scrollback
 * and copies in one piece), and on request a QR code of it. Returns `printQr`, which says what it did.
 */
export function useUrlPrinter(
  url: string | null,
  attempt: number,
  hyperlinks: boolean,
): { printQr(): string } {
  const { write } = useStdout();
  const { columns, rows } = useWindowSize();
  const printed = useRef(0);
  useEffect(() => {
    if (url === null || printed.current === attempt) return;
    const heading =
      printed.current === 0
        ? 'Sign in to Autodesk Platform Services at this URL:'
        : 'A new sign-in URL (the previous one no longer works):';
    printed.current = attempt;
    write(urlBlock(url, hyperlinks, heading));
  }, [url, attempt, write, hyperlinks]);
  return {
    printQr() {
      if (url === null) return 'No URL yet.';
      const qr = renderQr(url);
      if (qr.width > columns) {
        return `The terminal is too narrow for the QR code: it needs ${qr.width} columns (it has ${columns}).`;
      }
      write(`\n${qr.lines.join('\n')}\n${urlBlock(url, hyperlinks, 'The same URL:')}`);
      return `QR code printed above${qr.lines.length + 4 > rows ? ' (scroll up to see all of it)' : ''}.`;
    },
  };
}
