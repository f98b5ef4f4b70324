// One exported line as JSON text. `datasets`' JSON loader infers each column's type from the file's
// first chunk (10 MiB) and fails on a later row of another type: a `reward_dense` written as 0 or 1
// there and 0.5 later is an int64 column that can't take the float. Every `reward_dense` is written
// with a decimal point (1.0), so the column is a float from the first row. (JSON.stringify writes
// 1.0 as 1; the metadata is the line's last member, so its key is the last one of that name — a
// string holding the same text has its quotes escaped and never matches.)
export function lineJson(line: unknown): string {
  const text = JSON.stringify(line);
  const key = '"reward_dense":';
  const at = text.lastIndexOf(key);
  if (at < 0) return text;
  const from = at + key.length;
  const m = /^-?\d+(?=[,}])/.exec(text.slice(from, from + 24));
  return m ? `${text.slice(0, from)}${m[0]}.0${text.slice(from + m[0].length)}` : text;
}
