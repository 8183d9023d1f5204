import { encode } from 'uqr';

export interface QrText {
  lines: string[];
  width: number;
}

/**
 * A QR code as text, two module rows per line with half blocks. Light modules (and the quiet zone) are drawn
 * in the text colour, so the code reads as dark-on-light on the usual light-on-dark terminal.
 */
export function renderQr(text: string): QrText {
  const { data } = encode(text, { ecc: 'L', border: 2 });
  const light = (row: boolean[] | undefined, x: number) => row !== undefined && row[x] !== true;
  const lines: string[] = [];
  for (let y = 0; y < data.length; y += 2) {
    const top = data[y];
    const bottom = data[y + 1];
    let line = '';
    for (let x = 0; x < (top?.length ?? 0); x++) {
      const t = light(top, x);
      const b = bottom === undefined ? false : light(bottom, x);
      line += t && b ? '█' : t ? '▀' : b ? '▄' : ' ';
    }
    lines.push(line);
  }
  return { lines, width: data[0]?.length ?? 0 };
}
