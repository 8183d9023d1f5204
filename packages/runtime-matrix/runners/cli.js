// Node, Deno and Bun: runs the bundled suite with the input given as the first argument (JSON) and prints
// one line of JSON, { runtime, results }, on stdout. Copied next to the bundle (suite.js) by the harness.
import { runSuite } from './suite.js';

const { Deno, Bun, process } = globalThis;
const args = Deno ? Deno.args : process.argv.slice(2);
const runtime = Deno ? `deno ${Deno.version.deno}` : Bun ? `bun ${Bun.version}` : `node ${process.version}`;
const results = await runSuite(JSON.parse(args[0]));
console.log(JSON.stringify({ runtime, results }));
