// Parts of the store not yet written for PostgreSQL: any call says so rather than misbehaving.
export function unported<T extends object>(part: string): T {
  return new Proxy({} as T, {
    get(_target, method) {
      return () => Promise.reject(new Error(`${part}.${String(method)} is not on PostgreSQL yet`));
    },
  });
}
