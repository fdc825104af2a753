// Cursor positions between the protocol and JavaScript strings: Jupyter counts code points (messaging 5.2 on),
// JavaScript strings UTF-16 units, which differ after every character outside the BMP (an emoji is one and two).

/** The UTF-16 index of code point `position` in `text` (its end where the text is shorter). */
export function utf16Index(text: string, position: number): number {
  let index = 0;
  for (let seen = 0; seen < position && index < text.length; seen++) index += (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
  return index;
}

/** The code point position of UTF-16 index `index` in `text`. */
export function codePointPosition(text: string, index: number): number {
  let position = 0;
  for (let at = 0; at < index && at < text.length; position++) at += (text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1;
  return position;
}
