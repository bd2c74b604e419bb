import { describe, expect, it } from 'vitest';
import { PartHeaders } from '../src/http/uploads.js';

// The part-header check of multipart uploads (src/http/uploads.ts) as a pure function: the same
// verdict however the body is cut into chunks.

const body = (parts: string[], boundary = 'xyz') =>
  `preamble\r\n${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\nepilogue`;

function verdict(text: string, chunkSize: number): string | null {
  const check = new PartHeaders('xyz');
  const bytes = Buffer.from(text, 'latin1');
  for (let at = 0; at < bytes.length; at += chunkSize) {
    const problem = check.push(bytes.subarray(at, at + chunkSize));
    if (problem) return problem;
  }
  return null;
}

const SIZES = [1, 2, 3, 7, 16, 64, 1024, 1_000_000];

describe('multipart part headers (RFC 7578)', () => {
  it('form-data parts pass, with or without a file, empty ones and odd spacing included', () => {
    const text = body([
      'Content-Disposition: form-data; name="operations"\r\n\r\n{"query":"{__typename}"}',
      'content-disposition:FORM-DATA;name=map\r\n\r\n{}',
      'Content-Type: application/pdf\r\nContent-Disposition: form-data; name="0"; filename="a.pdf"\r\n\r\n%PDF\r\n--xy',
      'Content-Disposition: form-data; name="empty"\r\n\r\n',
    ]);
    for (const size of SIZES) expect(verdict(text, size), `chunks of ${size}`).toBeNull();
  });

  it.each([
    [
      'no Content-Disposition',
      'Content-Dispositio: form-data; name="x"\r\n\r\nvalue',
      'has no Content-Disposition header',
    ],
    ['no header at all', '\r\nvalue', 'has no Content-Disposition header'],
    [
      'another disposition type',
      'Content-Disposition: attachment; name="x"\r\n\r\nvalue',
      'is not Content-Disposition: form-data',
    ],
    ['a bare line break', 'Content-Disposition: form-data; name="a\nb"\r\n\r\nvalue', 'has a bare line break'],
  ])('a part with %s is refused, however the body is cut', (_what, bad, problem) => {
    const text = body(['Content-Disposition: form-data; name="ok"\r\n\r\nfirst', bad]);
    for (const size of SIZES) expect(verdict(text, size), `chunks of ${size}`).toMatch(`Multipart part 2 ${problem}`);
  });

  it('what follows the close delimiter is not looked at', () => {
    expect(
      verdict(`${body(['Content-Disposition: form-data; name="a"\r\n\r\n1'])}\r\n--xyz\r\nX: y\r\n\r\n`, 5),
    ).toBeNull();
  });
});
