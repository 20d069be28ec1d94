/** What bench/index.ts parsed from its arguments: --quick shrinks sizes and rounds to stay under two minutes. */
export interface BenchOptions {
  quick: boolean;
}

/** Median time per operation over several batches; the machine is shared, so medians, not means. */
export async function measure(
  fn: () => unknown | Promise<unknown>,
  { batches = 7, perBatch = 200, warmup = 50 } = {},
): Promise<{ perOpMs: number; opsPerSecond: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perBatch; i++) await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6 / perBatch);
  }
  times.sort((a, b) => a - b);
  const perOpMs = times[Math.floor(times.length / 2)] ?? Number.NaN;
  return { perOpMs, opsPerSecond: 1000 / perOpMs };
}

export interface Row {
  name: string;
  perOpMs: number;
  /** Time per operation divided by the baseline's; lower is faster. */
  ratio: number;
}

export function printTable(title: string, baseline: string, rows: Row[]): void {
  console.log(`\n${title}  (ratio = time per op ÷ "${baseline}", same run)`);
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const row of rows) {
    console.log(
      `  ${row.name.padEnd(width)}  ${row.perOpMs.toFixed(4).padStart(10)} ms/op  ${row.ratio.toFixed(2).padStart(8)}×`,
    );
  }
}

/** Median and 99th percentile of `rounds` sequential runs, in milliseconds. */
export async function percentiles(
  rounds: number,
  fn: () => Promise<unknown>,
): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}
