export { type ExecOptions, parse, splitCommand, usage } from './parse.js';
export { run } from './run.js';
