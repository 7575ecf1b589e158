/** Where output text goes: `process.stdout`/`stderr` or an in-memory sink in tests. */
export interface TextSink {
  write(chunk: string): boolean;
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

/** Writes and, when the stream's buffer is full, waits for it to drain (constant memory for long listings). */
export async function writeText(sink: TextSink, text: string): Promise<void> {
  if (sink.write(text) || sink.once === undefined) return;
  const once = sink.once.bind(sink);
  await new Promise<void>((resolve) => {
    once('drain', resolve);
  });
}
