/**
 * The neutral message every command returns and every adapter renders:
 * Discord embeds and components, Slack Block Kit, ANSI text in the terminal.
 * Text is a small Markdown subset: **bold**, *italic*, `code`, fenced code, [label](url), lists.
 */
export interface Message {
  title?: string;
  /** Markdown shown first, under the title. */
  text?: string;
  /** Longer content in named parts; adapters may split a message at section borders. */
  sections?: Section[];
  fields?: Field[];
  progress?: Progress;
  /** Buttons or choices the reader can press; each runs its typed action. */
  choices?: Choice[];
  links?: LinkButton[];
  /** Pictures (PNG); the text of the message must stand on its own without them. */
  images?: Image[];
  /**
   * Pictures still being drawn when the text was ready: the reply goes out at once, and the adapter
   * adds these (or the line saying why there are none) when this settles. Never rejects.
   */
  picturesLater?: Promise<LatePictures>;
  /** Downloads such as a CSV export. */
  files?: FileAttachment[];
  footer?: string;
  tone?: Tone;
  /** Private replies are seen only by the person who asked (ephemeral on Discord and Slack). */
  visibility?: "public" | "private";
  /** The argument a refusal is about, so a web form can show it beside that field; chat ignores it. */
  field?: string;
}

export type Tone = "info" | "success" | "warning" | "error";

export interface Section {
  heading: string;
  text: string;
}

export interface Field {
  name: string;
  value: string;
  inline?: boolean;
}

export interface Progress {
  current: number;
  total: number;
  label?: string;
}

/**
 * What pressing a choice runs: a command by its name and its first arguments, as text, in the order
 * the command declares them (build one with `actionFor`). Nothing reads it as a command line: each
 * adapter writes it into its own id and reads it back, and the command's schema validates the
 * arguments when it runs.
 */
export interface Action {
  /** The command's name, e.g. "answer" or "cohort info". */
  command: string;
  args: Readonly<Record<string, string>>;
}

export interface Choice {
  label: string;
  style?: "primary" | "secondary" | "danger";
  action: Action;
  /** Pressing asks for text first (a Discord modal, a Slack view); it fills the first argument the action leaves out. */
  input?: ChoiceInput;
}

/** The words of the form a choice opens; the command's `form` gives them (see `actionForm`). */
export interface ChoiceInput {
  /** The form's title, e.g. the challenge's name. */
  title: string;
  /** The field's label, e.g. "Your SQL". */
  label: string;
  placeholder?: string;
  multiline: boolean;
}

export interface LinkButton {
  label: string;
  url: string;
}

export interface Image {
  /** Text shown where the picture cannot be. */
  alt: string;
  /** A file name with its extension, e.g. "leaderboard-week-3.png". */
  name: string;
  png: Uint8Array;
}

/** What a reply's pictures came to once drawn: the pictures, or a short line saying why they were left out. */
export interface LatePictures {
  images: Image[];
  /** One short Markdown line, shown where the pictures would have been. */
  note?: string;
}

export interface FileAttachment {
  /** A file name with its extension, e.g. "cohort-spring.csv". */
  name: string;
  mimeType: string;
  data: Uint8Array;
}

/** A short reply that says what was wrong and what would be right. */
export function problem(text: string, hint?: string): Message {
  return {
    tone: "error",
    text: hint === undefined ? text : `${text}\n${hint}`,
    visibility: "private",
  };
}

/** The same refusal, marked as being about one argument. */
export function about(field: string, message: Message): Message {
  return { ...message, field };
}

export function success(text: string, extra: Omit<Message, "text" | "tone"> = {}): Message {
  return { ...extra, tone: "success", text };
}

/** The message as it reads once its late pictures are in: them added, or the line saying why not. */
export function withLatePictures(message: Message, late: LatePictures): Message {
  const { picturesLater: _settled, ...rest } = message;
  const images = [...(message.images ?? []), ...late.images];
  const text = [message.text, late.note].filter((part) => part !== undefined && part !== "").join("\n\n");
  return { ...rest, ...(images.length ? { images } : {}), ...(text ? { text } : {}) };
}

/** The whole message, pictures drawn, for whatever is not read by someone waiting (scheduled posts). */
export async function withPicturesDrawn(message: Message): Promise<Message> {
  return message.picturesLater ? withLatePictures(message, await message.picturesLater) : message;
}
