/**
 * Just enough CSV for the upload page: the header of a chosen file (to map its columns) and
 * the result file the hub returns (to count outcomes and show the first rows). The hub
 * parses the upload itself; this never decides what is imported.
 */

export type Delimiter = ',' | ';' | '\t';

/** The delimiter the hub will detect: the most frequent of comma, semicolon and tab on the first line, outside quotes. */
export function detectDelimiter(head: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of head.replace(/^\uFEFF/, '')) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as Delimiter]++;
  }
  return ([';', '\t'] as Delimiter[]).reduce<Delimiter>((best, d) => (counts[d] > counts[best] ? d : best), ',');
}

/** Every record of `text` (quoted fields, doubled quotes and quoted newlines included). */
export function parseCsv(text: string, delimiter: Delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The header row of a file, read from its first 64 KiB. */
export async function readHeader(file: Blob): Promise<{ delimiter: Delimiter; columns: string[] }> {
  const head = await file.slice(0, 64 * 1024).text();
  const delimiter = detectDelimiter(head);
  const firstLine = parseCsv(head, delimiter)[0] ?? [];
  return { delimiter, columns: firstLine.map((c) => c.trim()) };
}
