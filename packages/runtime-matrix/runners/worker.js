// workerd (through miniflare): a module worker that runs the bundled suite with the input posted as JSON
// and answers { runtime, results }. Copied next to the bundle (suite.js) by the harness.
import { runSuite } from './suite.js';

export default {
  async fetch(request) {
    const results = await runSuite(await request.json());
    return Response.json({ runtime: navigator.userAgent, results });
  },
};
