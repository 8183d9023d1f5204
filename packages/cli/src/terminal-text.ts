// Text that came from a server or a callback (an `error_description`, a userinfo name, a page's title) must
// reach the terminal as text, never as terminal commands: an escape sequence can clear the screen, move the
// cursor, rewrite earlier lines or set the window title; a bidi override or a zero-width character can make
// what is shown differ from what is there. The CLI's writers pass everything they print through these.

// CSI sequences (ESC [ parameters intermediates final) whole; any other ESC with the one character after it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const ESCAPE_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]?|[\s\S])?/g;
// C0 controls but TAB and LF, DEL, C1 controls (U+0080-U+009F: 8-bit CSI, OSC...), Unicode format characters
// (Cf: bidi embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069, zero-width characters,
// the BOM, tags), and the line and paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\p{Cf}\u2028\u2029]/gu;
// The same set, plus TAB and LF: for a table cell or a JSON string.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE_IN_CELL = /[\x00-\x1f\x7f-\x9f\p{Cf}\u2028\u2029]/gu;
// What `JSON.stringify` leaves raw of that set (it escapes C0 controls itself; its line breaks are layout).
const UNSAFE_IN_JSON = /[\x7f-\x9f\p{Cf}\u2028\u2029]/gu;

/** `text` without escape sequences, control characters (but `\n` and `\t`) and format characters. */
export function stripControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(UNSAFE, '');
}

/** A table or `key<TAB>value` cell: as `stripControls`, and a line break or tab becomes a space. */
export function toCell(text: string): string {
  return text
    .replace(ESCAPE_SEQUENCE, '')
    .replace(UNSAFE_IN_CELL, (c) => (c === '\t' || c === '\n' || c === '\r' ? ' ' : ''));
}

/**
 * JSON text with every character `JSON.stringify` leaves raw that a terminal may act on (DEL, C1 controls,
 * format characters, U+2028/U+2029) written as `\uXXXX`: the same document, safe to print. (`JSON.stringify`
 * already escapes C0 controls, ESC included, and lone surrogates.) These characters occur only inside
 * strings, so the result is valid JSON with the same value.
 */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) =>
    [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
  );
}
