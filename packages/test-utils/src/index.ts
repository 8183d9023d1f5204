export { CHROMIUM_ARGS, chromiumPath, launchChromium } from './chromium.js';
export { freePort } from './free-port.js';
export { type GateProxy, type HeldRequest, startGateProxy } from './gate-proxy.js';
export { createManualTimers, type ManualTimers, type SetTimer } from './manual-timers.js';
export { type RunningRelay, type StartEmulator, startRelay } from './relay.js';
export { type ChildResult, type RunChildOptions, runChild, waitForOutput } from './run-child.js';
export { TestBrowser, type Visited } from './test-browser.js';
