/**
 * The CLI's fetch "browser" (`APS_AUTH_BROWSER=fetch`, the demo's auto-approve, tests): core's
 * `followSignInLink` / `visitSignInLink`, for emulators and auto-approve servers only.
 */
export {
  followSignInLink as followRedirects,
  type VisitedPage,
  visitSignInLink,
} from '@aps-auth/core/node';
