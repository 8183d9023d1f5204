export { openProfile, type ProfileSession } from './open-profile.js';
export { readProfileStatus } from './status.js';
export type {
  GetTokenOptions as SessionGetTokenOptions,
  OpenProfileOptions,
  ProfileState,
  ProfileStatus,
  SessionWarning,
  SignInOptions,
  SignOutReport,
  StatusOptions,
  StatusUser,
} from './types.js';
