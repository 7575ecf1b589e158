/** The version of @umapi-kit/emulator, reported by /status. Written by `npm run set-version`. */
export const VERSION = '0.1.0';
