// Chromium: the page's module. The harness exposes `followAuthorize` (a page cannot read a redirect's
// Location) and calls `runMatrixSuite(input)`. Copied next to the bundle (suite.js) by the harness.
import { runSuite } from './suite.js';

globalThis.runMatrixSuite = async (input) => ({
  runtime: navigator.userAgent,
  origin: location.origin,
  results: await runSuite(input, (url) => globalThis.followAuthorize(url)),
});
