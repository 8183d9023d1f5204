/**
 * Loads Ink before the rest of the app, with the global `fetch` hidden meanwhile. Ink's layout engine (yoga)
 * loads its WebAssembly from a `data:` URL with `fetch` when there is one, and that first `fetch` loads all of
 * undici (tens of milliseconds before the first frame); without it, yoga decodes the same bytes with `atob`.
 * Nothing else runs meanwhile, and `fetch` is back before any other module of the app is evaluated.
 */
export async function loadInk(): Promise<void> {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (descriptor?.configurable !== true) {
    await import('ink');
    return;
  }
  Reflect.deleteProperty(globalThis, 'fetch');
  try {
    await import('ink');
  } finally {
    Object.defineProperty(globalThis, 'fetch', descriptor);
  }
}
