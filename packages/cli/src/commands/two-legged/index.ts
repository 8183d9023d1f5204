export { parse, type TwoLeggedOptions, usage } from './parse.js';
export { run } from './run.js';
