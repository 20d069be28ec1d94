import { describe, expect, it } from "vitest";
import { createPrometheusMetrics } from "./metrics.js";

describe("Prometheus metrics", () => {
  it("given handled commands, counts them by name and outcome and observes their time", async () => {
    const prom = createPrometheusMetrics({ queueDepth: () => 0, databaseBytes: () => 0 });
    prom.metrics.commandHandled("answer", "ok", 0.002);
    prom.metrics.commandHandled("answer", "ok", 0.003);
    prom.metrics.commandHandled("answer", "invalid", 0.001);
    const text = await prom.render();
    expect(text).toContain('quorum_commands_total{command="answer",outcome="ok"} 2');
    expect(text).toContain('quorum_commands_total{command="answer",outcome="invalid"} 1');
    expect(text).toContain('quorum_command_duration_seconds_count{command="answer"} 3');
  });

  it("given gradings, posts and a sending right taken and lost, reports grading time per engine, posts per outcome and which platforms this process sends", async () => {
    const prom = createPrometheusMetrics({ queueDepth: () => 0, databaseBytes: () => 0 });
    prom.metrics.challengeGraded("postgres", "pass", 0.02);
    prom.metrics.postFinished("discord", "sent");
    prom.metrics.postFinished("slack", "skipped");
    prom.metrics.sendingChanged("slack", true);
    prom.metrics.sendingChanged("discord", true);
    prom.metrics.sendingChanged("discord", false);
    const text = await prom.render();
    expect(text).toContain('quorum_grading_duration_seconds_count{engine="postgres",verdict="pass"} 1');
    expect(text).toContain('quorum_posts_total{platform="discord",outcome="sent"} 1');
    expect(text).toContain('quorum_posts_total{platform="slack",outcome="skipped"} 1');
    expect(text).toContain('quorum_sending{platform="slack"} 1');
    expect(text).toContain('quorum_sending{platform="discord"} 0');
  });

  it("given a scrape, reads queue depth and database size at that moment", async () => {
    let depth = 3;
    const prom = createPrometheusMetrics({ queueDepth: () => depth, databaseBytes: () => 40_960 });
    expect(await prom.render()).toContain("quorum_outbound_queue_depth 3");
    depth = 0;
    const text = await prom.render();
    expect(text).toContain("quorum_outbound_queue_depth 0");
    expect(text).toContain("quorum_database_size_bytes 40960");
  });

  it("given two instances, neither sees the other's counts", async () => {
    const first = createPrometheusMetrics({ queueDepth: () => 0, databaseBytes: () => undefined });
    const second = createPrometheusMetrics({ queueDepth: () => 0, databaseBytes: () => undefined });
    first.metrics.commandHandled("help", "ok", 0.001);
    expect(await second.render()).not.toContain('command="help"');
  });
});
