/** The exit codes of `aps-auth-tui`: the ones every aps-auth front end shares, with the CLI's meanings. */
export {
  EXIT_CODES as ExitCode,
  exitCodeForError as exitCodeFor,
  type SharedExitCode as ExitCodeValue,
} from '@aps-auth/core/node';
