/**
 * HTML built by a tagged template that escapes every interpolated value unless it is already
 * `SafeHtml`. Pages never concatenate strings into markup by hand, so a document title, an
 * author name or a JSON value can never become markup.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** Interpolated value: text is escaped, SafeHtml kept, arrays joined, null/undefined/false dropped. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join('');
  return escapeHtml(String(value));
}

/**
 * @example
 *   html`<p>${userText}</p>`            // userText is escaped
 *   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? '');
  }
  return new SafeHtml(out);
}

/** Marks markup the caller built safely (e.g. a constant) as HTML. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** `attr(cond, 'checked')` → ` checked` or nothing, for boolean attributes. */
export function attr(condition: boolean, name: string): SafeHtml {
  return new SafeHtml(condition ? ` ${name}` : '');
}
