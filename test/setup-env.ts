// Tests may run inside a git hook (guardloop guards its own commits), where git exports variables
// such as GIT_INDEX_FILE and GIT_AUTHOR_NAME. In-process code under test reads process.env, so each
// test worker starts without them, as a developer's shell would.
for (const key of Object.keys(process.env)) {
  if (/^(GIT_|GUARDLOOP|HUSKY|CLAUDE|CODEX|CURSOR|GEMINI|COPILOT)/.test(key) && !/^GIT_SSL_/.test(key)) delete process.env[key];
}
