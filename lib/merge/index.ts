/** The merge driver of each document format. */
import type { Format } from '../types.js';
import { mergeJson } from './json.js';
import { mergeMarkdown } from './markdown.js';
import { mergeText } from './text.js';
import type { DriverInput, DriverResult } from './types.js';

export type { DriverConflict, DriverInput, DriverResult, Resolver, Settlement } from './types.js';
export { mergeJson, mergeMarkdown, mergeText };

/** Three-way merge of a document's content (a JSON value, or a string for markdown and text). */
export function mergeContent(format: Format, input: DriverInput<unknown>): DriverResult<unknown> {
  if (format === 'json') return mergeJson(input);
  const asText = input as DriverInput<string>;
  return format === 'markdown' ? mergeMarkdown(asText) : mergeText(asText);
}
