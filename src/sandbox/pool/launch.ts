/**
 * How an engine's child process is started: the restrictions every engine child runs under.
 *
 * - Node's permission model: the child may read only the code it runs (node_modules and the
 *   compiled or bundled sandbox code), never the bot's configuration, `.env` or database; it may
 *   write no file, start no child process or worker thread, and load no native addon except
 *   better-sqlite3 for the SQLite engine. Where the runtime knows `--allow-net`, the network is
 *   closed too.
 * - `--disallow-code-generation-from-strings`: `eval` and `new Function` throw, so text that reaches
 *   a JavaScript engine through any route (a module's loader, a prototype trick) is never run.
 * - Kernel limits set by the shell before it becomes node: RLIMIT_DATA (memory the process can map),
 *   RLIMIT_FSIZE 0 (writing a byte to any file kills it), no core files, and RLIMIT_CPU so a child
 *   orphaned mid-attempt (the bot killed hard) cannot spin for ever.
 * - setpriv (util-linux), where present: the child is killed when the bot dies (parent-death signal),
 *   can never gain privileges (no_new_privs), and runs as nobody when the bot runs as root.
 * - An environment with nothing of the bot's: no tokens, no paths.
 *
 * From source (tsx: tests, `npm start`) the child's TypeScript is bundled once with esbuild into
 * node_modules/.cache, so development and tests run the children with exactly the production flags.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Engine } from "../../core/sandbox.js";
import { appRoot } from "../../paths.js";

export interface LaunchSpec {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface LaunchLimits {
  /** RLIMIT_DATA in MiB: what the kernel lets the process map, a hard ceiling. */
  dataMb: number;
  /** V8's old-generation heap in MiB. */
  heapMb: number;
  /** RLIMIT_STACK in MiB (PGlite recurses deeply through its JavaScript glue). */
  stackMb: number;
  /** CPU seconds a child may use in its whole life (it is retired well before). */
  cpuSeconds: number;
  /** V8 flags of the engine's own code generation (e.g. `--liftoff-only` for PGlite); none by default. */
  codeFlags?: readonly string[];
}

const fromSource = import.meta.url.endsWith(".ts");
const root = appRoot.replace(/[\\/]$/, "");
const cacheDir = join(root, "node_modules", ".cache", "quorum-sandbox");

/** The child script of an engine: dist/sandbox/<engine>/child.js, or a bundle of child.ts. */
export function childScript(engine: Engine): string {
  const here = new URL(`../${engine}/`, import.meta.url);
  if (!fromSource) return fileURLToPath(new URL("child.js", here));
  return bundle(fileURLToPath(new URL("child.ts", here)), engine);
}

const bundled = new Map<string, string>();

/** Bundles a TypeScript entry (packages stay imports from node_modules); written once per content. */
function bundle(entry: string, name: string): string {
  const known = bundled.get(entry);
  if (known) return known;
  // esbuild is a development dependency: only source runs get here.
  const esbuild = loadEsbuild();
  const result = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`could not bundle ${entry}`);
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `${name}-child-${hash}.mjs`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  bundled.set(entry, file);
  return file;
}

interface Esbuild {
  buildSync(options: Record<string, unknown>): { outputFiles: { contents: Uint8Array }[] };
}

function loadEsbuild(): Esbuild {
  return createRequire(import.meta.url)("esbuild") as Esbuild;
}

/** The permission flag this runtime knows (`--permission` from Node 22, experimental before). */
function permissionFlags(engine: Engine, script: string): string[] {
  const flags = process.allowedNodeEnvironmentFlags;
  const permission = flags.has("--permission")
    ? "--permission"
    : flags.has("--experimental-permission")
      ? "--experimental-permission"
      : null;
  if (permission === null) return [];
  const readable = [`${root}/node_modules/*`, `${root}/package.json`, fromSource ? script : `${root}/dist/*`];
  const args = [permission, ...readable.map((path) => `--allow-fs-read=${path}`)];
  if (engine === "sqlite") args.push("--allow-addons");
  return args;
}

const setprivPath = ["/usr/bin/setpriv", "/bin/setpriv"].find((path) => existsSync(path));

/** The setpriv prefix of the exec line, or nothing where setpriv is missing. */
function setpriv(): string {
  if (!setprivPath) return "";
  const drop = process.getuid?.() === 0 ? " --reuid=65534 --regid=65534 --clear-groups" : "";
  return `${setprivPath} --pdeathsig KILL --no-new-privs${drop} -- `;
}

/** Only flags that change how code is compiled pass: never one that loosens a limit or a permission. */
const codeFlagPattern = /^--(liftoff-only|no-wasm-tier-up|wasm-lazy-compilation|no-wasm-dynamic-tiering)$/;

/**
 * Node's arguments and the shell line that sets the kernel limits, for one engine child. `script`
 * replaces the engine's own child script (tests run a probe under exactly these restrictions).
 */
export function launchSpec(engine: Engine, limits: LaunchLimits, script = childScript(engine)): LaunchSpec {
  const node = [
    ...permissionFlags(engine, script),
    "--disallow-code-generation-from-strings",
    `--max-old-space-size=${Math.max(32, Math.floor(limits.heapMb))}`,
    `--max-semi-space-size=${Math.min(16, Math.max(1, Math.floor(limits.heapMb / 32)))}`,
    // V8's own stack limit stays well inside RLIMIT_STACK, so deep recursion is a catchable RangeError.
    `--stack-size=${Math.max(984, Math.floor(limits.stackMb * 1024 * 0.75))}`,
    ...(limits.codeFlags ?? []).filter((flag) => codeFlagPattern.test(flag)),
    "--no-warnings",
    script,
  ];
  // glibc's malloc serves blocks from 64 KiB up with their own mappings, handed back when freed:
  // PGlite's data-directory dump and the files it unpacks leave no heap behind (about 10 MB less).
  const env: NodeJS.ProcessEnv = { NODE_ENV: "production", MALLOC_MMAP_THRESHOLD_: "65536" };
  if (process.platform === "win32" || !existsSync("/bin/sh"))
    return { file: process.execPath, args: node, env };
  const shell = [
    `ulimit -d ${Math.ceil(limits.dataMb) * 1024}`,
    `ulimit -s ${Math.ceil(limits.stackMb) * 1024}`,
    "ulimit -f 0",
    "ulimit -c 0",
    `ulimit -t ${Math.ceil(limits.cpuSeconds)}`,
    `exec ${setpriv()}"$0" "$@"`,
  ].join(" && ");
  return { file: "/bin/sh", args: ["-c", shell, process.execPath, ...node], env };
}
