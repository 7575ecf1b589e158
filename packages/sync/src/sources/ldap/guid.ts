/**
 * An Active Directory `objectGUID` (16 bytes) as Microsoft renders it: the first three groups are little-endian
 * (4, 2 and 2 bytes), the last two are the remaining 8 bytes in order, e.g. `{3f2504e0-4f89-11d3-9a0c-0305e82c3301}`
 * without the braces, lower case.
 */
export function guidFromBytes(bytes: Uint8Array): string | undefined {
  if (bytes.length !== 16) return undefined;
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = [...bytes.subarray(from, to)];
    if (reverse) part.reverse();
    return part.map((byte) => byte.toString(16).padStart(2, '0')).join('');
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join('-');
}
