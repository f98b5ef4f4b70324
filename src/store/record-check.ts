// Generated from recordSchema (src/store/record-schema.ts) by src/store/check-source.ts: do not edit.
// After changing the schema, run `node scripts/gen-record-check.mjs` (test/store/record-check.test.ts
// fails until you do). Built ahead, so no code is compiled at run time.
function f0(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(typeof e === "string")) return false;
  }
  return true;
}
function f1(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["id"];
  if (x === undefined && !Object.hasOwn(v, "id")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["invariant"];
  if (x === undefined && !Object.hasOwn(v, "invariant")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["layer"];
  if (x === undefined && !Object.hasOwn(v, "layer")) { return false; } else if (!((x === "type" || x === "primitive" || x === "lint" || x === "test" || x === "review" || x === "other"))) return false;
  else n++;
  x = v["run"];
  if (x === undefined && !Object.hasOwn(v, "run")) { return false; } else if (!((typeof x === "string" || f0(x)))) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f2(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(f1(e))) return false;
  }
  return true;
}
function f3(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["configHash"];
  if (x === undefined && !Object.hasOwn(v, "configHash")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["guardSetHash"];
  if (x === undefined && !Object.hasOwn(v, "guardSetHash")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["guards"];
  if (x === undefined && !Object.hasOwn(v, "guards")) { return false; } else if (!(f2(x))) return false;
  else n++;
  x = v["task"];
  if (x === undefined && !Object.hasOwn(v, "task")) { return false; } else if (!((x === null || typeof x === "string"))) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f4(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(typeof e === "string")) return false;
  }
  return true;
}
function f5(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["diff"];
  if (x === undefined && !Object.hasOwn(v, "diff")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["files"];
  if (x === undefined && !Object.hasOwn(v, "files")) { return false; } else if (!(f4(x))) return false;
  else n++;
  x = v["truncated"];
  if (x === undefined && !Object.hasOwn(v, "truncated")) { return false; } else if (!(typeof x === "boolean")) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f6(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(typeof e === "string")) return false;
  }
  return true;
}
function f7(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(typeof e === "string")) return false;
  }
  return true;
}
function f8(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(typeof e === "string")) return false;
  }
  return true;
}
function f9(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["tree"];
  if (x === undefined && !Object.hasOwn(v, "tree")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["key"];
  if (x === undefined && !Object.hasOwn(v, "key")) { } else if (!((x === undefined || typeof x === "string"))) return false;
  else n++;
  x = v["status"];
  if (x === undefined && !Object.hasOwn(v, "status")) { } else if (!((x === undefined || (x === "pass" || x === "fail" || x === "error" || x === "timeout" || x === "skipped")))) return false;
  else n++;
  x = v["failures"];
  if (x === undefined && !Object.hasOwn(v, "failures")) { } else if (!((x === undefined || f8(x)))) return false;
  else n++;
  x = v["ms"];
  if (x === undefined && !Object.hasOwn(v, "ms")) { } else if (!((x === undefined || (typeof x === "number" && Number.isFinite(x) && Number.isSafeInteger(x) && x >= 0)))) return false;
  else n++;
  x = v["from"];
  if (x === undefined && !Object.hasOwn(v, "from")) { } else if (!((x === undefined || typeof x === "string"))) return false;
  else n++;
  x = v["same"];
  if (x === undefined && !Object.hasOwn(v, "same")) { } else if (!((x === undefined || typeof x === "boolean"))) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f10(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["attempt"];
  if (x === undefined && !Object.hasOwn(v, "attempt")) { return false; } else if (!((typeof x === "number" && Number.isFinite(x) && Number.isSafeInteger(x)))) return false;
  else n++;
  x = v["record"];
  if (x === undefined && !Object.hasOwn(v, "record")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f11(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["guard"];
  if (x === undefined && !Object.hasOwn(v, "guard")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["status"];
  if (x === undefined && !Object.hasOwn(v, "status")) { return false; } else if (!((x === "pass" || x === "fail" || x === "error" || x === "timeout" || x === "skipped"))) return false;
  else n++;
  x = v["exit"];
  if (x === undefined && !Object.hasOwn(v, "exit")) { return false; } else if (!((x === null || (typeof x === "number" && Number.isFinite(x) && Number.isSafeInteger(x))))) return false;
  else n++;
  x = v["ms"];
  if (x === undefined && !Object.hasOwn(v, "ms")) { return false; } else if (!((typeof x === "number" && Number.isFinite(x) && Number.isSafeInteger(x) && x >= 0))) return false;
  else n++;
  x = v["feedback"];
  if (x === undefined && !Object.hasOwn(v, "feedback")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["modified"];
  if (x === undefined && !Object.hasOwn(v, "modified")) { } else if (!((x === undefined || f6(x)))) return false;
  else n++;
  x = v["key"];
  if (x === undefined && !Object.hasOwn(v, "key")) { } else if (!((x === undefined || typeof x === "string"))) return false;
  else n++;
  x = v["reused"];
  if (x === undefined && !Object.hasOwn(v, "reused")) { } else if (!((x === undefined || typeof x === "string"))) return false;
  else n++;
  x = v["failures"];
  if (x === undefined && !Object.hasOwn(v, "failures")) { } else if (!((x === undefined || f7(x)))) return false;
  else n++;
  x = v["baseline"];
  if (x === undefined && !Object.hasOwn(v, "baseline")) { } else if (!((x === undefined || f9(x)))) return false;
  else n++;
  x = v["tolerated"];
  if (x === undefined && !Object.hasOwn(v, "tolerated")) { } else if (!((x === undefined || typeof x === "boolean"))) return false;
  else n++;
  x = v["repeat"];
  if (x === undefined && !Object.hasOwn(v, "repeat")) { } else if (!((x === undefined || f10(x)))) return false;
  else n++;
  x = v["attempts"];
  if (x === undefined && !Object.hasOwn(v, "attempts")) { } else if (!((x === undefined || (typeof x === "number" && Number.isFinite(x) && Number.isSafeInteger(x))))) return false;
  else n++;
  x = v["flaky"];
  if (x === undefined && !Object.hasOwn(v, "flaky")) { } else if (!((x === undefined || typeof x === "boolean"))) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f12(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(f11(e))) return false;
  }
  return true;
}
function f13(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(typeof e === "string")) return false;
  }
  return true;
}
function f14(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["guard"];
  if (x === undefined && !Object.hasOwn(v, "guard")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["status"];
  if (x === undefined && !Object.hasOwn(v, "status")) { return false; } else if (!((x === "pass" || x === "fail" || x === "error" || x === "timeout" || x === "skipped"))) return false;
  else n++;
  x = v["feedback"];
  if (x === undefined && !Object.hasOwn(v, "feedback")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["failures"];
  if (x === undefined && !Object.hasOwn(v, "failures")) { } else if (!((x === undefined || f13(x)))) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f15(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(f14(e))) return false;
  }
  return true;
}
function f16(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["id"];
  if (x === undefined && !Object.hasOwn(v, "id")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["status"];
  if (x === undefined && !Object.hasOwn(v, "status")) { return false; } else if (!((x === "ACCEPTED" || x === "REJECTED"))) return false;
  else n++;
  x = v["verdicts"];
  if (x === undefined && !Object.hasOwn(v, "verdicts")) { return false; } else if (!(f15(x))) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f17(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(f16(e))) return false;
  }
  return true;
}
function f18(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(typeof e === "string")) return false;
  }
  return true;
}
function f19(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(typeof e === "string")) return false;
  }
  return true;
}
function f20(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(typeof e === "string")) return false;
  }
  return true;
}
function f21(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["how"];
  if (x === undefined && !Object.hasOwn(v, "how")) { return false; } else if (!((x === "head" || x === "turn-start" || x === "accepted" || x === "unverified"))) return false;
  else n++;
  x = v["commits"];
  if (x === undefined && !Object.hasOwn(v, "commits")) { return false; } else if (!(f20(x))) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f22(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["path"];
  if (x === undefined && !Object.hasOwn(v, "path")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["blob"];
  if (x === undefined && !Object.hasOwn(v, "blob")) { return false; } else if (!((x === null || typeof x === "string"))) return false;
  else n++;
  x = v["from"];
  if (x === undefined && !Object.hasOwn(v, "from")) { } else if (!((x === undefined || (x === null || typeof x === "string")))) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f23(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(f22(e))) return false;
  }
  return true;
}
function f24(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["by"];
  if (x === undefined && !Object.hasOwn(v, "by")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["paths"];
  if (x === undefined && !Object.hasOwn(v, "paths")) { return false; } else if (!(f23(x))) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f25(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["name"];
  if (x === undefined && !Object.hasOwn(v, "name")) { return false; } else if (!((x === "guardloop"))) return false;
  else n++;
  x = v["version"];
  if (x === undefined && !Object.hasOwn(v, "version")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f26(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["how"];
  if (x === undefined && !Object.hasOwn(v, "how")) { return false; } else if (!((x === "GUARDLOOP=0" || x === "no-pre-commit"))) return false;
  else n++;
  x = v["commit"];
  if (x === undefined && !Object.hasOwn(v, "commit")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f27(v: any): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!(typeof e === "string")) return false;
  }
  return true;
}
function f28(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["commit"];
  if (x === undefined && !Object.hasOwn(v, "commit")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["outcome"];
  if (x === undefined && !Object.hasOwn(v, "outcome")) { return false; } else if (!((x === "verified" || x === "not-reproducible" || x === "new"))) return false;
  else n++;
  x = v["against"];
  if (x === undefined && !Object.hasOwn(v, "against")) { return false; } else if (!(f27(x))) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}
function f29(v: any): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  let n = 0;
  let x: any;
  x = v["v"];
  if (x === undefined && !Object.hasOwn(v, "v")) { return false; } else if (!((x === 1))) return false;
  else n++;
  x = v["id"];
  if (x === undefined && !Object.hasOwn(v, "id")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["ts"];
  if (x === undefined && !Object.hasOwn(v, "ts")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["hook"];
  if (x === undefined && !Object.hasOwn(v, "hook")) { return false; } else if (!((x === "pre-commit" || x === "pre-push" || x === "stop" || x === "manual" || x === "run" || x === "post-commit" || x === "verify" || x === "ci"))) return false;
  else n++;
  x = v["source"];
  if (x === undefined && !Object.hasOwn(v, "source")) { return false; } else if (!((x === "HUMAN" || x === "GENERATOR" || x === "CI"))) return false;
  else n++;
  x = v["agent"];
  if (x === undefined && !Object.hasOwn(v, "agent")) { return false; } else if (!((x === null || typeof x === "string"))) return false;
  else n++;
  x = v["session"];
  if (x === undefined && !Object.hasOwn(v, "session")) { return false; } else if (!((x === null || typeof x === "string"))) return false;
  else n++;
  x = v["base"];
  if (x === undefined && !Object.hasOwn(v, "base")) { return false; } else if (!((x === null || typeof x === "string"))) return false;
  else n++;
  x = v["tree"];
  if (x === undefined && !Object.hasOwn(v, "tree")) { return false; } else if (!(typeof x === "string")) return false;
  else n++;
  x = v["status"];
  if (x === undefined && !Object.hasOwn(v, "status")) { return false; } else if (!((x === "ACCEPTED" || x === "REJECTED" || x === "SKIPPED"))) return false;
  else n++;
  x = v["reward"];
  if (x === undefined && !Object.hasOwn(v, "reward")) { return false; } else if (!(((x === 1) || (x === -1) || (x === 0)))) return false;
  else n++;
  x = v["spec"];
  if (x === undefined && !Object.hasOwn(v, "spec")) { return false; } else if (!(f3(x))) return false;
  else n++;
  x = v["artifact"];
  if (x === undefined && !Object.hasOwn(v, "artifact")) { return false; } else if (!(f5(x))) return false;
  else n++;
  x = v["verdicts"];
  if (x === undefined && !Object.hasOwn(v, "verdicts")) { return false; } else if (!(f12(x))) return false;
  else n++;
  x = v["history"];
  if (x === undefined && !Object.hasOwn(v, "history")) { return false; } else if (!(f17(x))) return false;
  else n++;
  x = v["provenance"];
  if (x === undefined && !Object.hasOwn(v, "provenance")) { return false; } else if (!(f18(x))) return false;
  else n++;
  x = v["retry"];
  if (x === undefined && !Object.hasOwn(v, "retry")) { return false; } else if (!((typeof x === "number" && Number.isFinite(x) && Number.isSafeInteger(x) && x >= 0))) return false;
  else n++;
  x = v["escalated"];
  if (x === undefined && !Object.hasOwn(v, "escalated")) { } else if (!((x === undefined || typeof x === "boolean"))) return false;
  else n++;
  x = v["lastMessage"];
  if (x === undefined && !Object.hasOwn(v, "lastMessage")) { } else if (!((x === undefined || (x === null || typeof x === "string")))) return false;
  else n++;
  x = v["isolated"];
  if (x === undefined && !Object.hasOwn(v, "isolated")) { } else if (!((x === undefined || typeof x === "boolean"))) return false;
  else n++;
  x = v["drifted"];
  if (x === undefined && !Object.hasOwn(v, "drifted")) { } else if (!((x === undefined || f19(x)))) return false;
  else n++;
  x = v["baseline"];
  if (x === undefined && !Object.hasOwn(v, "baseline")) { } else if (!((x === undefined || f21(x)))) return false;
  else n++;
  x = v["approval"];
  if (x === undefined && !Object.hasOwn(v, "approval")) { } else if (!((x === undefined || f24(x)))) return false;
  else n++;
  x = v["tool"];
  if (x === undefined && !Object.hasOwn(v, "tool")) { } else if (!((x === undefined || f25(x)))) return false;
  else n++;
  x = v["host"];
  if (x === undefined && !Object.hasOwn(v, "host")) { } else if (!((x === undefined || typeof x === "string"))) return false;
  else n++;
  x = v["user"];
  if (x === undefined && !Object.hasOwn(v, "user")) { } else if (!((x === undefined || typeof x === "string"))) return false;
  else n++;
  x = v["skip"];
  if (x === undefined && !Object.hasOwn(v, "skip")) { } else if (!((x === undefined || f26(x)))) return false;
  else n++;
  x = v["verify"];
  if (x === undefined && !Object.hasOwn(v, "verify")) { } else if (!((x === undefined || f28(x)))) return false;
  else n++;
  x = v["reused"];
  if (x === undefined && !Object.hasOwn(v, "reused")) { } else if (!((x === undefined || typeof x === "string"))) return false;
  else n++;
  let m = 0;
  for (const k in v) m++;
  return m === n;
}

// True only when zod would accept `v` and return it unchanged; false leaves the verdict to zod.
export function recordCheck(v: unknown): boolean {
  return f29(v);
}
