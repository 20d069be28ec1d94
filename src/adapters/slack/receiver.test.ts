import { describe, expect, it } from "vitest";
import { TIMESTAMP_WINDOW_SECONDS, timestampFresh } from "./receiver.js";

const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const at = (offsetSeconds: number | string | undefined) => ({
  headers:
    offsetSeconds === undefined
      ? {}
      : {
          "x-slack-request-timestamp":
            typeof offsetSeconds === "string" ? offsetSeconds : String(now / 1000 + offsetSeconds),
        },
});

describe("the request timestamp window", () => {
  it("given a timestamp within five minutes either way, the request is fresh", () => {
    expect(timestampFresh(at(0), now)).toBe(true);
    expect(timestampFresh(at(-TIMESTAMP_WINDOW_SECONDS), now)).toBe(true);
    expect(timestampFresh(at(TIMESTAMP_WINDOW_SECONDS), now)).toBe(true);
  });

  it("given a timestamp more than five minutes old or ahead, it is refused", () => {
    expect(timestampFresh(at(-TIMESTAMP_WINDOW_SECONDS - 1), now)).toBe(false);
    expect(timestampFresh(at(TIMESTAMP_WINDOW_SECONDS + 1), now)).toBe(false);
  });

  it("given no timestamp or one that is not a number, it is refused", () => {
    expect(timestampFresh(at(undefined), now)).toBe(false);
    expect(timestampFresh(at("soon"), now)).toBe(false);
  });
});
