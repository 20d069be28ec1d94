import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bold, escapeMrkdwn, plainText, slackMrkdwn } from "./mrkdwn.js";

describe("Slack mrkdwn", () => {
  it("given bold, italic and a link, writes them as Slack marks them", () => {
    expect(slackMrkdwn("Join **two** tables, *carefully*: [docs](https://example.org/joins).")).toBe(
      "Join *two* tables, _carefully_: <https://example.org/joins|docs>.",
    );
  });

  it("given headings and dash lists, makes bold lines and bullets", () => {
    expect(slackMrkdwn("# Joins\n## **Inner** joins\n- one\n  - nested\n* star")).toBe(
      "*Joins*\n*Inner joins*\n• one\n  • nested\n• star",
    );
  });

  it("given &, < and > in text, code and URLs, escapes them; a link's own brackets stay", () => {
    expect(slackMrkdwn("a < b && c > d")).toBe("a &lt; b &amp;&amp; c &gt; d");
    expect(slackMrkdwn("Answer with /answer w01-q1 <choice>")).toBe(
      "Answer with /answer w01-q1 &lt;choice&gt;",
    );
    expect(slackMrkdwn("`WHERE n <> 0`")).toBe("`WHERE n &lt;&gt; 0`");
    expect(slackMrkdwn("[R&D](https://example.org/?a=1&b=2)")).toBe(
      "<https://example.org/?a=1&amp;b=2|R&amp;D>",
    );
  });

  it("given code spans, leaves the marks inside them alone and still formats around them", () => {
    expect(slackMrkdwn("**see `SELECT *` now** and `**not bold**`")).toBe(
      "*see `SELECT *` now* and `**not bold**`",
    );
  });

  it("given a fenced block, keeps its lines as typed but escaped, and drops the language Slack would show", () => {
    expect(
      slackMrkdwn("Run:\n```sql\nSELECT * FROM t WHERE a < 1; -- **x**\n# not a heading\n```\n**after**"),
    ).toBe("Run:\n```\nSELECT * FROM t WHERE a &lt; 1; -- **x**\n# not a heading\n```\n*after*");
  });

  it("given code fenced on a single line, shows it as inline code rather than opening a block", () => {
    expect(slackMrkdwn("Try ```SELECT 1``` first")).toBe("Try `SELECT 1` first");
  });

  it("given a channel named by its Slack id, makes it a channel mention; other hashes stay", () => {
    expect(slackMrkdwn("Posts go to #C0123ABCDE from now on; item #12 and #general stay.")).toBe(
      "Posts go to <#C0123ABCDE> from now on; item #12 and #general stay.",
    );
  });

  it("given a URL with a bar, encodes the bar so the label is not cut into the link", () => {
    expect(slackMrkdwn("[x](https://example.org/a|b)")).toBe("<https://example.org/a%7Cb|x>");
  });

  it("given Markdown for a plain_text field, drops the marks, keeps link labels and joins lines", () => {
    expect(plainText("**Week 3** · *joins* · `JOIN` · [docs](https://example.org/x)")).toBe(
      "Week 3 · joins · JOIN · docs",
    );
    expect(plainText("# Title\nsecond   line")).toBe("Title second line");
    expect(plainText("/answer w3-q2 a,c <x>")).toBe("/answer w3-q2 a,c <x>");
  });

  it("given a name to show in bold, escapes it and keeps stray asterisks from breaking the bold", () => {
    expect(bold("**Q&A**")).toBe("*Q&amp;A*");
    expect(bold("SELECT *")).toBe("*SELECT ∗*");
    expect(bold("  ")).toBe("");
  });

  it("given any text, the result has no bare &, < or > except Slack's own links and mentions", () => {
    const piece = fc.constantFrom(
      "a",
      "b",
      " ",
      "\n",
      "&",
      "<",
      ">",
      "*",
      "**",
      "`",
      "[x](https://e.org/?a&b)",
      "#C0123ABCDE",
      "- ",
      "```",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const out = slackMrkdwn(pieces.join(""))
          .replace(/<https:[^<>|]*\|[^<>]*>/g, "")
          .replace(/<#C0123ABCDE>/g, "");
        expect(out).not.toMatch(/[<>]/);
        expect(out.replace(/&(amp|lt|gt);/g, "")).not.toContain("&");
      }),
    );
    expect(escapeMrkdwn("<&>")).toBe("&lt;&amp;&gt;");
  });
});
