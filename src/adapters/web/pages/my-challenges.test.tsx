import { describe, expect, it } from "vitest";
import type { MyChallenge, MyChallenges } from "../../../core/services/my-challenges.js";
import { MyChallengesPage } from "./my-challenges.js";

function challenge(overrides: Partial<MyChallenge> = {}): MyChallenge {
  return {
    id: "store-customer-order-counts",
    title: "Orders per customer",
    engine: "SQLite",
    week: 2,
    difficulty: "easy",
    solved: true,
    attemptCount: 2,
    attempts: [
      {
        iso: "2026-03-04T10:10:00.000Z",
        when: "Wed 2026-03-04 11:10 CET",
        correct: true,
        query: "SELECT customer_id, count(*) FROM orders GROUP BY 1",
        feedback: { kind: "passed" },
      },
      {
        iso: "2026-03-04T10:00:00.000Z",
        when: "Wed 2026-03-04 11:00 CET",
        correct: false,
        query: "SELECT * FROM orders",
        feedback: {
          kind: "grader",
          text: "Your result has 5 columns; the task asks for 2: customer_id, orders.",
        },
      },
    ],
    ...overrides,
  };
}

function view(overrides: Partial<MyChallenges> = {}): MyChallenges {
  return {
    name: "ana",
    zone: "Europe/Berlin",
    challenges: [challenge()],
    solved: 1,
    available: 24,
    truncated: false,
    ...overrides,
  };
}

const render = (v: MyChallenges) => String(<MyChallengesPage view={v} />);

describe("my challenges page", () => {
  it("given attempts, shows each challenge with its attempts newest first: verdict, time, query and feedback", () => {
    const html = render(view());
    expect(html).toContain("<h1>My challenges</h1>");
    expect(html).toContain("Solved 1 of 24 challenges.");
    expect(html).toContain('<h2 id="challenge-store-customer-order-counts">Orders per customer</h2>');
    expect(html).toContain("SQLite · week 2 · easy · 2 attempts");
    expect(html).toContain('<span class="badge ok">solved</span>');
    expect(html).toContain('<ol reversed="" start="2">');
    const newest = html.indexOf("Attempt 2:");
    const oldest = html.indexOf("Attempt 1:");
    expect(newest).toBeGreaterThan(0);
    expect(oldest).toBeGreaterThan(newest);
    expect(html).toContain('<time datetime="2026-03-04T10:10:00.000Z">Wed 2026-03-04 11:10 CET</time>');
    expect(html).toContain("<pre><code>SELECT customer_id, count(*) FROM orders GROUP BY 1</code></pre>");
    expect(html).toContain("Right on the dataset and on every hidden variant.");
    expect(html).toContain("<p>Your result has 5 columns; the task asks for 2: customer_id, orders.</p>");
    expect(html).toContain('<span class="badge bad">not yet</span>');
  });

  it("given a query and feedback holding markup, escapes both", () => {
    const hostile = challenge({
      title: "<script>alert(1)</script>",
      attempts: [
        {
          iso: "2026-03-04T10:00:00.000Z",
          when: "Wed 2026-03-04 11:00 CET",
          correct: false,
          query: "SELECT '</code><script>alert(1)</script>' AS x",
          feedback: { kind: "grader", text: "Row 1 differs: expected (<b>), got (</p><script>)" },
        },
      ],
      attemptCount: 1,
      solved: false,
    });
    const html = render(view({ challenges: [hostile] }));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("<b>");
    expect(html).toContain(
      "<pre><code>SELECT &#39;&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39; AS x</code></pre>",
    );
    expect(html).toContain("Row 1 differs: expected (&lt;b&gt;), got (&lt;/p&gt;&lt;script&gt;)");
    expect(html).toContain('<span class="badge warn">not solved yet</span>');
  });

  it("given a failed attempt stored without feedback, says none was kept", () => {
    const old = challenge({
      solved: false,
      attemptCount: 1,
      attempts: [
        {
          iso: "2026-01-04T10:00:00.000Z",
          when: "Sun 2026-01-04 11:00 CET",
          correct: false,
          query: "SELECT 1",
          feedback: { kind: "not-kept" },
        },
      ],
    });
    expect(render(view({ challenges: [old] }))).toContain("No feedback was kept for this attempt.");
  });

  it("given more attempts than listed, says how many older ones are left out", () => {
    const html = render(view({ challenges: [challenge({ attemptCount: 7 })], truncated: true }));
    expect(html).toContain("5 older attempts not shown.");
    expect(html).toContain("Showing your newest 500 attempts; older ones are left out.");
    expect(html).toContain("Attempt 7:");
    expect(html).toContain("Attempt 6:");
  });

  it("given no attempts, explains how to send one", () => {
    const html = render(view({ challenges: [], solved: 0 }));
    expect(html).toContain("Solved 0 of 24 challenges.");
    expect(html).toContain('<h2 id="no-attempts">No attempts yet</h2>');
    expect(html).toContain("<code>/submit &lt;id&gt; &lt;query&gt;</code>");
    expect(html).not.toContain("<ol");
  });

  it("given any view, keeps headings in order and uses no inline style or script", () => {
    const html = render(view());
    const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
    expect(levels).toEqual([1, 2, 3, 3]);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/<script/i);
  });
});
