/**
 * Minimal, valid one-page PDFs for the emulated PDF methods (/excerpt, /finan, /briefReport?pdf=true).
 *
 * Hand-written PDF 1.4: catalog, page tree, one page, the standard Helvetica font, one content stream of text lines,
 * an Info dictionary, a cross-reference table with exact byte offsets, and the trailer. The standard fonts have no
 * Cyrillic glyphs, so page text is transliterated to ASCII; the Info /Title keeps the original Russian name as a
 * UTF-16BE text string. The output depends only on its input (no dates, no ids), so the same company always gets the
 * same bytes.
 */

const TRANSLIT: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  '«': '"',
  '»': '"',
  '№': 'No.',
  '—': '-',
  '–': '-',
};

/** Russian text in ASCII (GOST-like); anything else outside ASCII becomes "?". */
export function transliterate(text: string): string {
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const mapped = TRANSLIT[lower];
    if (mapped !== undefined) {
      out += ch !== lower && mapped.length > 0 ? mapped[0]!.toUpperCase() + mapped.slice(1) : mapped;
    } else {
      const code = ch.codePointAt(0)!;
      out += code >= 0x20 && code < 0x7f ? ch : '?';
    }
  }
  return out;
}

/** A PDF literal string: ASCII only, with \, ( and ) escaped. */
function literal(text: string): string {
  return `(${transliterate(text).replace(/[\\()]/g, (ch) => `\\${ch}`)})`;
}

/** A PDF text string in UTF-16BE with a byte-order mark, as a hex string (keeps Cyrillic exact). */
function utf16Hex(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

export interface PdfContent {
  /** Document title (Info /Title, and the first, larger line of the page). */
  title: string;
  /** Info /Subject, e.g. the INN. */
  subject?: string;
  /** Body lines, top to bottom. */
  lines: readonly string[];
}

/** A one-page PDF: starts with "%PDF-1.4", ends with "%%EOF", with a correct xref table. */
export function renderPdf(content: PdfContent): Buffer {
  const stream = [
    'BT',
    '/F1 16 Tf',
    '50 790 Td',
    `${literal(content.title)} Tj`,
    '/F1 11 Tf',
    '0 -28 Td',
    ...content.lines.flatMap((line, i) => [...(i > 0 ? ['0 -16 Td'] : []), `${literal(line)} Tj`]),
    'ET',
  ].join('\n');
  const info = [
    `/Title ${utf16Hex(content.title)}`,
    ...(content.subject ? [`/Subject ${utf16Hex(content.subject)}`] : []),
    '/Producer (Kontur.Focus emulator)',
  ];
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    `<< ${info.join(' ')} >>`,
  ];
  // The second line is the customary binary comment (bytes ≥ 128) that marks the file as binary for transfer tools.
  let pdf = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefOffset = Buffer.byteLength(pdf, 'latin1');
  // Every xref entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, n/f, space, newline.
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xrefOffset}\n%%EOF`;
  return Buffer.from(pdf, 'latin1');
}
