export { DEMO_CLIENT_ID, type DemoEmulator, freeLoopbackPort, startDemoEmulator } from './demo.js';
export { type RunningEmulator, type StartEmulatorOptions, startEmulator } from './server.js';
