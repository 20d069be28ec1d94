/** ObjectId-shaped ids for ObjectId() in a query and for inserted documents without an _id. */

let oidCounter = Math.floor(Math.random() * 0xffffff);
const oidRandom = Array.from({ length: 5 }, () =>
  Math.floor(Math.random() * 256)
    .toString(16)
    .padStart(2, "0"),
).join("");

/** A 24-hex-digit id shaped like an ObjectId (time, random, counter), as a plain string. */
export function newObjectId(): string {
  oidCounter = (oidCounter + 1) % 0xffffff;
  const time = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, "0");
  return time + oidRandom + oidCounter.toString(16).padStart(6, "0");
}
