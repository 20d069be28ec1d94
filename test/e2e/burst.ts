/**
 * A burst of quiz answers into the real bot's terminal chat, for the crash, shutdown and backup
 * suites: it starts the bot, puts some learners in a cohort, writes their `/answer` lines a few at
 * a time, and reads stdout to know which answers the bot acknowledged (their whole reply was
 * printed). Also reads back what such a run left in the database.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import Database from "better-sqlite3";
import type { QuizItem } from "../../src/core/curriculum/bank.js";
import { type AggregateSnapshot, keptAndRebuiltAggregates } from "../aggregate-snapshot.js";
import { realCurriculum } from "../helpers.js";
import { type Run, startBot } from "./bot.js";

/** One quiz answer one learner sends. */
export interface Answer {
  /** The terminal user name, e.g. "learner1" (the member's external id). */
  learner: string;
  question: string;
  choice: string;
  /** Whether `choice` is the right answer. */
  right: boolean;
}

/** How the bot replied to an answer line. */
export type ReplyKind = "right" | "wrong" | "already" | "restarting" | "other";

export interface Acknowledged extends Answer {
  reply: ReplyKind;
  /** The reply as printed. */
  text: string;
}

export interface TerminalBurstOptions {
  databasePath: string;
  learners: number;
  answersPerLearner: number;
  /** More environment for the bot. */
  env?: Record<string, string>;
  /** End the bot's input after the last line, so it exits on its own once it has answered them all. */
  endInput?: boolean;
}

export interface TerminalBurst {
  child: ChildProcessWithoutNullStreams;
  /** Resolves when the bot has exited, with everything it printed. */
  exited: Promise<Run>;
  /** Every answer the burst sends, in the order it sends them. */
  planned: readonly Answer[];
  /** Answers whose whole line has been written to the bot's input. */
  sent(): Answer[];
  /** Answers whose whole reply has been printed, in order. */
  acknowledged(): Acknowledged[];
  /** Resolves once at least `count` answers are acknowledged; rejects if the bot exits first. */
  waitForAcknowledged(count: number, timeoutMs?: number): Promise<Acknowledged[]>;
  /** Everything the bot printed on stdout so far. */
  stdout(): string;
  /** Sends SIGTERM (or `signal`) unless the bot already exited, and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<Run>;
}

export const BURST_COHORT = "burst";

/** How many answer lines may be written ahead of the replies: a kill finds some read, some not. */
const WINDOW = 6;
/** Lines per write. */
const CHUNK = 3;
const DAY_MS = 86_400_000;

/** Quiz items answered by one letter or true/false, so a wrong choice is easy to make. */
export function answerableItems(): QuizItem[] {
  return realCurriculum().bank.items.filter((item) => item.kind === "single" || item.kind === "true-false");
}

export function choiceFor(item: QuizItem, right: boolean): string {
  if (item.kind === "true-false") return String(right ? item.answer : !item.answer);
  if (item.kind !== "single") throw new Error(`${item.id} is not answered by one choice`);
  // As a button sends it: the bank's choice id, whatever order each learner is shown.
  if (right) return `key:${item.answer}`;
  const wrong = item.choices.find((choice) => choice.id !== item.answer);
  if (!wrong) throw new Error(`${item.id} has no wrong choice`);
  return `key:${wrong.id}`;
}

/**
 * Learner i's j-th answer: items are dealt out so no learner gets one twice (and none shares one with
 * another while there are enough); every third answer is wrong. Learners take turns.
 */
export function planAnswers(learners: number, answersPerLearner: number): Answer[] {
  const items = answerableItems();
  if (answersPerLearner > items.length) {
    throw new Error(`Only ${items.length} quiz items can be answered; asked for ${answersPerLearner} each.`);
  }
  const plan: Answer[] = [];
  for (let j = 0; j < answersPerLearner; j++) {
    for (let i = 0; i < learners; i++) {
      const item = items[(i * answersPerLearner + j) % items.length];
      if (!item) throw new Error("no quiz item");
      const right = (i + j) % 3 !== 2;
      plan.push({ learner: `learner${i + 1}`, question: item.id, choice: choiceFor(item, right), right });
    }
  }
  return plan;
}

export function answerLine(answer: Answer): string {
  return `@${answer.learner} /answer ${answer.question} ${answer.choice}`;
}

/** The learner and question an answer is about, as one string. */
export const answerKey = (answer: { learner: string; question: string }): string =>
  `${answer.learner} ${answer.question}`;

/** A start date ten days ago: the cohort is in week 2, and its last module post is too old to catch up. */
function cohortStart(): string {
  return new Date(Date.now() - 10 * DAY_MS).toISOString().slice(0, 10);
}

/** The lines before the answers: the moderator `you` makes the cohort, every learner joins it. */
export function setupLines(learners: number): string[] {
  const lines = [`/cohort create ${BURST_COHORT} ${cohortStart()}`];
  for (let i = 1; i <= learners; i++) lines.push(`@learner${i} /cohort join ${BURST_COHORT}`);
  return lines;
}

const replyKinds: [ReplyKind, RegExp][] = [
  ["right", /^✓ Right! \+\d+ points/m],
  ["wrong", /^! Not quite: the answer is /m],
  ["already", /^You already answered \S+ \((?:right|not right)\)/m],
  ["restarting", /Quorum is restarting, so that was not done\./],
];

/** The last lines answer replies end with: a complete reply ends with one of these and a blank line. */
const replyEndings = [
  "Next: /quiz",
  "It comes back tomorrow in /review. Next: /quiz",
  "/quiz gives you the next one",
  "Please send it again in a minute.",
];

export function replyKind(text: string): ReplyKind {
  return replyKinds.find(([, pattern]) => pattern.test(text))?.[0] ?? "other";
}

/** Whether a reply with nothing printed after it yet is whole. */
function looksComplete(block: string): boolean {
  if (!block.endsWith("\n\n")) return false;
  const last = block.trimEnd().split("\n").at(-1) ?? "";
  return replyKind(block) !== "other" && replyEndings.includes(last);
}

/**
 * Replies by line, from piped-mode stdout: each said line is echoed as `name › text` before its
 * reply, so a reply is whole once the next echo follows it (or, for the last one, once it ends).
 */
export function repliesByLine(stdout: string, lines: readonly string[]): string[] {
  const echoes: { start: number; end: number }[] = [];
  let from = 0;
  for (const line of lines) {
    const spoken = /^@(\S+) (.*)$/.exec(line);
    const echo = spoken ? `${spoken[1]} › ${spoken[2]}\n` : `you › ${line}\n`;
    const at = stdout.indexOf(echo, from);
    if (at === -1 || (at > 0 && stdout[at - 1] !== "\n")) break;
    echoes.push({ start: at, end: at + echo.length });
    from = at + echo.length;
  }
  const replies: string[] = [];
  for (const [index, echo] of echoes.entries()) {
    const next = echoes[index + 1];
    const block = stdout.slice(echo.end, next?.start);
    if (!next && !looksComplete(block)) break;
    replies.push(block);
  }
  return replies;
}

/** Starts the bot on `databasePath` and sends the burst; see TerminalBurst. */
export function startTerminalBurst(options: TerminalBurstOptions): TerminalBurst {
  const planned = planAnswers(options.learners, options.answersPerLearner);
  const setup = setupLines(options.learners);
  const lines = [...setup, ...planned.map(answerLine)];
  const bot = startBot({ DATABASE_PATH: options.databasePath, ...options.env });
  const { child } = bot;
  let stdout = "";
  /** Lines handed to the writer, and lines whose last byte has been written. */
  let queued = 0;
  let written = 0;
  let writing = false;
  let alive = true;
  let acknowledged: Acknowledged[] = [];
  const listeners = new Set<() => void>();

  const read = () => {
    const replies = repliesByLine(stdout, lines).slice(setup.length);
    acknowledged = replies.flatMap((text, index) => {
      const answer = planned[index];
      return answer ? [{ ...answer, reply: replyKind(text), text: text.trim() }] : [];
    });
  };

  // Half a chunk now and the rest a moment later, so a kill can also land in the middle of a line.
  const write = (chunk: string[]) => {
    const text = `${chunk.join("\n")}\n`;
    const half = text.lastIndexOf(" ");
    writing = true;
    child.stdin.write(text.slice(0, half));
    setImmediate(() => {
      writing = false;
      if (!alive) return;
      child.stdin.write(text.slice(half));
      written += chunk.length;
      pump();
    });
  };

  const pump = () => {
    if (!alive || writing) return;
    if (queued === 0) {
      queued = setup.length;
      write(setup);
      return;
    }
    if (queued < lines.length && queued - setup.length - acknowledged.length < WINDOW) {
      const chunk = lines.slice(queued, queued + CHUNK);
      queued += chunk.length;
      write(chunk);
      return;
    }
    if (written === lines.length && options.endInput && child.stdin.writable) child.stdin.end();
  };

  // The bot may die with lines still being written to it.
  child.stdin.on("error", () => undefined);
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    read();
    pump();
    for (const listener of listeners) listener();
  });
  const exited = bot.exited.then((run) => {
    alive = false;
    read();
    for (const listener of listeners) listener();
    return run;
  });
  pump();

  return {
    child,
    exited,
    planned,
    sent: () => planned.slice(0, Math.max(0, written - setup.length)),
    acknowledged: () => [...acknowledged],
    stdout: () => stdout,
    waitForAcknowledged(count, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (acknowledged.length >= count) {
            finish();
            resolve([...acknowledged]);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            finish();
            reject(new Error(`The bot exited after ${acknowledged.length} of ${count} answers:\n${stdout}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`Only ${acknowledged.length} of ${count} answers within ${timeoutMs} ms.`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** One row of the answers table, by the learner's external id on a platform. */
export interface StoredAnswer {
  learner: string;
  question: string;
  correct: boolean;
}

/** What a run left in the database, read with better-sqlite3 once the bot has exited. */
export interface StoreAudit {
  answers: StoredAnswer[];
  /** Answers with no ledger entry, or more than one. */
  answersWithoutOneLedgerEntry: number;
  /** Ledger entries whose answer is not there (or that name none). */
  ledgerWithoutAnswer: number;
  /** Ledger entries whose question or correctness differ from their answer's. */
  ledgerDisagreeing: number;
  /** The aggregates as kept, and rebuilt from the ledger: equal when nothing was half written. */
  kept: AggregateSnapshot;
  rebuilt: AggregateSnapshot;
  /** PRAGMA integrity_check: "ok" for a sound file. */
  integrity: string;
}

/**
 * Reads the answers and checks the ledger and the aggregates against them. Rebuilds the aggregates
 * in place, so call it only on a database no bot has open.
 */
export function auditStore(
  databasePath: string,
  platform: "terminal" | "slack" | "discord" = "terminal",
): StoreAudit {
  const sqlite = new Database(databasePath);
  try {
    const integrity = String(sqlite.pragma("integrity_check", { simple: true }));
    const rows = sqlite
      .prepare(
        `SELECT m.external_id AS learner, a.question_id AS question, a.correct AS correct FROM answers a
         JOIN members m ON m.id = a.member_id JOIN spaces s ON s.id = m.space_id
         WHERE s.platform = ? ORDER BY a.id`,
      )
      .all(platform) as { learner: string; question: string; correct: number }[];
    const count = (query: string) => (sqlite.prepare(query).get() as { n: number }).n;
    const answersWithoutOneLedgerEntry = count(
      `SELECT count(*) AS n FROM answers a
       WHERE (SELECT count(*) FROM points_ledger l WHERE l.answer_id = a.id) <> 1`,
    );
    const ledgerWithoutAnswer = count(
      `SELECT count(*) AS n FROM points_ledger l
       WHERE l.answer_id IS NULL OR NOT EXISTS (SELECT 1 FROM answers a WHERE a.id = l.answer_id)`,
    );
    const ledgerDisagreeing = count(
      `SELECT count(*) AS n FROM points_ledger l JOIN answers a ON a.id = l.answer_id
       WHERE l.question_id IS NOT a.question_id OR l.correct <> a.correct OR l.member_id <> a.member_id`,
    );
    const { kept, rebuilt } = keptAndRebuiltAggregates(sqlite);
    return {
      answers: rows.map((row) => ({
        learner: row.learner,
        question: row.question,
        correct: row.correct === 1,
      })),
      answersWithoutOneLedgerEntry,
      ledgerWithoutAnswer,
      ledgerDisagreeing,
      kept,
      rebuilt,
      integrity,
    };
  } finally {
    sqlite.close();
  }
}

/** How many times each (learner, question) is stored, by answerKey. */
export function storedCounts(answers: readonly StoredAnswer[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const answer of answers) counts.set(answerKey(answer), (counts.get(answerKey(answer)) ?? 0) + 1);
  return counts;
}
