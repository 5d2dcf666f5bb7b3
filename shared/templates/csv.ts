// A small RFC 4180 CSV reader for the Loghub ground-truth files (quoted fields hold commas, doubled
// quotes and line breaks). Pure code so tests, the evaluation script and the renderer can share it.

const STOP = new Set([44, 10, 13]);

/** Parses CSV text into rows of fields; accepts LF and CRLF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const len = text.length;
  while (i < len) {
    const c = text[i];
    if (c === '"' && field === '') {
      // Quoted field: read to the closing quote, turning "" into ".
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('parseCsv: unterminated quoted field');
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      // Take the unquoted run in one slice (flat strings read faster than one-char concatenations).
      let j = i + 1;
      while (j < len && !STOP.has(text.charCodeAt(j))) j++;
      field += text.slice(i, j);
      i = j;
      continue;
    }
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Rows of a CSV with a header line, as objects keyed by column name. */
export function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] ?? ''])));
}
