import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordV1 } from '../store/record.js';

// A verdict that could not be written to ℛ (a stuck lock, a full disk): what `status` reports.
export interface UnrecordedVerdict {
  ts: string;
  id: string;
  tree: string;
  status: RecordV1['status'];
  error: string;
}

const file = (commonDir: string) => join(commonDir, 'guardloop', 'unrecorded.jsonl');

// Notes a verdict that did not reach ℛ, so `guardloop status` can say so later (best effort).
export async function noteUnrecorded(commonDir: string, entry: UnrecordedVerdict): Promise<void> {
  await mkdir(join(commonDir, 'guardloop'), { recursive: true });
  await appendFile(file(commonDir), `${JSON.stringify(entry)}\n`);
}

// The verdicts noted as unrecorded, newest last (the caller checks which ℛ has since received).
export async function readUnrecorded(commonDir: string, max = 50): Promise<UnrecordedVerdict[]> {
  const text = await readFile(file(commonDir), 'utf8').catch(() => '');
  const out: UnrecordedVerdict[] = [];
  for (const line of text.split('\n').slice(-max - 1)) {
    try {
      if (line.trim()) out.push(JSON.parse(line) as UnrecordedVerdict);
    } catch {
      // A torn line from a killed writer.
    }
  }
  return out;
}
