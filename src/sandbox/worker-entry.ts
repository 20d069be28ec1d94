/**
 * How to start the worker thread that sits beside `moduleUrl` (its worker.ts or worker.js).
 * Under tsx (tests, `npm start`) the worker is TypeScript. Node 20 ignores
 * `execArgv: ["--import", "tsx"]` for a worker's entry module, so a one-line bootstrap
 * registers tsx's loader in the worker first; compiled code (dist/) loads worker.js.
 */
export function workerEntry(moduleUrl: string): { file: URL | string; eval: boolean } {
  if (!moduleUrl.endsWith(".ts")) return { file: new URL("./worker.js", moduleUrl), eval: false };
  let api = "tsx/esm/api";
  try {
    api = import.meta.resolve("tsx/esm/api");
  } catch {
    // resolved from the working directory instead
  }
  const worker = new URL("./worker.ts", moduleUrl).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`;
  return { file: code, eval: true };
}
