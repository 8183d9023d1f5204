export { type DoctorOptions, parse, usage } from './parse.js';
export { run } from './run.js';
