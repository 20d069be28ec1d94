import { type AnyColumn, and, eq, or, type SQL, sql } from "drizzle-orm";

/**
 * The members a moderator's query names in a space: by platform id, or by display name without
 * regard to case. The same condition on either dialect's `members` table.
 */
export function memberMatches(
  members: { spaceId: AnyColumn; externalId: AnyColumn; displayName: AnyColumn },
  spaceId: number,
  query: string,
): SQL | undefined {
  return and(
    eq(members.spaceId, spaceId),
    or(eq(members.externalId, query), sql`lower(${members.displayName}) = ${query.toLowerCase()}`),
  );
}
