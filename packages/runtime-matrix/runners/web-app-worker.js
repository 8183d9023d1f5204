// workerd: apps/web as a module worker, the way a Cloudflare deployment writes it. esbuild bundles this file
// with `@aps-auth/web`'s "." entry (its built dist/ and core's, as users get them). The app is made at module
// scope, from the worker's bindings (vars and secrets): workerd refuses random values, timers and I/O there, so
// this also checks that createWebApp needs none of them.
import { env } from 'cloudflare:workers';
import { createWebApp } from '@aps-auth/web';

// Sessions in the isolate's memory: enough for one isolate (this test); a deployment passes a shared store.
const app = createWebApp({
  config: {
    clientId: env.APS_CLIENT_ID,
    clientSecret: env.APS_CLIENT_SECRET,
    redirectUri: env.APS_CALLBACK_URL,
    baseUrl: env.APS_BASE_URL,
  },
  sessionSecret: env.SESSION_SECRET,
});

export default {
  fetch(request, bindings, ctx) {
    // For the harness: which runtime answers (the app itself has no such route).
    if (new URL(request.url).pathname === '/__runtime') return new Response(navigator.userAgent);
    return app.fetch(request, bindings, ctx);
  },
};
