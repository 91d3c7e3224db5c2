/** What every command is registered with: the effects it may use and the status to exit with. */
import type { Command } from 'commander';
import type { Io } from './io.js';
import { globalsOf } from './options.js';
import { columns, palette, printJson, printLine, useColor, type Palette } from './output.js';

export interface CliContext {
  io: Io;
  /** Exit status after a command that finished without throwing (fsck with issues left: 1). */
  exitCode: number;
}

/** The output helpers a command's action uses, bound to its --json choice. */
export interface Printer {
  json: boolean;
  color: Palette;
  /** Prints `value` as the one JSON document when --json was given; otherwise calls `text`. */
  result(value: unknown, text: () => void): void;
  line(text?: string): void;
  /** Aligned columns with a dim header row. */
  table(header: string[], rows: string[][], opts?: { right?: number[] }): void;
}

export function printerFor(ctx: CliContext, cmd: Command): Printer {
  const json = globalsOf(cmd).json === true;
  const color = palette(useColor(ctx.io));
  return {
    json,
    color,
    result(value, text) {
      if (json) printJson(ctx.io, value);
      else text();
    },
    line(text = '') {
      printLine(ctx.io, text);
    },
    table(header, rows, opts) {
      const lines = columns([header, ...rows], opts);
      lines.forEach((l, i) => printLine(ctx.io, i === 0 ? color.dim(l) : l));
    },
  };
}
