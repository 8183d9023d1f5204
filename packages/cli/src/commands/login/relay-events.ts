import type { LoginEvent } from '@aps-auth/core/node';
import { formatDuration } from '../../output.js';
import type { Progress } from '../../progress.js';

/**
 * `login --relay`: the sign-in URL is for any device (a phone, another computer), and the wait is for the relay;
 * every other event is told as in the other modes.
 */
export function withRelayEvents(
  progress: Progress,
  relay: string | undefined,
  next: (event: LoginEvent) => void,
): (event: LoginEvent) => void {
  if (relay === undefined) return next;
  let waitMs = 0;
  return (event) => {
    switch (event.type) {
      case 'authorize-url':
        waitMs = event.timeoutMs;
        progress.step(`Paired with the relay ${relay} (callback URL ${relay}/relay)`);
        progress.info('Open this URL in a browser on any device (a phone works) and sign in:');
        progress.info(`  ${event.url}`);
        progress.info('The relay then shows "return to your terminal"; this terminal finishes the sign-in.');
        break;
      case 'waiting':
        // The pairing may end the wait before --timeout: say how long it really is.
        progress.step(
          `Waiting for the sign-in through the relay, at most ${formatDuration(waitMs / 1000)} (Ctrl+C to cancel)`,
        );
        break;
      default:
        next(event);
    }
  };
}
