/** Where the client writes its log lines. Every method takes a message and optional structured fields. */
export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

const ignore = (): void => undefined;

/** The default logger: writes nothing. */
export const silentLogger: Logger = { error: ignore, warn: ignore, info: ignore, debug: ignore };
