export { type LoginOptions, parse, usage } from './parse.js';
export { chooseBrowser, run } from './run.js';
