import { hookErrorLine, openChainsLine, RECENT_HOOK_ERRORS, statusHeader, statusLine, unrecordedHeader, unrecordedLine } from '../messages/agents.js';
import {
  binaryLine,
  fetchLine,
  flakyHeading,
  flakyLine,
  gitHookLine,
  gitHooksHeading,
  mergeStrategyLine,
  NO_PROBLEMS,
  onPushLine,
  problemLine,
  problemsHeading,
  SETTINGS_HEADING,
} from '../messages/status.js';
import type { StatusReport } from './status.js';

// `guardloop status` for people: the agents, the git hooks of this worktree, ℛ's settings, the flaky
// guards, then the open bypass routes with their fixes (the JSON form holds the same facts). In husky
// mode a hook's line names husky's stub and the .husky/<hook> file it runs (the one to edit).
export function statusText(r: StatusReport): string {
  const lines = [statusHeader(r.root), ...r.agents.map((a) => statusLine(a.agent, a))];
  lines.push(gitHooksHeading(r.git.path, r.git.configured), ...r.git.hooks.map((h) => gitHookLine(h.name, { ...h, file: h.source === h.file ? h.file : `${h.file} → ${h.source}` })), binaryLine(r.git.binary.path, r.git.binary.where));
  lines.push(SETTINGS_HEADING, mergeStrategyLine(r.notes.mergeStrategy), fetchLine(r.sync.fetch), onPushLine(r.sync.onPush));
  lines.push(openChainsLine(r.openChains));
  lines.push(flakyHeading(r.flaky), ...r.flaky.guards.map(flakyLine));
  if (r.unrecorded.length) lines.push(unrecordedHeader(r.unrecorded.length), ...r.unrecorded.map(unrecordedLine));
  if (r.errors.length) lines.push(RECENT_HOOK_ERRORS, ...r.errors.map(hookErrorLine));
  lines.push(...(r.problems.length ? [problemsHeading(r.problems.length), ...r.problems.map((p) => problemLine(p.message))] : [NO_PROBLEMS]));
  return lines.join('\n');
}
