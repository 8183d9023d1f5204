export { parse, type RefreshOptions, usage } from './parse.js';
export { run } from './run.js';
