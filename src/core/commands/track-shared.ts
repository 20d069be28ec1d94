import { findTrack } from "../curriculum/query.js";
import type { Curriculum, Track } from "../curriculum/schema.js";
import { err, ok, type Result } from "../result.js";

export function laneNames(track: Track): string {
  const names = { postgres: "PostgreSQL", nosql: "NoSQL (MongoDB & Redis)" } as const;
  return track.lanes.map((lane) => names[lane]).join(" and ");
}

/** A track by what a person typed, or the reply that lists the real ones. */
export function resolveTrack(curriculum: Curriculum, query: string): Result<Track, string> {
  const track = findTrack(curriculum, query);
  if (track) return ok(track);
  return err(`Tracks: ${curriculum.tracks.map((t) => t.id).join(", ")}`);
}
