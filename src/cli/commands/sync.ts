import { openRepository } from '../../store/repository.js';
import { defaultRemote, sync } from '../../store/sync.js';
import { GuardloopError } from '../../errors/guardloop-error.js';
import { NO_REMOTE, syncDone } from '../../messages/store.js';
import type { Command } from '../command.js';

// `guardloop sync [remote]`: share ℛ with a remote (fetch, union by record id, push without force).
const command: Command = {
  name: 'sync',
  summary: 'Fetch, merge (union by record id) and push ℛ with a remote',
  usage: 'guardloop sync [remote] [--json]',
  positionals: true,
  options: {
    json: { type: 'boolean', description: 'Print the result as JSON on stdout' },
  },
  async run(ctx) {
    const remote = ctx.positionals[0] ?? (await defaultRemote(ctx.cwd));
    if (!remote) {
      ctx.stderr.write(`${NO_REMOTE}\n`);
      return 2;
    }
    const repo = await openRepository({ cwd: ctx.cwd });
    try {
      const result = await sync(repo, remote);
      if (ctx.values.json) ctx.stdout.write(`${JSON.stringify(result)}\n`);
      else ctx.stderr.write(`${syncDone(result.remote, result.fetched, result.merged, result.pushed)}\n`);
      return 0;
    } catch (e) {
      if (e instanceof GuardloopError) {
        ctx.stderr.write(`${e.message}\n`);
        return e.exitCode;
      }
      throw e;
    } finally {
      await repo.close();
    }
  },
};

export default command;
