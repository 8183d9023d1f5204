export { CHROMIUM_ARGS, chromiumPath, launchChromium } from './chromium.js';
export { type RunningRelay, type StartEmulator, startRelay } from './relay.js';
export { type ChildResult, type RunChildOptions, runChild, waitForOutput } from './run-child.js';
export { TestBrowser, type Visited } from './test-browser.js';
