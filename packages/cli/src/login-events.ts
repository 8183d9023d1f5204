import type { LoginEvent } from '@aps-auth/core/node';
import type { Progress } from './progress.js';

export type BrowserMode = 'open' | 'print' | 'manual' | 'fetch';

/** Turns core's login events into stderr progress. The authorize URL is printed in every mode. */
export function createLoginEventHandler(
  progress: Progress,
  mode: BrowserMode,
  options: { remote?: boolean } = {},
): (event: LoginEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'listening':
        progress.step(`Listening for the callback on ${event.redirectUri}`);
        break;
      case 'authorize-url':
        renderSignInUrl(progress, mode, event, options);
        break;
      case 'browser-failed':
        progress.info(`Could not open a browser (${event.message}); open the link above yourself.`);
        break;
      case 'waiting':
        if (mode === 'fetch') progress.step('Following the authorize redirect (auto-approve, no browser)');
        else if (mode !== 'manual')
          progress.step('Waiting for the sign-in in the browser (Ctrl+C to cancel)');
        break;
      case 'callback-refused':
        progress.info(`Ignored a callback: ${event.message}`);
        break;
      case 'callback-received':
        progress.step('Callback received');
        break;
      case 'exchanging':
        progress.step('Exchanging the code for tokens');
        break;
      case 'stored':
        progress.step('Token stored');
        break;
      default:
        break;
    }
  };
}

/**
 * The sign-in URL: in manual mode the authorize URL (opened on any machine, the redirected URL pasted back);
 * otherwise the listener's one-time start link, which works once and binds the sign-in to the browser that
 * opens it (so it is printed for this machine's browser, and nothing secret is in a launcher's argv).
 */
function renderSignInUrl(
  progress: Progress,
  mode: BrowserMode,
  event: Extract<LoginEvent, { type: 'authorize-url' }>,
  options: { remote?: boolean },
): void {
  if (mode === 'manual') {
    progress.info('Open this URL in a browser on any machine and sign in:');
    progress.info(`  ${event.url}`);
    progress.info('The browser then goes to the callback URL, which will not load here: that is expected.');
    progress.info('Paste the full URL from its address bar (or just its query) and press Enter:');
  } else if (mode === 'print') {
    progress.info('Open this URL in a browser to sign in:');
    progress.info(`  ${event.url}`);
    if (event.startLink) progress.info('(A browser on this machine; the link works once, in one browser.)');
  } else if (mode === 'fetch') {
    progress.info(`Sign-in link: ${event.url}`);
  } else {
    progress.info('Opening the browser to sign in. If it does not open, visit:');
    progress.info(`  ${event.url}`);
    if (event.startLink) progress.info('(The link works once, in one browser.)');
    if (options.remote === true) {
      progress.info(
        "Over SSH? A browser on another machine cannot reach this one's callback: use 'aps-auth login --manual'.",
      );
    }
  }
}
