import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { guardYaml, type Spawned, type TestRepo } from '../helpers/git-repo.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

const read = (rel: string) => readFileSync(join(FIXTURES, rel), 'utf8');

// A real payload of each agent's stop hook (captured from the real CLIs, Cursor's from its docs),
// pointed at the test repository.
export function stopPayload(agent: string, dir: string, n: 0 | 1 = 0): Record<string, unknown> {
  const jsonl = (rel: string) => JSON.parse(read(rel).trim().split('\n')[n]);
  switch (agent) {
    case 'claude':
      return { ...jsonl('claude-code/stop-payloads.jsonl'), cwd: dir, transcript_path: join(dir, '.git', 'transcript.jsonl') };
    case 'codex':
      return { ...JSON.parse(read(n ? 'codex/stop-payload.second.json' : 'codex/stop-payload.first.json')), cwd: dir };
    case 'gemini':
      return { ...jsonl('gemini-cli/afteragent-payloads.jsonl'), cwd: dir };
    case 'cursor':
      return { ...JSON.parse(read('cursor-stop.json')), workspace_roots: [dir], loop_count: n };
    case 'copilot':
      return { ...jsonl('copilot/agentstop-payloads.jsonl'), cwd: dir, transcriptPath: join(dir, '.git', 'copilot-events.jsonl') };
    case 'qwen':
      return { ...jsonl('qwen/stop-payloads.jsonl'), cwd: dir, transcript_path: join(dir, '.git', 'qwen-chat.jsonl') };
    default:
      throw new Error(agent);
  }
}

// Puts the captured Claude Code transcript where the Claude payload points.
export function installTranscript(repo: TestRepo): void {
  copyFileSync(join(FIXTURES, 'claude-code/transcript.jsonl'), join(repo.dir, '.git', 'transcript.jsonl'));
}

// A repository with a committed config whose stop guard rejects any TODO under src/.
export function todoRepo(repo: TestRepo, extra = ''): void {
  repo.installPackage();
  repo.config(`guards:\n${guardYaml('no-todo', '! grep -rn TODO src', '    layer: lint\n')}${extra}`);
  repo.write('src/a.js', 'export const a = 1;\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'init');
}

// Runs an agent hook through the built CLI, as the agent would: payload on stdin.
export function hook(repo: TestRepo, agent: string, payload: unknown, opts: { hook?: string; env?: Record<string, string | undefined> } = {}): Promise<Spawned> {
  const input = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return repo.cli(['run', '--hook', opts.hook ?? 'stop', '--agent', agent], { input, env: opts.env });
}

// Every record in ℛ, oldest first.
export function records(repo: TestRepo): Array<Record<string, any>> {
  const list = repo.git('notes', '--ref=guardloop', 'list');
  if (!list) return [];
  return list
    .split('\n')
    .flatMap((l) => repo.git('notes', '--ref=guardloop', 'show', l.split(' ')[1]).split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .sort((a, b) => a.ts.localeCompare(b.ts));
}

// The turn starts (Claude Code's UserPromptSubmit, the captured session): its HEAD becomes the base the
// agent can't move, so an agent's run is judged against it (not against an unverified HEAD).
export async function turnStart(repo: TestRepo): Promise<void> {
  const payload = { session_id: '4e994f1e-48f4-4ade-b0e5-8e5f5bea14d2', transcript_path: `${repo.dir}/.git/transcript.jsonl`, cwd: repo.dir, hook_event_name: 'UserPromptSubmit', prompt: 'Add a feature.' };
  const res = await hook(repo, 'claude', payload, { hook: 'turn-start' });
  if (res.code !== 0) throw new Error(`turn-start failed: ${res.stderr}`);
}
