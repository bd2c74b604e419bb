// Content types are metadata a client declares: kept only in the plain form a response header can carry.
const PLAIN_CONTENT_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(;[\x20-\x7e]*)?$/;

/** Whether `type` (already lower case and trimmed) is a plain `type/subtype[; params]` of printable ASCII. */
export function isContentType(type: string): boolean {
  return type.length <= 255 && PLAIN_CONTENT_TYPE.test(type);
}

/** The content type as metadata: a plain `type/subtype[; params]`, otherwise octet-stream. */
export function normalizeContentType(type: string): string {
  const value = type.trim().toLowerCase();
  return isContentType(value) ? value : 'application/octet-stream';
}
