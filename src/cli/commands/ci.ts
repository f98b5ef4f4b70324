import { ci, type CiItem } from '../../audit/ci.js';
import { verifyCounts, verifyExitCode, type VerifyItem } from '../../audit/verify.js';
import { ciHeader, ciNothing, mergeSkippedLine, trustedLine, unknownRevision, verifySummary } from '../../messages/verify.js';
import type { Command } from '../command.js';
import { withSignals } from '../signals.js';
import { printItem } from '../verify-output.js';

// `guardloop ci [RANGE]`: audit the range, verify the commits no ACCEPTED record vouches for.
const command: Command = {
  name: 'ci',
  summary: 'Audit and verify for CI: commits with no trustworthy verdict are judged there',
  usage:
    'guardloop ci [RANGE] [--verify-all] [--json]   (RANGE: A..B; default: the commits not on the upstream, else not on origin/HEAD, else the current branch; a base of all zeros (a new branch), or an upstream that is the tip itself: the commits on no other remote-tracking ref. Exit 0 ok, 1 any REJECTED, 4 a recorded ACCEPTED did not reproduce)',
  positionals: true,
  options: {
    'verify-all': { type: 'boolean', description: 'Re-run the guards of commits that already have an ACCEPTED record too (trust no local record)' },
    json: { type: 'boolean', description: 'One JSON object per commit on stdout' },
  },
  async run(ctx) {
    const say = (line: string) => ctx.stderr.write(`${line}\n`);
    const out = await withSignals((signal) =>
      ci({
        cwd: ctx.cwd,
        range: ctx.positionals[0] || undefined,
        verifyAll: Boolean(ctx.values['verify-all']),
        env: ctx.env,
        signal,
        onStart: (range, count) => say(count ? ciHeader(range, count) : ciNothing(range)),
        onItem: (item: CiItem) => {
          if (item.kind === 'trusted' || item.kind === 'merge-skipped') {
            if (ctx.values.json) ctx.stdout.write(`${JSON.stringify({ commit: item.commit, subject: item.subject, status: item.kind === 'trusted' ? 'ACCEPTED' : null, outcome: item.kind, record: item.kind === 'trusted' ? item.record.id : null })}\n`);
            else ctx.stdout.write(`${item.kind === 'trusted' ? trustedLine(item.commit, item.subject, item.record) : mergeSkippedLine(item.commit, item.subject)}\n`);
          } else printItem(ctx, item);
        },
      }),
    );
    if ('bad' in out) {
      say(unknownRevision(out.bad));
      return 2;
    }
    const verified = out.items.filter((i): i is VerifyItem => i.kind !== 'trusted' && i.kind !== 'merge-skipped');
    const counts = verifyCounts(verified);
    const trusted = out.items.filter((i) => i.kind === 'trusted').length;
    const skipped = counts.skipped + out.items.filter((i) => i.kind === 'merge-skipped').length;
    if (out.items.length) say(verifySummary('ci', { ...counts, skipped, trusted }));
    return verifyExitCode(verified);
  },
};

export default command;
