import fc from "fast-check";
import { type ArgSpec, argSpecs, usage } from "../src/core/commands/args.js";
import type { AnyCommand } from "../src/core/commands/command.js";
import { parseLine } from "../src/core/commands/parse.js";
import type { Curriculum } from "../src/core/curriculum/schema.js";
import type { Message } from "../src/core/messages.js";
import type { Actor, Platform } from "../src/core/ports/identity.js";

/**
 * Hostile input for property tests of every adapter: strings that have broken chat bots before
 * (control characters, bidi marks, injection text, mention syntax, huge numbers, lone surrogates),
 * shaped into arguments for each command, and the checks every reply must pass.
 */

/** Text Slack and Discord would read as a mention of everyone. */
export const broadcastMentions = ["@everyone", "@here", "@channel", "<!channel>", "<!here>", "<!everyone>"];

/** Strings chosen by hand because each has broken a parser, a renderer or a database somewhere. */
export const nastyStrings: readonly string[] = [
  "",
  " ",
  "\t",
  "\n",
  "\r\n",
  "\0",
  "a\0b",
  "\x07\x08\x7f",
  "\x1b[2J\x1b[31mred\x1b[0m",
  "\x1b]0;pwned\x07",
  "\u0085",
  "\u202eevil\u202c",
  "abc\u202edcba",
  "\u200f\u200e\u061c",
  "\u200b",
  "\u200d",
  "\ufeff",
  "\u2028\u2029",
  "\u00a0",
  "'; DROP TABLE members; --",
  "Robert'); DROP TABLE answers;--",
  '" OR 1=1 --',
  "1; DELETE FROM cohorts",
  "%' OR '%'='",
  '{"$gt": ""}',
  '{"$where": "sleep(5000)"}',
  "db.dropDatabase()",
  "FLUSHALL",
  ...broadcastMentions,
  "<@123456789012345678>",
  "<@!123456789012345678>",
  "<@&123456789012345678>",
  "<#123456789012345678>",
  "<@U0123ABCD>",
  "<#C0123ABCD|general>",
  "#C0123ABCDEF",
  "<!subteam^S0123ABCD>",
  "`",
  "```",
  "```js\nalert(1)\n```",
  "```\nunclosed",
  "**",
  "*",
  "_",
  "~~",
  "||spoiler||",
  "> quote",
  "# heading",
  "- item",
  "[x](javascript:alert(1))",
  "[click](https://evil.example/)",
  "<https://evil.example|click>",
  "&amp;&lt;&gt;",
  "<script>alert(1)</script>",
  '"',
  "'",
  "\"'",
  "'\"",
  '"unclosed',
  "\\",
  '\\"',
  "--help",
  "--week=3",
  "-1",
  "-0",
  "0",
  "1.5",
  "1e3",
  "0x10",
  "NaN",
  "Infinity",
  "-Infinity",
  "9007199254740993",
  "1e309",
  "99999999999999999999999999",
  "+3",
  " 3 ",
  "٣",
  "３",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "toString",
  "🙂",
  "👩‍👩‍👧‍👦",
  "🏳️‍🌈",
  "\ud800",
  "\udc00",
  "a\ud800b",
  "\udbff\udfff",
  "e\u0301",
  "Z\u0324\u0354\u0367\u0311a\u0308\u0356\u036d",
  "İ",
  "ß",
  "ﬁ",
  "%s%s%n",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax as text is the point of this input.
  "${process.exit()}",
  "{{7*7}}",
  "../../../etc/passwd",
  "file:///etc/passwd",
  "2026-02-30",
  "2026-13-01",
  "mon 25:61",
  "* * * * * *",
  "0 0 31 2 *",
  "Europe/Berlinn",
  "Etc/GMT+14",
  "UTC+99",
];

/** Real values, so that some runs get past validation into the handlers. */
export interface KnownValues {
  weeks: readonly string[];
  tracks: readonly string[];
  challenges: readonly string[];
  questions: readonly string[];
  cohorts: readonly string[];
  users: readonly string[];
  channels: readonly string[];
  zones: readonly string[];
  schedules: readonly string[];
}

export function knownValues(curriculum: Curriculum, platform: Platform): KnownValues {
  const people = {
    terminal: { users: ["ana", "you"], channels: ["local", "#local"] },
    slack: {
      users: ["U0LEARNER", "<@U0LEARNER>", "@ana"],
      channels: ["C0GENERAL1", "<#C0GENERAL1|general>"],
    },
    discord: {
      users: ["200000000000000001", "<@200000000000000001>", "<@!200000000000000001>"],
      channels: ["300000000000000001", "<#300000000000000001>"],
    },
  }[platform];
  return {
    weeks: curriculum.weeks.map((w) => String(w.week)),
    tracks: curriculum.tracks.map((t) => t.id),
    challenges: curriculum.bank.challenges.map((c) => c.id),
    questions: curriculum.bank.items.map((i) => i.id),
    cohorts: ["spring", "SPRING", "autumn-2026"],
    ...people,
    zones: ["UTC", "Europe/Berlin", "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns"],
    schedules: ["mon 09:00", "weekdays 18:30", "daily 07:00", "0 9 * * 1", "off", "wed 18:00"],
  };
}

/** Digits a careless parser turns into something else: negative zero, exponents, past 2^53, past a double. */
const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -30, max: 50 }).map(String),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.double().map(String),
  fc.constantFrom("-0", "0.0", "1e2", "2e1", "20.0000000000000001", "0b11", "0o7", "1_000"),
);

/** Text made of nasty pieces, random code points, or one piece repeated past every platform limit. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...nastyStrings), fc.string({ maxLength: 6 })), {
        minLength: 2,
        maxLength: 6,
      })
      .map((parts) => parts.join(" ")),
  },
  { weight: 1, arbitrary: numberText },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom("x", "word ", "@everyone ", "<!channel> ", "```", "🙂", "\u202e", "'"),
        fc.nat(9_000),
      )
      .map(([piece, length]) => piece.repeat(Math.ceil((200 + length) / piece.length))),
  },
);

/** Values that make sense for the argument, so the handler behind validation runs too. */
function plausible(spec: ArgSpec, known: KnownValues): fc.Arbitrary<string> {
  if (spec.choices) return fc.constantFrom(...spec.choices);
  const pick = (values: readonly string[]) => fc.constantFrom(...values);
  switch (spec.suggest) {
    case "week":
      return pick(known.weeks);
    case "track":
      return pick(known.tracks);
    case "challenge":
      return pick(known.challenges);
    case "cohort":
      return pick(known.cohorts);
    case "timezone":
      return pick(known.zones);
  }
  if (spec.refers === "user") return pick(known.users);
  if (spec.refers === "channel") return pick(known.channels);
  if (spec.type === "integer") return numberText;
  switch (spec.name) {
    case "question":
      return pick(known.questions);
    case "choice":
      return fc.constantFrom("a", "b", "c", "a,c", "true", "false");
    case "when":
      return pick(known.schedules);
    case "start":
      return fc.constantFrom("2026-03-02", "2026-01-05", "1970-01-01", "9999-12-31");
    case "name":
      return pick(known.cohorts);
    case "command":
      return fc.constantFrom("week", "track join", "schedule set", "nothing");
    case "which":
      return fc.oneof(pick(known.weeks), pick(known.tracks));
    case "query":
      return fc.constantFrom("SELECT 1", "db.orders.find({})", "GET key", "SELECT * FROM customers;");
  }
  return fc.constant("spring");
}

/** One argument's value: mostly hostile, sometimes sensible. */
export function argValue(spec: ArgSpec, known: KnownValues): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: hostileText }, { weight: 2, arbitrary: plausible(spec, known) });
}

/** Raw arguments for a command: each one present or left out, hostile or sensible. */
export function hostileArgs(command: AnyCommand, known: KnownValues): fc.Arbitrary<Record<string, string>> {
  const model: Record<string, fc.Arbitrary<string | undefined>> = {};
  for (const spec of argSpecs(command)) {
    model[spec.name] = fc.option(argValue(spec, known), { nil: undefined, freq: 4 });
  }
  return fc
    .record(model)
    .map(
      (args) =>
        Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as Record<string, string>,
    );
}

/** A value as typed on a line: bare, or in either kind of quotes (which may not close). */
const typed = (value: string): fc.Arbitrary<string> =>
  fc.constantFrom(value, `"${value}"`, `'${value}'`, `"${value}`);

/** The words a command can be typed with: its name or an alias, in any case, with or without the slash. */
function commandWords(command: AnyCommand): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(command.name, ...(command.aliases ?? [])),
      fc.boolean(),
      fc.constantFrom("/", "/", ""),
    )
    .map(([name, upper, slash]) => `${slash}${upper ? name.toUpperCase() : name}`);
}

/** A text line for the command (terminal, Slack's `/quorum …`, a button's line), with hostile arguments. */
export function hostileLine(command: AnyCommand, known: KnownValues): fc.Arbitrary<string> {
  const specs = argSpecs(command);
  return fc
    .tuple(
      commandWords(command),
      fc.tuple(...specs.map((spec) => fc.option(argValue(spec, known).chain(typed), { nil: undefined }))),
      // Now and then one argument too many.
      fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileText }),
      fc.constantFrom(" ", "  ", "\t", " \u00a0"),
    )
    .map(([words, values, extra, gap]) =>
      [words, ...values.filter((v) => v !== undefined), ...(extra === undefined ? [] : [extra])].join(gap),
    );
}

/** Any line at all: a command with hostile arguments, or plain hostile text. */
export function anyLine(commands: readonly AnyCommand[], known: KnownValues): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...commands).chain((command) => hostileLine(command, known)) },
    { weight: 1, arbitrary: hostileText },
    { weight: 1, arbitrary: hostileText.map((text) => `/${text}`) },
  );
}

/**
 * A display name someone could give themselves on a platform. Platforms send names as UTF-8, so
 * unlike typed arguments a name is always well-formed text.
 */
export const hostileDisplayName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("ana", "Bo", "@everyone", "<!channel>", "**admin**", "\u202enimda", "`x`", "<@1>"),
  hostileText
    .map((name) => name.slice(0, 80))
    .filter((name) => name.trim() !== "" && !hasLoneSurrogate(name)),
);

// --- what a reply must be --------------------------------------------------------------------------

/** Replies that mean a handler failed inside; hostile input must never cause one. */
export const internalFailure = /Something went wrong on our side/;

const messageKeys = new Set([
  "title",
  "text",
  "sections",
  "fields",
  "progress",
  "choices",
  "links",
  "images",
  "picturesLater",
  "files",
  "footer",
  "tone",
  "visibility",
  "field",
]);

/** A string with half of a surrogate pair: invalid UTF-16, which no platform can encode. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** Whether any string in a payload (objects and arrays walked, bytes skipped) holds half a surrogate pair. */
export function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === "string") return hasLoneSurrogate(value);
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return false;
  return Object.values(value).some(holdsLoneSurrogate);
}

/** Every string a reader could see in a message. */
export function messageStrings(message: Message): string[] {
  return [
    message.title,
    message.text,
    message.footer,
    message.progress?.label,
    ...(message.fields ?? []).flatMap((f) => [f.name, f.value]),
    ...(message.sections ?? []).flatMap((s) => [s.heading, s.text]),
    ...(message.choices ?? []).flatMap((c) => [
      c.action.command,
      ...Object.values(c.action.args),
      c.label,
      c.input?.label,
      c.input?.title,
      c.input?.placeholder,
    ]),
    ...(message.links ?? []).flatMap((l) => [l.label, l.url]),
    ...(message.images ?? []).flatMap((i) => [i.alt, i.name]),
    ...(message.files ?? []).flatMap((f) => [f.name, f.mimeType]),
  ].filter((s): s is string => typeof s === "string");
}

/** Every way a reply breaks the shape of the message model, in words; empty when it is well formed. */
export function messageProblems(message: unknown): string[] {
  if (typeof message !== "object" || message === null) return ["not an object"];
  const m = message as Message;
  const problems: string[] = [];
  const string = (what: string, value: unknown, required = false) => {
    if (value === undefined && !required) return;
    if (typeof value !== "string") problems.push(`${what} is not a string`);
    else if (required && value.trim() === "") problems.push(`${what} is blank`);
  };
  for (const key of Object.keys(m)) if (!messageKeys.has(key)) problems.push(`unknown key ${key}`);
  string("title", m.title);
  string("text", m.text);
  string("footer", m.footer);
  string("field", m.field);
  if (m.tone !== undefined && !["info", "success", "warning", "error"].includes(m.tone)) {
    problems.push(`tone ${String(m.tone)}`);
  }
  if (m.visibility !== undefined && !["public", "private"].includes(m.visibility)) {
    problems.push(`visibility ${String(m.visibility)}`);
  }
  for (const [i, section] of (m.sections ?? []).entries()) {
    string(`section ${i} heading`, section.heading);
    string(`section ${i} text`, section.text);
  }
  for (const [i, field] of (m.fields ?? []).entries()) {
    string(`field ${i} name`, field.name);
    string(`field ${i} value`, field.value);
  }
  if (m.progress) {
    const { current, total } = m.progress;
    if (!Number.isFinite(current) || !Number.isFinite(total) || total < 0) {
      problems.push(`progress ${current}/${total}`);
    }
    string("progress label", m.progress.label);
  }
  for (const [i, choice] of (m.choices ?? []).entries()) {
    string(`choice ${i} command`, choice.action?.command, true);
    for (const [name, value] of Object.entries(choice.action?.args ?? {})) {
      string(`choice ${i} argument ${name}`, value, true);
    }
    string(`choice ${i} label`, choice.label, true);
    if (choice.input) {
      string(`choice ${i} input label`, choice.input.label, true);
      string(`choice ${i} input title`, choice.input.title);
    }
  }
  for (const [i, link] of (m.links ?? []).entries()) {
    string(`link ${i} label`, link.label, true);
    if (!URL.canParse(link.url)) problems.push(`link ${i} url ${link.url} does not parse`);
  }
  for (const [i, image] of (m.images ?? []).entries()) {
    if (!(image.png instanceof Uint8Array) || image.png.length === 0)
      problems.push(`image ${i} has no bytes`);
    string(`image ${i} name`, image.name, true);
    string(`image ${i} alt`, image.alt);
  }
  if (m.picturesLater !== undefined && !(m.picturesLater instanceof Promise)) {
    problems.push("picturesLater is not a promise");
  }
  for (const [i, file] of (m.files ?? []).entries()) {
    if (!(file.data instanceof Uint8Array)) problems.push(`file ${i} has no bytes`);
    string(`file ${i} name`, file.name, true);
  }
  const shows =
    Boolean(m.title?.trim() || m.text?.trim()) ||
    Boolean(
      m.fields?.length || m.sections?.length || m.choices?.length || m.images?.length || m.files?.length,
    );
  if (!shows) problems.push("shows nothing");
  if (m.tone === "error" && !m.text?.trim()) problems.push("an error without words");
  if (internalFailure.test(m.text ?? "")) problems.push(`internal failure: ${m.text}`);
  return problems;
}

/** What a text line must get back, read off the core's own parser and the command's schema. */
export type LineExpectation =
  | { kind: "nothing" }
  /** An error-tone reply whose words include each of these. */
  | { kind: "error"; mentions: string[] }
  /** Valid as far as parsing goes: the handler decides. */
  | { kind: "handled"; command: AnyCommand };

export function expectationFor(line: string, actor: Actor, commands: readonly AnyCommand[]): LineExpectation {
  const parsed = parseLine(line, commands);
  switch (parsed.kind) {
    case "empty":
      return { kind: "nothing" };
    case "unknown":
      return { kind: "error", mentions: ["/help"] };
    case "needs-subcommand":
      return { kind: "error", mentions: [`/${parsed.group} needs one of`] };
    case "too-many-arguments":
      return { kind: "error", mentions: [`Usage: ${usage(parsed.command)}`] };
    case "command":
      return argsExpectation(parsed.command, parsed.args, actor);
  }
}

/** The same for arguments given apart (Discord's options): refused, invalid, or the handler's to answer. */
export function argsExpectation(
  command: AnyCommand,
  args: Record<string, string>,
  actor: Actor,
): LineExpectation {
  if (command.audience === "moderator" && !actor.isModerator) {
    return { kind: "error", mentions: [`/${command.name} is for moderators`] };
  }
  if (!command.input.safeParse(args).success) {
    return { kind: "error", mentions: [`/${command.name}:`, `Usage: ${usage(command)}`] };
  }
  return { kind: "handled", command };
}

/** How a reply falls short of what was expected, in words; empty when it matches. */
export function expectationProblems(
  expected: LineExpectation,
  reply: Message | undefined,
  /** The platform's way of naming commands in replies, e.g. "/quiz" → "/quorum quiz" on Slack. */
  localize: (text: string) => string = (text) => text,
): string[] {
  if (expected.kind === "nothing") return reply === undefined ? [] : ["a reply to an empty line"];
  if (!reply) return ["no reply"];
  const problems = messageProblems(reply);
  if (expected.kind === "error") {
    if (reply.tone !== "error") problems.push(`tone ${reply.tone ?? "info"}, not error`);
    const words = messageStrings(reply).join("\n");
    for (const mention of expected.mentions.map(localize)) {
      if (!words.includes(mention)) problems.push(`does not say "${mention}"`);
    }
  }
  return problems;
}

/** Learners and moderators of a platform, with any display name. */
export function actorFor(
  platform: Platform,
  role: "learner" | "moderator",
  displayName: string,
  ids: { space: string; channel: string },
): Actor {
  return {
    platform,
    spaceExternalId: ids.space,
    spaceName: "Hostile test space",
    userExternalId: role === "moderator" ? `${platform}-mod` : `${platform}-learner`,
    displayName,
    isModerator: role === "moderator",
    channelExternalId: ids.channel,
  };
}
