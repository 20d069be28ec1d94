import { describe, expect, it } from "vitest";
import { matchesNumber } from "./numeric-answer.js";

describe("numeric short answers", () => {
  it("given a key in megabytes, accepts the number with separators, without a unit, or with the same unit", () => {
    for (const given of ["6400", "6,400", "6400 MB", "6400MB", "6,400 mb", "6400.0"])
      expect(matchesNumber("6400 MB", given), given).toBe(true);
  });

  it("given a key in megabytes, rejects another number, another unit and a misplaced separator", () => {
    for (const given of ["640", "6401", "6400 GB", "64,00", "6400 kB", "about 6400"])
      expect(matchesNumber("6400 MB", given), given).toBe(false);
  });

  it("given a percentage key, accepts trailing zeros and the sign spelled or spaced", () => {
    for (const given of ["99.5", "99.50", "99.5%", "99.5 %", "99.5 percent"])
      expect(matchesNumber("99.5%", given), given).toBe(true);
    expect(matchesNumber("99%", "99.0%")).toBe(true);
    expect(matchesNumber("99.5%", "99.4")).toBe(false);
    expect(matchesNumber("99.5%", "0.995")).toBe(false);
  });

  it("given a key with a word unit, accepts it singular or plural and rejects another word", () => {
    expect(matchesNumber("10 connections", "10 connections")).toBe(true);
    expect(matchesNumber("10 connections", "10")).toBe(true);
    expect(matchesNumber("10 connections", "10 connection")).toBe(true);
    expect(matchesNumber("10 connections", "10 servers")).toBe(false);
    expect(matchesNumber("10 connections", "11")).toBe(false);
  });

  it("given a key that is not a number, matches nothing numerically", () => {
    expect(matchesNumber("HAVING", "HAVING")).toBe(false);
    expect(matchesNumber("pg_dump", "0")).toBe(false);
  });
});
