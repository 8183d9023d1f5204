import { createServer } from 'node:net';
import { isCallbackServerError } from '../../errors/guards.js';
import { bindLoopback, closeServers } from '../loopback/bind.js';
import { type LoopbackTarget, parseLoopbackUrl } from '../loopback/loopback-url.js';
import type { DiagnosticCheck } from './types.js';

/** The callback URL by the listener's own rules (same code, same words as `login`). */
export function checkCallbackUrl(callbackUrl: string): { check: DiagnosticCheck; target?: LoopbackTarget } {
  try {
    const target = parseLoopbackUrl(callbackUrl);
    return { check: { id: 'callback-url', status: 'pass', message: `Callback URL ${callbackUrl}.` }, target };
  } catch (error) {
    if (!isCallbackServerError(error)) throw error;
    return { check: { id: 'callback-url', status: 'fail', message: error.message } };
  }
}

/** Whether the listener could bind the callback's port now (the listener's own bind loop, then closed). */
export async function checkPort(target: LoopbackTarget): Promise<DiagnosticCheck> {
  const { port } = target;
  const host = target.url.hostname;
  try {
    await closeServers(await bindLoopback(target, () => createServer()));
  } catch (error) {
    if (!isCallbackServerError(error)) throw error;
    return { id: 'port', status: 'fail', message: error.message };
  }
  return { id: 'port', status: 'pass', message: `Port ${port} on ${host} is free.` };
}
