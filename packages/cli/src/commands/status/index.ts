export { parse, type StatusOptions, usage } from './parse.js';
export { run } from './run.js';
