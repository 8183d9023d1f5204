export type DiagnosticId =
  | 'config'
  | 'callback-url'
  | 'port'
  | 'server'
  | 'clock'
  | 'callback-registered'
  | 'token-file';
export type DiagnosticStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface DiagnosticCheck {
  id: DiagnosticId;
  status: DiagnosticStatus;
  /** One line, with the next step when not `pass`; never a secret. */
  message: string;
}

export function skip(id: DiagnosticId, message: string): DiagnosticCheck {
  return { id, status: 'skip', message };
}
