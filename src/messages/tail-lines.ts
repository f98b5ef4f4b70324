// The last `lines` lines of a text (what the terminal and an agent are shown of a failure).
export function tailLines(text: string, lines: number): string {
  const all = text.replace(/\s+$/, '').split('\n');
  return all.length <= lines ? all.join('\n') : all.slice(-lines).join('\n');
}
