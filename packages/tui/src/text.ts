/** Control and format characters (escape sequences, bidi overrides) become U+FFFD: server or callback text
 * shown on the screen can never drive the terminal. */
export function printable(text: string, max = 500): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === '\n' ? ' ' : '\uFFFD'));
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** A time left: "4 min 05 s", "59 s", "14 d 23 h", or "expired". */
export function formatDuration(ms: number): string {
  return ms <= 0 ? 'expired' : formatSpan(ms);
}

/** A span of time (e.g. an age): "0 s", "4 min 05 s", "3 h 02 min", "14 d 23 h". */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  if (s < 86_400)
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}
