import Database from "better-sqlite3";
import { realCurriculum } from "../helpers.js";

/** One thing a person says; `you` is the moderator on every platform. */
export interface Step {
  as: string;
  line: string;
}

export const MODERATOR = "you";

/** The instant every run starts from, so weeks and days agree across platforms. */
export const SESSION_START = "2026-03-04T10:00:00Z";

function singleChoice(count: number) {
  const items = realCurriculum()
    .bank.items.filter((i) => i.week <= 2 && i.kind === "single")
    .slice(0, count)
    .map((item) => {
      if (item.kind !== "single") throw new Error("not single");
      // Answered as a button sends them (by the bank's choice id): each platform shows its own order of letters.
      const wrong = item.choices.find((choice) => choice.id !== item.answer)?.id ?? "a";
      return { id: item.id, right: `key:${item.answer}`, wrong: `key:${wrong}` };
    });
  if (items.length < count) throw new Error(`weeks 1–2 have fewer than ${count} single-choice items`);
  return items;
}

function sqliteChallenge() {
  const found = realCurriculum().bank.challenges.find((c) => c.engine === "sqlite");
  if (!found) throw new Error("no sqlite challenge in the curriculum");
  // One line, as a terminal line and a slash option both carry it.
  return { id: found.id, query: found.solution.replace(/\s+/g, " ").trim() };
}

/**
 * The scripted session every adapter must play out identically: a cohort, three learners, the
 * dashboard switched off, right, wrong and repeated answers, a graded challenge, and the boards at the end.
 */
export function contractSession(): Step[] {
  const [q1, q2, q3] = singleChoice(3);
  if (!q1 || !q2 || !q3) throw new Error("not enough items");
  const challenge = sqliteChallenge();
  return [
    { as: MODERATOR, line: "/cohort create spring 2026-03-02 UTC" },
    { as: "ana", line: "/cohort join spring" },
    { as: "bo", line: "/cohort join spring" },
    { as: "cy", line: "/cohort join spring" },
    { as: "ana", line: "/track join dba" },
    { as: "bo", line: "/track join sql-developer" },
    // No listener here: every platform says the dashboard is off, and signing out ends nothing.
    { as: "ana", line: "/dashboard" },
    { as: "bo", line: "/dashboard signout" },
    { as: "ana", line: `/answer ${q1.id} ${q1.right}` },
    { as: "ana", line: `/answer ${q1.id} ${q1.right}` },
    { as: "bo", line: `/answer ${q1.id} ${q1.wrong}` },
    { as: "bo", line: `/answer ${q2.id} ${q2.right}` },
    { as: "cy", line: `/answer ${q2.id} ${q2.right}` },
    { as: "cy", line: `/answer ${q3.id} ${q3.right}` },
    { as: "bo", line: `/submit ${challenge.id} SELECT 1` },
    { as: "bo", line: `/submit ${challenge.id} ${challenge.query}` },
    { as: "ana", line: "/leaderboard all" },
    { as: "cy", line: "/leaderboard week" },
  ];
}

export interface Standing {
  name: string;
  points: number;
}

/** The ranked lines of a leaderboard reply, from its text on any platform ("🥇 **ana** · 20 pts"). */
export function standingsIn(text: string): Standing[] {
  const line = /(?:🥇|🥈|🥉|\d+\.) (?:\*\*)?([^*\s]+)(?:\*\*)? · ([\d,]+) pts?/g;
  return [...text.matchAll(line)].map((m) => ({
    name: m[1] ?? "",
    points: Number((m[2] ?? "0").replaceAll(",", "")),
  }));
}

/** Points per learner from the ledger itself, by display name. */
export function ledgerPoints(databasePath: string): Record<string, number> {
  const db = new Database(databasePath, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT m.display_name AS name, SUM(l.points) AS points
         FROM points_ledger l JOIN members m ON m.id = l.member_id
         GROUP BY m.display_name ORDER BY m.display_name`,
      )
      .all() as { name: string; points: number }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.points]));
  } finally {
    db.close();
  }
}

/** What one platform's run of the session came to. */
export interface Outcome {
  points: Record<string, number>;
  allTime: Standing[];
  thisWeek: Standing[];
}
