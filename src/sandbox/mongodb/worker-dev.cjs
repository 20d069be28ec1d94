// Entry of the worker process when the sandbox runs from TypeScript (vitest, `tsx src/main.ts`): loads
// worker.ts through tsx's require hook, which starts faster than its ESM loader. Compiled builds run worker.js.
require("tsx/cjs/api").register();
require("./worker.ts");
