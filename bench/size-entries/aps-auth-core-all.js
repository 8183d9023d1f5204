// Everything the "." entry of @aps-auth/core exports (all functions, TokenManager, errors, guards).
export * from '@aps-auth/core';
