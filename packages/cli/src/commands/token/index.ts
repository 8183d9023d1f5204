export { parse, type TokenOptions, usage } from './parse.js';
export { run } from './run.js';
