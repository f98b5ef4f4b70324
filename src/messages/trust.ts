// Wording of `guardloop status` about agent trust: why an agent will skip the hooks `init --agent`
// installed, and what a person does so it runs them (src/agents/trust.ts finds out which).

// Shown under codex when $CODEX_HOME/config.toml does not trust the project: Codex then ignores .codex/.
export function codexProjectUntrusted(file: string): string {
  return `the project is not trusted in Codex (${file}), so Codex ignores .codex/ and skips the hooks silently: open Codex here, trust the project, then review and trust the guardloop hooks (/hooks)`;
}

// Shown under codex when guardloop's hooks (by event) are not trusted at their current hash.
export function codexHooksUntrusted(events: string[]): string {
  const many = events.length > 1;
  return `the guardloop hook${many ? 's' : ''} (${events.join(', ')}) ${many ? 'are' : 'is'} not trusted in Codex, or changed since it was trusted, so Codex skips ${many ? 'them' : 'it'} silently: open Codex here and review and trust ${many ? 'them' : 'it'} (/hooks)`;
}

// Shown under codex when $CODEX_HOME/config.toml is not valid TOML (Codex refuses to load it too).
export function codexConfigInvalid(file: string, line: number, column: number, reason: string): string {
  return `${file}:${line}:${column} is not valid TOML (${reason}), so neither Codex nor guardloop can read which projects and hooks it trusts: fix line ${line} of ${file}, then open Codex here and trust the project and the guardloop hooks (/hooks)`;
}

// Shown under gemini when the folder is not trusted (doNotTrust: its trustedFolders.json rule says DO_NOT_TRUST).
export function geminiFolderUntrusted(file: string, doNotTrust: boolean): string {
  const why = doNotTrust ? 'is marked "do not trust"' : 'is not trusted yet';
  return `this folder ${why} in Gemini CLI (${file}): it drops the project's hooks (and \`gemini -p\` exits) until you trust the folder in Gemini CLI (or run it with GEMINI_CLI_TRUST_WORKSPACE=true)`;
}
