export { type ProfilesOptions, parse, usage } from './parse.js';
export { run } from './run.js';
