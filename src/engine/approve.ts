import { configHash } from '../config/config-hash.js';
import type { Config } from '../config/schema.js';
import { ApproveFromAgentError } from '../errors/approve-from-agent-error.js';
import { dropIndex, treeOf, worktreeCandidate } from '../git/candidate.js';
import { git, gitRaw } from '../git/git.js';
import { discoverRepo, type RepoInfo } from '../git/repo.js';
import { finishRecord, type RecordV1 } from '../store/record.js';
import { openRepository } from '../store/repository.js';
import { VERSION } from '../version.js';
import { trustedBaseline } from './baseline.js';
import { loadCommittedConfig } from '../config/committed.js';
import { protectedChanges, type ProtectedChange } from './protect.js';
import { detectAgent } from './source.js';

// What a person is asked to approve: the protected paths the working tree changes against HEAD.
export interface ApprovalPlan {
  repo: RepoInfo;
  config: Config;
  tree: string;
  changes: ProtectedChange[];
  // The protected part of the diff (HEAD → working tree).
  diff: string;
}

// Builds the working tree as a tree (as an agent's stop sees it) and finds its protected changes.
export async function planApproval(opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ApprovalPlan> {
  const agent = detectAgent(opts.env ?? process.env);
  if (agent) throw new ApproveFromAgentError(agent);
  const repo = await discoverRepo(opts.cwd ?? process.cwd());
  // Against the base an agent's stop is judged from: commits an agent made unchecked are included.
  const repository = await openRepository({ cwd: repo.root, dirs: repo });
  const baseline = await trustedBaseline(repo, repository, { agent: null, session: null }).finally(() => repository.close());
  const { config } = await loadCommittedConfig(repo, baseline.commit);
  const { tree, indexFile } = await worktreeCandidate(repo, undefined);
  try {
    const changes = await protectedChanges(repo, config, tree, baseline.commit);
    const base = await treeOf(repo, baseline.commit);
    const diff = changes.length ? (await gitRaw(['diff', '--no-color', '--no-ext-diff', '--src-prefix=a/', '--dst-prefix=b/', base, tree, '--', ...changes.map((c) => c.path)], { cwd: repo.root })).stdout.toString('utf8') : '';
    return { repo, config, tree, changes, diff };
  } finally {
    await dropIndex(indexFile);
  }
}

// Writes the HUMAN approval record for a plan: an agent candidate with exactly these protected
// contents passes the protected-path check.
export async function writeApproval(plan: ApprovalPlan): Promise<RecordV1> {
  const name = await git(['config', '--get', 'user.name'], { cwd: plan.repo.root, okCodes: [1] }).catch(() => '');
  const email = await git(['config', '--get', 'user.email'], { cwd: plan.repo.root, okCodes: [1] }).catch(() => '');
  const by = [name, email && `<${email}>`].filter(Boolean).join(' ') || process.env.USER || 'unknown';
  const paths = plan.changes.map((c) => c.path);
  const { record } = finishRecord({
    v: 1,
    ts: new Date().toISOString(),
    hook: 'manual',
    source: 'HUMAN',
    agent: null,
    session: null,
    base: plan.repo.head,
    tree: plan.tree,
    status: 'ACCEPTED',
    reward: 1,
    spec: { configHash: configHash(plan.config), guardSetHash: 'approval', guards: [], task: `approve protected paths: ${paths.join(', ')}` },
    artifact: { diff: plan.diff, files: paths, truncated: false },
    verdicts: [{ guard: 'approval', status: 'pass', exit: 0, ms: 0, feedback: `approved by ${by}: ${paths.join(', ')}` }],
    history: [],
    provenance: [],
    retry: 0,
    approval: { by, paths: plan.changes },
    tool: { name: 'guardloop', version: VERSION },
  });
  const repository = await openRepository({ cwd: plan.repo.root });
  try {
    await repository.append([record]);
  } finally {
    await repository.close();
  }
  return record;
}
