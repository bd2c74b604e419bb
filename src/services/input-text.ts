// Text a client sends as names and ids: checks the backends share.

/** True when the text has a C0 control character or DEL (never wanted in a name or an id). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
