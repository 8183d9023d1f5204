import { isApsAuthError, resolveConfig, validateCallbackUrl, validateScopes } from '@aps-auth/core';
import { parseLoopbackUrl } from '@aps-auth/core/node';
import type { FieldProblem, SetupFieldName, SetupInput } from './session.js';

/**
 * Each field of the set-up checked on its own with core's validators and core's messages: the client id and
 * secret (`resolveConfig`), the callback URL (`validateCallbackUrl`, then the loopback listener's rules,
 * `parseLoopbackUrl`, exactly as `aps-auth login` applies them), the scopes (`validateScopes`).
 */
export function validateSetup(input: SetupInput): Partial<Record<SetupFieldName, FieldProblem>> {
  const problems: Partial<Record<SetupFieldName, FieldProblem>> = {};
  const check = (field: SetupFieldName, fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      problems[field] = toProblem(error, 'error');
    }
  };
  check('clientId', () => resolveConfig({ clientId: input.clientId }));
  if (input.clientSecret !== undefined && input.clientSecret !== '') {
    check('clientSecret', () => resolveConfig({ clientId: 'x', clientSecret: input.clientSecret }));
  }
  const callback = validateCallbackUrl(input.callbackUrl, { name: 'Callback URL' });
  if (!callback.ok) problems.callbackUrl = toProblem(callback.error, 'error');
  else {
    // Valid for APS, but no local listener can receive it: `aps-auth login` refuses it without --manual, so
    // the TUI signs in with the manual mode and says why in core's words.
    try {
      parseLoopbackUrl(callback.value);
    } catch (error) {
      problems.callbackUrl = toProblem(error, 'note');
    }
  }
  const scopes = validateScopes(input.scopes, { name: 'Scopes' });
  if (!scopes.ok) problems.scopes = toProblem(scopes.error, 'error');
  return problems;
}

function toProblem(error: unknown, severity: FieldProblem['severity']): FieldProblem {
  return {
    code: isApsAuthError(error) ? error.code : 'INVALID',
    message: error instanceof Error ? error.message : String(error),
    severity,
  };
}
