/**
 * A commit hash can be all digits: about 3 % of 7-character prefixes are, so a ref such as
 * "1234567" is both a possible version number and a possible commit prefix. A string of 7 or
 * more digits names the version with that number when the document has one, and otherwise the
 * commit it prefixes, in the SDK (embedded and remote), over HTTP and in the CLI's parsing.
 * (This once failed the CLI suite at random: `verso show … <8 digits>` said not_found.)
 */
import { expect } from 'chai';
import { parseRef } from '../../../lib/cli/options.js';
import { databaseTargets } from '../../helpers/databases.js';
import { openStack, type Stack } from '../../helpers/stack.js';

const DIGITS = /^[1-9][0-9]{6}/;

for (const target of databaseTargets()) {
  describe(`refs of digits only on ${target}`, function () {
    this.timeout(120_000);
    let stack: Stack;
    let commit = '';
    let number = 0;

    before(async () => {
      stack = await openStack(target);
      await stack.embedded.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
      const doc = stack.embedded.site('acme').doc('page', 'home');
      // Save until a commit's first seven characters are digits (p ≈ 0.034 a save: 600 tries
      // miss with odds of one in a billion).
      for (let i = 1; i <= 600 && !commit; i++) {
        const v = await doc.save({ content: { n: i } });
        if (DIGITS.test(v.commit)) [commit, number] = [v.commit, v.number];
      }
      expect(commit, 'a commit whose prefix is all digits').to.match(DIGITS);
    });
    after(() => stack?.cleanup());

    it('finds the commit by its digit prefix, embedded, remote and over HTTP', async () => {
      const prefix = commit.slice(0, 7);
      for (const store of [stack.embedded, stack.remote]) {
        const v = await store.site('acme').doc('page', 'home').show(prefix);
        expect([v.commit, v.number, v.content]).to.deep.equal([commit, number, { n: number }]);
      }
      const res = await stack.http('GET', `/v1/sites/acme/docs/page/home/en/versions/${prefix}`);
      expect([res.status, res.body?.commit]).to.deep.equal([200, commit]);
    });

    it('still reads a digit string as a version number first, and the CLI keeps 7+ digits a string', async () => {
      const doc = stack.embedded.site('acme').doc('page', 'home');
      expect((await doc.show('1')).number).to.equal(1);
      expect((await doc.show(String(number))).number).to.equal(number);
      const err = await doc.show('9999999').then(() => undefined, (e: { code: string }) => e.code);
      expect(err).to.equal('not_found');
      expect([parseRef('12'), parseRef('1234567'), parseRef(commit.slice(0, 8))]).to.deep.equal([12, '1234567', commit.slice(0, 8)]);
    });
  });
}
