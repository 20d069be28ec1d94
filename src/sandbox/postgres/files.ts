/**
 * PGlite's in-memory file system is shared by every attempt a child runs. Outside the data
 * directory nothing may change between attempts: what an attempt creates there is removed, and a
 * change to a file that was there at start makes the child unusable (it is replaced).
 *
 * Writes are noticed by wrapping the file system's entry points (cheap: a flag), and only then is
 * the tree walked and compared with the snapshot taken at start.
 */
import type { PGlite } from "@electric-sql/pglite";

interface Node {
  size: number;
  mtime: number;
  dir: boolean;
}

interface EmscriptenFs {
  readdir(path: string): string[];
  lstat(path: string): { mode: number; size: number; mtime: Date | number };
  isDir(mode: number): boolean;
  unlink(path: string): void;
  rmdir(path: string): void;
  cwd(): string;
  getPath(node: unknown): string;
  [method: string]: unknown;
}

/** open() flags that can change a file (Linux values, as Emscripten uses them). */
const writeFlags = 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000;
const skipped = ["/dev", "/proc"];

export class FileGuard {
  private readonly fs: EmscriptenFs;
  private readonly dataDir: string;
  private readonly snapshot: Map<string, Node>;
  private touched = false;

  constructor(pg: PGlite) {
    this.fs = pg.Module.FS as unknown as EmscriptenFs;
    this.dataDir = pg.dataDir ?? "/pglite/data";
    this.snapshot = this.scan();
    this.watch();
  }

  /** Removes what an attempt added outside the data directory; false if it changed what was there. */
  restore(): boolean {
    if (!this.touched) return true;
    this.touched = false;
    const now = this.scan();
    let intact = true;
    const added = [...now.keys()]
      .filter((path) => !this.snapshot.has(path))
      .sort()
      .reverse();
    for (const path of added) {
      try {
        if (now.get(path)?.dir) this.fs.rmdir(path);
        else this.fs.unlink(path);
      } catch {
        intact = false;
      }
    }
    for (const [path, before] of this.snapshot) {
      const after = now.get(path);
      // A folder's time changes when an entry is added or removed: only files are compared.
      if (!after || (!before.dir && (after.size !== before.size || after.mtime !== before.mtime)))
        intact = false;
    }
    this.touched = false;
    return intact;
  }

  /** Bytes held by files outside the data directory (for the memory check). */
  outsideBytes(): number {
    let total = 0;
    for (const node of this.scan().values()) total += node.size;
    return total;
  }

  private outside(target: unknown): boolean {
    const path = this.pathOf(target);
    if (path === null) return true;
    // PostgreSQL works in its data directory and names most files relative to it.
    const absolute = path.startsWith("/") ? path : `${this.fs.cwd()}/${path}`;
    return !(absolute === this.dataDir || absolute.startsWith(`${this.dataDir}/`));
  }

  /** A path, an open stream's path, or a file-system node's path (fchmod and friends pass nodes). */
  private pathOf(target: unknown): string | null {
    if (typeof target === "string") return target;
    if (typeof target !== "object" || target === null) return null;
    const { path, node } = target as { path?: unknown; node?: unknown };
    if (typeof path === "string") return path;
    try {
      return this.fs.getPath(node ?? target);
    } catch {
      return null;
    }
  }

  private watch(): void {
    const fs = this.fs;
    const wrap = (name: string, touches: (args: unknown[]) => boolean) => {
      const original = fs[name];
      if (typeof original !== "function") return;
      fs[name] = (...args: unknown[]) => {
        if (!this.touched && touches(args)) this.touched = true;
        return (original as (...a: unknown[]) => unknown).apply(fs, args);
      };
    };
    wrap("open", ([path, flags]) => {
      const writes = typeof flags === "string" ? /[wa+]/.test(flags) : ((flags as number) & writeFlags) !== 0;
      return writes && this.outside(path);
    });
    wrap("write", ([stream]) => this.outside(stream));
    for (const name of ["mknod", "mkdir", "unlink", "rmdir", "truncate", "chmod", "utime"])
      wrap(name, ([path]) => this.outside(path));
    for (const name of ["symlink", "rename"])
      wrap(name, ([from, to]) => this.outside(from) || this.outside(to));
  }

  private scan(): Map<string, Node> {
    const nodes = new Map<string, Node>();
    const visit = (dir: string) => {
      let names: string[];
      try {
        names = this.fs.readdir(dir);
      } catch {
        return;
      }
      for (const name of names) {
        if (name === "." || name === "..") continue;
        const path = dir === "/" ? `/${name}` : `${dir}/${name}`;
        if (path === this.dataDir || skipped.includes(path)) continue;
        let stat: { mode: number; size: number; mtime: Date | number };
        try {
          stat = this.fs.lstat(path);
        } catch {
          continue;
        }
        const dirNode = this.fs.isDir(stat.mode);
        nodes.set(path, { size: dirNode ? 0 : stat.size, mtime: Number(stat.mtime), dir: dirNode });
        if (dirNode) visit(path);
      }
    };
    visit("/");
    return nodes;
  }
}
