import type { Image, LatePictures, Message } from "../messages.js";
import type { Logger } from "../ports/logger.js";
import type { PictureOutcome, PictureRenderer } from "../ports/pictures.js";
import type { WorkGate } from "../work-gate.js";

export interface PictureDeps {
  pictures: PictureRenderer;
  logger: Logger;
  /** Counts a picture still drawing as work in hand, so a shutdown lets it finish and be sent. */
  gate?: WorkGate;
}

/** What a reply says when its picture was left out because the bot is drawing many at once. */
export const PICTURE_SKIPPED =
  "*The picture is left out: many are being drawn right now. Ask again in a moment to see it.*";

/** What a reply says when its picture could not be drawn. */
export const PICTURE_FAILED =
  "*The picture could not be drawn this time; everything it shows is in the text.*";

/**
 * A picture for a message: drawn already (`images`), left out with a line saying why (`note`), or
 * still drawing (`later`), in which case the reply goes out without waiting for it.
 */
export interface DrawnPicture {
  images: Image[];
  note?: string;
  later?: Promise<LatePictures>;
}

const PENDING = Symbol("pending");

/**
 * The outcome when `png` has already settled, else PENDING, without waiting for any drawing. A
 * settled promise's reaction is queued before the sentinel's, so it wins the race: a full queue
 * ("busy", answered at once) and a picture drawn before (the cache) are known at reply time.
 */
function settledOutcome(drawing: Promise<PictureOutcome>): Promise<PictureOutcome | typeof PENDING> {
  return Promise.race([drawing, Promise.resolve(PENDING)]);
}

function failure(detail: unknown): PictureOutcome {
  return { ok: false, reason: "failed", detail: detail instanceof Error ? detail.message : String(detail) };
}

/**
 * Starts drawing a picture and never waits for it: a picture already known (drawn before, or refused
 * because every drawer is busy) is part of the reply; one still drawing follows the reply. A picture
 * left out, busy or failed, comes with a line saying so.
 */
export async function picture(
  deps: PictureDeps,
  svg: () => string,
  alt: string,
  name: string,
): Promise<DrawnPicture> {
  const drawing = deps.pictures.png(svg());
  const asLate = (outcome: PictureOutcome): LatePictures => {
    if (outcome.ok) return { images: [{ alt, name, png: outcome.png }] };
    if (outcome.reason === "busy") return { images: [], note: PICTURE_SKIPPED };
    deps.logger.warn({ picture: name, detail: outcome.detail }, "picture not drawn; the text stands alone");
    return { images: [], note: PICTURE_FAILED };
  };
  const now = await settledOutcome(drawing).catch(failure);
  if (now !== PENDING) return asLate(now);
  const later = drawing.then(asLate, (error: unknown) => asLate(failure(error)));
  void deps.gate?.track(later);
  return { images: [], later };
}

/** The message parts a picture gives: its image now, or the promise of it. */
export function pictureParts(drawn: DrawnPicture): Pick<Message, "images" | "picturesLater"> {
  return drawn.later ? { images: drawn.images, picturesLater: drawn.later } : { images: drawn.images };
}
