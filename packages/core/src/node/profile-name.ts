// Moved to core's `.` entry (`src/inputs/profile-name.ts`); kept so that existing imports still work.
export { checkProfileName, PROFILE_NAME_PATTERN } from '../inputs/profile-name.js';
