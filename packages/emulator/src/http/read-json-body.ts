type JsonBody = { ok: true; value: unknown } | { ok: false; reason: string };

/** Reads a request's or response's body as JSON, saying why when it is not valid JSON. */
export async function readJsonBody(message: { text(): Promise<string> }): Promise<JsonBody> {
  const text = await message.text();
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
