// The scripted model every mock plays, whatever the API: the first turn writes a file that breaks the
// guard and finishes; when guardloop's block reason reaches it, it writes the fix and finishes.

// The opening of every reason guardloop sends (src/messages/agents.ts REASON_PREFIX): how the mock
// knows the stop hook's feedback reached the model.
export const REASON_MARK = 'guardloop rejected this change';

export interface ModelScript {
  prompt: string;
  // Repository-relative path the model writes.
  file: string;
  bad: string;
  fixed: string;
}

export const TODO_SCRIPT: ModelScript = {
  prompt: 'Create src/a.js exporting a constant a.',
  file: 'src/a.js',
  bad: 'export const a = 1; // TODO: remove me\n',
  fixed: 'export const a = 1;\n',
};

// What is new in a request since the model's last answer, in protocol-neutral terms.
export interface Turn {
  // The request offers tools (side requests such as titles or checks don't).
  hasTools: boolean;
  // The new part carries a tool's result.
  toolResult: boolean;
  // The new part carries guardloop's reason.
  reason: boolean;
  // How many of the model's earlier answers wrote a file (so the text can say what it did).
  writes: number;
  // How many times guardloop's reason appears in the whole request (the attempt being answered).
  reasons: number;
}

export type Action = { kind: 'write'; path: string; content: string } | { kind: 'text'; text: string };

export function decide(script: ModelScript, turn: Turn): Action {
  if (!turn.hasTools) return { kind: 'text', text: 'ok' };
  // A model that keeps being told writes the fix again, as a new version (some edit tools refuse a no-op).
  if (turn.reason) return { kind: 'write', path: script.file, content: turn.reasons > 1 ? `${script.fixed}// attempt ${turn.reasons}\n` : script.fixed };
  if (turn.toolResult) return { kind: 'text', text: turn.writes > 1 ? `Fixed ${script.file}.` : `Created ${script.file}.` };
  return { kind: 'write', path: script.file, content: script.bad };
}

// One line for a request's log: what the mock decided.
export function describeAction(a: Action): string {
  return a.kind === 'write' ? `write ${a.path} (${JSON.stringify(a.content.trim())})` : `text ${JSON.stringify(a.text)}`;
}
