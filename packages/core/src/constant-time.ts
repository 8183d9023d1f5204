/**
 * Compares two strings in time that depends only on their lengths, not on where they differ. Compares
 * UTF-16 code units: an encoding step would map every lone surrogate to U+FFFD and make different strings
 * equal.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) {
    // charCodeAt past the end is NaN, and NaN | 0 is 0: no early exit, no branch on the content.
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return diff === 0;
}
