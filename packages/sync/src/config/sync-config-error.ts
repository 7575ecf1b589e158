/** A bad sync configuration: names the file, the key path and the line. */
export class SyncConfigError extends Error {
  readonly file: string;
  readonly key: string;
  readonly line: number;
  constructor(file: string, line: number, key: string, message: string) {
    super(`${file}:${String(line)}: ${key === '' ? '' : `${key}: `}${message}`);
    this.name = 'SyncConfigError';
    this.file = file;
    this.key = key;
    this.line = line;
  }
}
