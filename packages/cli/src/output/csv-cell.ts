/**
 * Spreadsheet formula injection (CSV injection): a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
 * return is run as a formula by Excel, LibreOffice and Google Sheets. OWASP's advice: prefix such a cell with a
 * single quote, so the spreadsheet shows it as text, and quote the field (the CSV writer does).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a cell would start a formula in a spreadsheet. */
export function startsFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/** A cell safe to open in a spreadsheet: a formula-starting cell gets a leading `'`. */
export function neutralizedCell(text: string): string {
  return startsFormula(text) ? `'${text}` : text;
}
