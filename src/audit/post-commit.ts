// The post-commit hook's check: a commit whose tree has no ACCEPTED record was not judged by any
// guard (`--no-verify`, GUARDLOOP=0, hooks not run), so a SKIPPED record goes into the note of its
// tree, saying how and by whom, and one line tells the person. git runs post-commit even under
// `--no-verify`; it can't undo the commit, so this never fails it.
import { configHash } from '../config/config-hash.js';
import { loadConfig } from '../config/load.js';
import { diffTrees } from '../git/candidate.js';
import { emptyTree, git } from '../git/git.js';
import { discoverRepo } from '../git/repo.js';
import { detectAgent } from '../engine/source.js';
import { recordOrigin } from '../store/identity.js';
import { finishRecord, RECORD_VERSION, type RecordDraft, type RecordV1 } from '../store/record.js';
import type { SkipHow } from '../store/record-values.js';
import { redactDraft } from '../store/redact.js';
import { openRepository } from '../store/repository.js';
import { VERSION } from '../version.js';
import { clearAccepted } from './accepted-marker.js';

// What the check found: nothing to say (the tree is ACCEPTED), or the skip and whether ℛ took it.
export interface PostCommitResult {
  commit: string | null;
  skip: { how: SkipHow; record: RecordV1; recorded: boolean } | null;
}

// How the guards were skipped, where the environment tells.
export function skipHow(env: NodeJS.ProcessEnv): SkipHow {
  return env.GUARDLOOP === '0' ? 'GUARDLOOP=0' : 'no-pre-commit';
}

// Looks up the new HEAD's tree in ℛ and notes a SKIPPED record when no ACCEPTED one is there.
export async function checkCommitted(opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<PostCommitResult> {
  const env = opts.env ?? process.env;
  const repo = await discoverRepo(opts.cwd, env);
  clearAccepted(repo.gitDir);
  if (!repo.head) return { commit: null, skip: null };
  const [tree, parents] = (await git(['log', '-1', '--format=%T%x00%P', repo.head], { cwd: repo.root })).split('\0');
  const parent = parents.split(' ').filter(Boolean)[0] ?? null;
  const repository = await openRepository({ cwd: repo.root, dirs: repo });
  try {
    if ((await repository.byTree(tree)).some((r) => r.status === 'ACCEPTED')) return { commit: repo.head, skip: null };
    const how = skipHow(env);
    const record = await skipRecord({ repo, env, tree, parent, commit: repo.head, how });
    let recorded = true;
    await repository.append([record], { prepared: true }).catch(() => (recorded = false));
    return { commit: repo.head, skip: { how, record, recorded } };
  } finally {
    await repository.close();
  }
}

interface SkipInput {
  repo: Awaited<ReturnType<typeof discoverRepo>>;
  env: NodeJS.ProcessEnv;
  tree: string;
  parent: string | null;
  commit: string;
  how: SkipHow;
}

// The SKIPPED record: the commit's change, the pre-commit guards that should have judged it (from
// the working config, when it loads), who committed, never a reward.
async function skipRecord({ repo, env, tree, parent, commit, how }: SkipInput): Promise<RecordV1> {
  const config = (await loadConfig({ root: repo.root }).catch(() => null))?.config ?? null;
  const from = parent ? await git(['rev-parse', `${parent}^{tree}`], { cwd: repo.root }) : emptyTree(repo);
  const change = await diffTrees(repo, { from, to: tree, limit: config?.limits.diff ?? 1_048_576 });
  const agent = detectAgent(env);
  const guards = (config?.guards ?? []).filter((g) => g.on.includes('pre-commit'));
  const draft: RecordDraft = {
    v: RECORD_VERSION,
    ts: new Date().toISOString(),
    hook: 'post-commit',
    source: agent ? 'GENERATOR' : 'HUMAN',
    agent,
    session: null,
    base: parent,
    tree,
    status: 'SKIPPED',
    reward: 0,
    spec: { configHash: config ? configHash(config) : '', guardSetHash: '', guards: guards.map((g) => ({ id: g.id, invariant: g.invariant, layer: g.layer, run: g.run })), task: null },
    artifact: { diff: change.diff, files: change.paths, truncated: change.truncated },
    verdicts: [],
    history: [],
    provenance: [],
    retry: 0,
    skip: { how, commit },
    tool: { name: 'guardloop', version: VERSION },
    ...recordOrigin(),
  };
  return finishRecord(redactDraft(draft, (config?.redact ?? []).map((p) => new RegExp(p, 'g')))).record;
}
