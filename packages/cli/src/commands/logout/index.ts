export { type LogoutOptions, parse, usage } from './parse.js';
export { run } from './run.js';
