import type { Command } from '../command.js';

// The subcommands, loaded lazily so a hook only pays for the one it runs.
export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  run: { summary: 'Run the guards on the candidate and record the verdict', load: async () => (await import('./run.js')).default },
  init: { summary: 'Install the hooks and a starter .loop/config.yaml', load: async () => (await import('./init.js')).default },
  log: { summary: 'List the records in ℛ, newest first', load: async () => (await import('./log.js')).default },
  show: { summary: 'Show the records of a record id or a revision', load: async () => (await import('./show.js')).default },
  sync: { summary: 'Fetch, merge (union by record id) and push ℛ with a remote', load: async () => (await import('./sync.js')).default },
  approve: { summary: "Approve an agent's change to protected paths (after showing it)", load: async () => (await import('./approve.js')).default },
  status: { summary: 'Which agent hooks are installed; open chains; recent hook errors', load: async () => (await import('./status.js')).default },
  audit: { summary: 'Which commits have no ACCEPTED record for their tree, and why', load: async () => (await import('./audit.js')).default },
  verify: { summary: "Re-run a commit's own guards in a clean checkout and compare with its records", load: async () => (await import('./verify.js')).default },
  ci: { summary: 'Audit and verify for CI: commits with no trustworthy verdict are judged there', load: async () => (await import('./ci.js')).default },
  check: { summary: 'A built-in check on the candidate diff (the ready-made guards call it)', load: async () => (await import('./check.js')).default },
  install: { summary: "Point git at the committed hooks folder (the package's prepare script)", load: async () => (await import('./install.js')).default },
  extract: { summary: 'Export chains of ℛ as training data (JSONL: prompt-completion, messages, dpo, kto, alpaca, raw)', load: async () => (await import('./extract.js')).default },
  stats: { summary: 'Acceptance, retries, rejections per guard, layer, source and agent, and their weekly trend', load: async () => (await import('./stats.js')).default },
  constraints: { summary: 'The constraint log: when each guard came in, what it caught, whether it pays rent', load: async () => (await import('./constraints.js')).default },
  health: { summary: 'Loop health: constraints per week, recurrence, retries; exit 1 on a warning sign', load: async () => (await import('./health.js')).default },
  report: { summary: 'One self-contained HTML report of ℛ: charts, the constraint log, escalated chains', load: async () => (await import('./report.js')).default },
  demo: { summary: 'Play the whole loop in a throwaway repository: an agent blocked twice, then accepted', load: async () => (await import('./demo.js')).default },
  doctor: { summary: 'Check ℛ: unreadable notes, stale locks, pending journal, sync config', load: async () => (await import('./doctor.js')).default },
};
