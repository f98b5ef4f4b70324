import { resolveCommits, subjectsOf, verifyCommit, verifyCounts, verifyExitCode, verifySource, type VerifyItem } from '../../audit/verify.js';
import { discoverRepo } from '../../git/repo.js';
import { unknownRevision, verifySummary } from '../../messages/verify.js';
import type { Command } from '../command.js';
import { withSignals } from '../signals.js';
import { printItem } from '../verify-output.js';

// `guardloop verify [REV…]`: re-run each commit's own guards in a clean checkout and compare.
const command: Command = {
  name: 'verify',
  summary: "Re-run a commit's own guards in a clean checkout and compare with its records",
  usage: 'guardloop verify [REV…] [--json]   (REV: a commit or a range A..B; default HEAD. Exit 0 all ACCEPTED, 1 any REJECTED, 4 a recorded ACCEPTED did not reproduce)',
  positionals: true,
  options: {
    json: { type: 'boolean', description: 'One JSON object per commit on stdout (commit, status, outcome, record id)' },
  },
  async run(ctx) {
    const repo = await discoverRepo(ctx.cwd, ctx.env);
    const revs = ctx.positionals.length ? ctx.positionals : ['HEAD'];
    const found = await resolveCommits(repo, revs);
    if ('bad' in found) {
      ctx.stderr.write(`${unknownRevision(found.bad)}\n`);
      return 2;
    }
    const subjects = await subjectsOf(repo, found.commits);
    const source = verifySource(ctx.env);
    const items = await withSignals(async (signal) => {
      const out: VerifyItem[] = [];
      for (const commit of found.commits) {
        const item = await verifyCommit(commit, { repo, subject: subjects.get(commit) ?? '', env: ctx.env, source, signal });
        printItem(ctx, item);
        out.push(item);
      }
      return out;
    });
    ctx.stderr.write(`${verifySummary('verify', verifyCounts(items))}\n`);
    return verifyExitCode(items);
  },
};

export default command;
