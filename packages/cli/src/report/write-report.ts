import { writeFileWhole } from '../output/write-file-whole.js';

/** Writes a report page owner-only and whole (a plan names people: it is as private as the plan file). */
export async function writeReport(path: string, html: string): Promise<number> {
  await writeFileWhole(path, html);
  return Buffer.byteLength(html);
}
