import { TreeMissingError } from '../../errors/tree-missing-error.js';
import { binaryFile, diffTruncated, FILE_DELETED, fileHeader, NO_CHANGE } from '../../messages/learn.js';
import type { RecordV1 } from '../../store/record.js';
import type { ReadTreeFiles } from '../tree-files.js';

// What an assistant turn holds: an attempt's change, as the diff its record holds (`diff`) or as the
// changed files' full content after the change, read from the record's tree (`files`).
export type ArtifactMode = 'diff' | 'files';

function diffArtifact(record: RecordV1): string {
  const diff = record.artifact.diff;
  if (!diff.trim()) return NO_CHANGE;
  if (!record.artifact.truncated) return diff;
  return `${diff.replace(/\n*$/, '\n')}${diffTruncated(record.artifact.files)}`;
}

// One changed file as a block: its path, then its content, or what stands for a deletion or binary content.
function fileBlock(path: string, content: Buffer | null): string {
  if (content === null) return `${fileHeader(path)}\n${FILE_DELETED}\n`;
  if (content.includes(0)) return `${fileHeader(path)}\n${binaryFile(content.length)}\n`;
  const text = content.toString('utf8');
  return `${fileHeader(path)}\n${text}${text.endsWith('\n') || !text ? '' : '\n'}`;
}

async function filesArtifact(record: RecordV1, read: ReadTreeFiles): Promise<string> {
  const paths = record.artifact.files;
  if (!paths.length) return NO_CHANGE;
  let files: Map<string, Buffer | null>;
  try {
    files = await read(record.tree, paths);
  } catch (e) {
    // The reader knows the tree only: name the record whose artifact needed it.
    if (e instanceof TreeMissingError && e.data.record === null) throw new TreeMissingError(e.data.tree, record.id);
    throw e;
  }
  return paths.map((p) => fileBlock(p, files.get(p) ?? null)).join('\n');
}

// The artifact of a record as the mode asks for it (never an empty string: TRL needs content).
export function artifactOf(record: RecordV1, mode: ArtifactMode, read: ReadTreeFiles): Promise<string> {
  return mode === 'files' ? filesArtifact(record, read) : Promise.resolve(diffArtifact(record));
}
