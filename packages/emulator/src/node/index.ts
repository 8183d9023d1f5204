export { type RunningEmulator, type StartEmulatorOptions, startEmulator } from './server.js';
