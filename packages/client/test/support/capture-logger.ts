import type { Logger } from '@umapi-kit/client';

export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  fields: Record<string, unknown> | undefined;
}

/** A logger that keeps every line, and the whole of it as text for "no secret appears" checks. */
export class CaptureLogger implements Logger {
  readonly lines: LogLine[] = [];

  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }
  debug(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', message, fields });
  }

  text(): string {
    return JSON.stringify(this.lines);
  }
}

/** Every message, stack and cause of an error chain (and its own fields), as text. */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof Error) {
      parts.push(
        current.message,
        current.stack ?? '',
        JSON.stringify(Object.fromEntries(Object.entries(current))),
      );
      current = current.cause;
    } else {
      parts.push(JSON.stringify(current));
      break;
    }
  }
  return parts.join('\n');
}
