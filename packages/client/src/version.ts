/** The version of @umapi-kit/client, sent in the User-Agent header. Written by `npm run set-version`. */
export const VERSION = '0.1.0';
