import { describe, expect, it } from 'vitest';
import { formatFields, formatRows, writeJson } from '../src/output.js';
import { createProgress } from '../src/progress.js';
import { escapeJsonText, stripControls, toCell } from '../src/terminal-text.js';
import { captureIo } from './helpers.js';

describe('stripControls', () => {
  it('removes CSI sequences whole, other escapes with their next character, C0 but TAB/LF, DEL, C1', () => {
    expect(stripControls('a\u001b[2J\u001b[1;31mb\u001b]0;title\u0007c\u001bcd')).toBe('ab0;titlecd');
    expect(stripControls('x\ty\nz\r\u0000\u0008\u007f\u0085\u009b31m')).toBe('x\ty\nz31m');
  });

  it('removes bidi controls, zero-width characters, the BOM, tags and U+2028/U+2029', () => {
    expect(
      stripControls('a\u202ab\u202ec\u2066d\u2069e\u200bf\u200dg\ufeffh\u{e0041}i\u2028j\u2029k\u00adl'),
    ).toBe('abcdefghijkl');
  });

  it('keeps ordinary text, emoji and other scripts', () => {
    const text = 'Ada Lovelace — 日本語 עברית 👩‍💻 ✓';
    expect(stripControls(text)).toBe(text.replace('\u200d', ''));
  });
});

describe('cells and JSON', () => {
  it('a cell has no line break or tab: they become spaces', () => {
    expect(toCell('a\tb\nc\r\u001b[2Jd')).toBe('a b c d');
    expect(formatRows('tsv', [], [['x\ty', 'z\n1']])).toBe('x y\tz 1\n');
    expect(formatFields('tsv', [['user', 'A\u202eB\nfake\tline']])).toBe('user\tAB fake line\n');
  });

  it('JSON keeps every value; what JSON.stringify leaves raw is escaped', () => {
    const value = 'a\u001b[2Jb\u009bc\u202ed\u2066e\u200bf\u007fg\u{e0041}h';
    const text = escapeJsonText(JSON.stringify({ value }, null, 2));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u202e\u2066]/u);
    expect(JSON.parse(text)).toEqual({ value });
    const io = captureIo();
    writeJson(io, { name: value });
    expect(JSON.parse(io.out())).toEqual({ schemaVersion: 1, name: value });
    expect(io.out()).toContain('\\u009b');
  });
});

describe('the spinner', () => {
  it('writes its own erase-line control through writeControl and the text through write', () => {
    const writes: string[] = [];
    const controls: string[] = [];
    const io = {
      ...captureIo({ tty: true }),
      stderr: { write: (t: string) => writes.push(t), writeControl: (t: string) => controls.push(t) },
    };
    const progress = createProgress(io, { spinner: true });
    progress.step('Waiting');
    progress.done('Done');
    expect(controls).toEqual(['\r\u001b[2K', '\r\u001b[2K']);
    expect(writes.join('')).not.toContain('\u001b');
    expect(writes.join('')).toContain('Waiting');
  });
});
