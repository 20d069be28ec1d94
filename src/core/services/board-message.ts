import type { Curriculum } from "../curriculum/schema.js";
import type { Message } from "../messages.js";
import { picture, pictureParts } from "../pictures/draw.js";
import { type LeaderboardRow, leaderboardSvg } from "../pictures/leaderboard.js";
import type { Cohort } from "../ports/cohorts.js";
import type { Logger } from "../ports/logger.js";
import type { PictureRenderer } from "../ports/pictures.js";
import type { Board, Standing } from "../ports/progress.js";
import type { Store } from "../ports/store.js";
import { inertName } from "../text.js";
import type { WorkGate } from "../work-gate.js";

export interface BoardDeps {
  store: Store;
  curriculum: Curriculum;
  pictures: PictureRenderer;
  logger: Logger;
  /** Counts pictures still drawing as work in hand (commands); scheduled posts wait for them instead. */
  gate?: WorkGate;
}

const TOP = 10;
const medals = ["🥇", "🥈", "🥉"];

function boardTitle(curriculum: Curriculum, board: Board): string {
  switch (board.kind) {
    case "all":
      return "All time";
    case "week":
      return board.week === 0 ? "Before week 1" : `Week ${board.week}`;
    case "track":
      return curriculum.tracks.find((t) => t.id === board.trackId)?.name ?? board.trackId;
  }
}

function boardSlug(board: Board): string {
  return board.kind === "all" ? "all" : board.kind === "week" ? `week-${board.week}` : board.trackId;
}

const pts = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "pt" : "pts"}`;

/**
 * A cohort board as a message: the top ten (ties: who got there first), the viewer's own
 * place when they are further down, and the same as a bar chart. The chart may follow the message
 * (`picturesLater`): what waits for it, such as a scheduled post, uses `withPicturesDrawn`.
 */
export async function boardMessage(
  deps: BoardDeps,
  cohort: Cohort,
  board: Board,
  viewerId: number | undefined,
): Promise<Message> {
  const [top, size] = await Promise.all([
    deps.store.progress.top(cohort.id, board, TOP),
    deps.store.progress.size(cohort.id, board),
  ]);
  const inTop = top.some((s) => s.member.id === viewerId);
  const own: Standing | undefined =
    viewerId === undefined || inTop
      ? undefined
      : await deps.store.progress.standing(cohort.id, board, viewerId);
  const title = `${cohort.name} · ${boardTitle(deps.curriculum, board)}`;
  const line = (s: Standing) => {
    const you = s.member.id === viewerId ? " ← you" : "";
    return `${medals[s.rank - 1] ?? `${s.rank}.`} **${inertName(s.member.displayName)}** · ${pts(s.points)}${you}`;
  };
  const lines = top.map(line);
  if (own) lines.push("…", line(own));
  if (top.length === 0) {
    return {
      title,
      text:
        board.kind === "track"
          ? "Nobody on this track has points in this cohort yet."
          : "No points yet. Answer a question with /quiz to be the first on the board.",
      footer: "Boards: /leaderboard week · all · track",
    };
  }
  const row = (s: Standing): LeaderboardRow => ({
    rank: s.rank,
    name: s.member.displayName,
    points: s.points,
    isCaller: s.member.id === viewerId,
  });
  const alt = `${title}: ${top.map((s) => `${s.rank}. ${s.member.displayName} ${s.points}`).join(", ")}`;
  const viewerLine =
    viewerId === undefined
      ? undefined
      : inTop || own
        ? undefined
        : "You're not on this board yet: points you earn in this cohort put you on it.";
  const drawn = await picture(
    deps,
    () =>
      leaderboardSvg({
        title,
        subtitle: `${size.toLocaleString("en-US")} ${size === 1 ? "learner" : "learners"} · ties go to whoever got there first`,
        rows: top.map(row),
        ...(own ? { caller: row(own) } : {}),
      }),
    alt,
    `leaderboard-${boardSlug(board)}.png`,
  );
  return {
    title,
    text: [...lines, ...(viewerLine ? ["", viewerLine] : []), ...(drawn.note ? ["", drawn.note] : [])].join(
      "\n",
    ),
    ...pictureParts(drawn),
    footer: `${size.toLocaleString("en-US")} on this board · other boards: /leaderboard week · all · track`,
  };
}
