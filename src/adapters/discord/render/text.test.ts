import { describe, expect, it } from "vitest";
import { discordMarkdown, plainInline } from "./text.js";

describe("Discord text helpers", () => {
  it("given a channel named by its id, Discord's channel mention shows it; other hashes stay as typed", () => {
    expect(discordMarkdown("Posts go to #123456789012345678 from now on.")).toBe(
      "Posts go to <#123456789012345678> from now on.",
    );
    expect(discordMarkdown("Item #12 and #general")).toBe("Item #12 and #general");
  });

  it("given headings, makes them bold lines and leaves code blocks alone", () => {
    expect(discordMarkdown("# Joins\n## **Inner** joins\ntext\n```\n# not a heading\n```")).toBe(
      "**Joins**\n**Inner joins**\ntext\n```\n# not a heading\n```",
    );
  });

  it("given Markdown for a title or footer, drops the marks and keeps link labels", () => {
    expect(plainInline("**Week 3** · *joins* · `JOIN` · [docs](https://example.org/x)")).toBe(
      "Week 3 · joins · JOIN · docs",
    );
    expect(plainInline("/answer w3-q2 a,c")).toBe("/answer w3-q2 a,c");
  });
});
