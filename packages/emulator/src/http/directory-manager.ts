import { DIRECTORY_MANAGERS, type DirectoryManager } from '../store/orgs.js';

/** Reads `{"managedBy": "azure" | "google" | null}` (the admin route's body), naming what is wrong otherwise. */
export function parseDirectoryManager(
  value: unknown,
): { ok: true; managedBy: DirectoryManager | null } | { ok: false; message: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('managedBy' in value)) {
    return {
      ok: false,
      message: 'Request body must be a JSON object {"managedBy": "azure" | "google" | null}',
    };
  }
  const extra = Object.keys(value).filter((key) => key !== 'managedBy');
  if (extra.length > 0) {
    return { ok: false, message: `Unknown field ${extra.join(', ')}: only managedBy is accepted` };
  }
  const managedBy = value.managedBy;
  if (managedBy === null) return { ok: true, managedBy: null };
  const known = DIRECTORY_MANAGERS.find((manager) => manager === managedBy);
  if (known !== undefined) return { ok: true, managedBy: known };
  return {
    ok: false,
    message: `managedBy must be "azure", "google" or null (not synced), got ${JSON.stringify(managedBy)}`,
  };
}
