/** `verso gc [SITE]`: pack loose objects and roll up the per-save packs now (automatic maintenance does it in the background). */
import { Command } from 'commander';
import { printerFor, type CliContext } from '../context.js';
import { withEmbeddedStore } from '../store.js';

export function registerGc(program: Command, ctx: CliContext): void {
  program
    .command('gc')
    .description('pack the Git objects of a site (or every site) into one pack now: loose objects and the small packs saves write; also done automatically')
    .argument('[site]', 'site id (default: every site)')
    .addHelpText('after', '\nExamples:\n  verso gc\n  verso gc acme --json')
    .action(async (site: string | undefined, _opts: object, cmd: Command) => {
      const report = await withEmbeddedStore(cmd, 'gc', (store) => store.gc(site ? { site } : {}));
      const out = printerFor(ctx, cmd);
      out.result(report, () => {
        if (report.sites.length === 0) out.line('no sites');
        for (const s of report.sites) out.line(`${s.site}: packed ${s.packed} objects, ${s.loose} left loose`);
      });
    });
}
