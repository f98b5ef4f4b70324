import { NUL_CHARACTER, durationOutOfRange, envKeyInvalid, redactInvalid, redactMatchesEmpty, type ConfigMessage } from '../messages/config.js';
import type { Diagnostic, KeyPath } from './diagnostic.js';
import { durationToMs, MAX_DURATION_MS } from './duration.js';
import { globOptions, globProblem } from './glob-check.js';
import { isRecord } from './is-record.js';
import { locateMergedPath, type MergedGuard } from './merge-guards.js';
import { diagnosticAt, type YamlFile } from './yaml-file.js';

type Report = (keyPath: KeyPath, message: Parameters<typeof diagnosticAt>[2], severity?: Diagnostic['severity'], atKey?: boolean) => void;

// Text a redact pattern is tried on, to catch one that matches an empty string somewhere in it.
const EMPTY_MATCH_SAMPLES = ['', 'API_TOKEN=abc123 "x" (1)\n'];
const DURATION_TEXT = /^\d+(\.\d+)?\s*(ms|s|m|h)$/;
const LINK_GLOB = /[*?[{]/;

// Compiles, at load time, every value the engine turns into something that can throw or silently do
// nothing at run time — redact regexes, globs, timeouts, environment variables, command lines — so a
// bad value is an error at its file:line:col before any guard runs, not an internal error after.
// Checks only values of the right type (the schema reports the others), on the merged guards.
export async function checkRuntimeValues(guards: MergedGuard[], configFile: YamlFile): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const top = isRecord(configFile.value) ? configFile.value : {};
  const reportTop: Report = (keyPath, message, severity = 'error', atKey = false) => diagnostics.push(diagnosticAt(configFile, keyPath, message, severity, atKey));

  strings(top.redact).forEach(([i, pattern]) => {
    const problem = redactProblem(pattern);
    if (problem) reportTop(['redact', i], problem);
  });
  checkEnv(top.env, ['env'], reportTop);

  const globs: Array<{ glob: string; at: KeyPath; report: Report; paths: boolean }> = [];
  for (const [i, glob] of strings(top.protected)) globs.push({ glob, at: ['protected', i], report: reportTop, paths: true });
  for (const [i, glob] of strings(top.link)) if (LINK_GLOB.test(glob)) globs.push({ glob, at: ['link', i], report: reportTop, paths: false });

  guards.forEach((guard, index) => {
    const value = guard.value;
    if (!isRecord(value)) return;
    const report: Report = (keyPath, message, severity = 'error', atKey = false) => {
      const at = locateMergedPath(guards, configFile, ['guards', index, ...keyPath]);
      diagnostics.push(diagnosticAt(at.file, at.path, message, severity, atKey));
    };
    for (const [i, glob] of strings(value.files)) globs.push({ glob, at: ['files', i], report, paths: true });
    for (const [i, glob] of strings(value.inputs)) globs.push({ glob, at: ['inputs', i], report, paths: true });
    const timeout = durationProblem(value.timeout);
    if (timeout) report(['timeout'], timeout);
    checkEnv(value.env, ['env'], report);
    if (typeof value.run === 'string' && value.run.includes('\0')) report(['run'], NUL_CHARACTER);
    for (const [i, arg] of strings(value.run)) if (arg.includes('\0')) report(['run', i], NUL_CHARACTER);
    if (typeof value.cwd === 'string' && value.cwd.includes('\0')) report(['cwd'], NUL_CHARACTER);
  });

  if (globs.length) {
    // Loaded only when there are globs to check (a hook pays for what it uses).
    const picomatch = (await import('picomatch')).default;
    for (const { glob, at, report, paths } of globs) {
      const problem = glob === '' ? null : globProblem(picomatch, glob, paths ? globOptions(glob) : { dot: true }, paths);
      if (problem) report(at, problem.message, problem.severity);
    }
  }
  return diagnostics;
}

// Why a `redact` entry can't be used, compiled exactly as the engine compiles it (flag "g"); null if it can.
export function redactProblem(pattern: string): ConfigMessage | null {
  if (pattern === '') return null; // the schema reports an empty entry
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'g');
  } catch (error) {
    const message = (error as Error).message;
    const prefix = `Invalid regular expression: /${pattern}/g: `;
    return redactInvalid(pattern, message.startsWith(prefix) ? message.slice(prefix.length) : message);
  }
  return EMPTY_MATCH_SAMPLES.some((text) => [...text.matchAll(re)].some((m) => m[0] === '')) ? redactMatchesEmpty(pattern) : null;
}

// Why a timeout as written can't be used (rounds to 0 ms, or longer than 24 h: Node's timers overflow
// past ~24.8 days and fire at once); null when it can, or when the schema already rejects it.
export function durationProblem(value: unknown): ConfigMessage | null {
  const wellFormed = (typeof value === 'number' && Number.isFinite(value) && value > 0) || (typeof value === 'string' && DURATION_TEXT.test(value.trim()));
  if (!wellFormed) return null;
  const ms = durationToMs(value as number | string);
  if (ms < 1) return durationOutOfRange(value, false);
  if (ms > MAX_DURATION_MS) return durationOutOfRange(value, true);
  return null;
}

// Environment variables a process can actually be given: a name without "=" or NUL, a value without NUL.
function checkEnv(env: unknown, at: KeyPath, report: Report): void {
  if (!isRecord(env)) return;
  for (const [key, value] of Object.entries(env)) {
    if (key === '' || key.includes('=') || key.includes('\0')) report([...at, key], envKeyInvalid(key), 'error', true);
    if (typeof value === 'string' && value.includes('\0')) report([...at, key], NUL_CHARACTER);
  }
}

// The string entries of a list, with their index.
function strings(list: unknown): Array<[number, string]> {
  return Array.isArray(list) ? list.flatMap((v, i): Array<[number, string]> => (typeof v === 'string' ? [[i, v]] : [])) : [];
}
