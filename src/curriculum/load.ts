import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { isMap, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import { Challenge, DatasetSpec, QuizFile, type QuizItem } from "../core/curriculum/bank.js";
import {
  type Curriculum,
  ProjectsFile,
  Roadmap,
  type Track,
  TracksFile,
  Week,
} from "../core/curriculum/schema.js";

export interface CurriculumError {
  file: string;
  /** Dotted path inside the file, e.g. `lanes[0].topics[2].explanation`. */
  path: string;
  line?: number;
  message: string;
}

export type LoadResult = { ok: true; curriculum: Curriculum } | { ok: false; errors: CurriculumError[] };

export function formatCurriculumError(error: CurriculumError): string {
  const where = error.line === undefined ? error.file : `${error.file}:${error.line}`;
  return error.path ? `${where} ${error.path}: ${error.message}` : `${where}: ${error.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${String(key)}`))
    .join("");
}

interface ParsedFile {
  file: string;
  value: unknown;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

function readYaml(dir: string, absolute: string, errors: CurriculumError[]): ParsedFile | undefined {
  const file = relative(dir, absolute) || absolute;
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (cause) {
    errors.push({ file, path: "", message: `cannot read: ${(cause as Error).message}` });
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = lineCounter.linePos(error.pos[0]).line;
      errors.push({ file, path: "", line, message: `YAML: ${error.message.split("\n")[0]}` });
    }
    return undefined;
  }
  return {
    file,
    value: doc.toJS(),
    lineOf(path) {
      // Walk as deep as the document goes: a missing key points at its parent.
      let node: unknown = doc.contents;
      let found: Node | undefined = doc.contents ?? undefined;
      for (const key of path) {
        if (isMap(node) || isSeq(node)) {
          const next: unknown = node.get(key as string | number, true);
          if (next === undefined) break;
          node = next;
          found = next as Node;
        } else break;
      }
      const offset = found?.range?.[0];
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    },
  };
}

function validate<T>(parsed: ParsedFile, schema: z.ZodType<T>, errors: CurriculumError[]): T | undefined {
  const result = schema.safeParse(parsed.value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const line = parsed.lineOf(issue.path);
    errors.push({
      file: parsed.file,
      path: formatPath(issue.path),
      ...(line === undefined ? {} : { line }),
      message: issue.message,
    });
  }
  return undefined;
}

/**
 * Reads `roadmap.yaml`, `tracks.yaml`, `projects.yaml` and `weeks/*.yaml`,
 * validates each with zod and checks the references between them.
 */
export function loadCurriculum(dir: string): LoadResult {
  const errors: CurriculumError[] = [];
  const load = <T>(name: string, schema: z.ZodType<T>): T | undefined => {
    const parsed = readYaml(dir, join(dir, name), errors);
    return parsed && validate(parsed, schema, errors);
  };

  const roadmap = load("roadmap.yaml", Roadmap);
  const tracks = load("tracks.yaml", TracksFile)?.tracks;
  const projects = load("projects.yaml", ProjectsFile)?.projects;

  let weekFiles: string[] = [];
  try {
    weekFiles = readdirSync(join(dir, "weeks"))
      .filter((name) => name.endsWith(".yaml"))
      .sort();
  } catch (cause) {
    errors.push({ file: "weeks/", path: "", message: `cannot read: ${(cause as Error).message}` });
  }
  const weeks: Week[] = [];
  for (const name of weekFiles) {
    const week = load(join("weeks", name), Week);
    if (!week) continue;
    const expectedName = `${String(week.week).padStart(2, "0")}.yaml`;
    if (name !== expectedName) {
      errors.push({
        file: join("weeks", name),
        path: "week",
        message: `week ${week.week} belongs in weeks/${expectedName}`,
      });
    }
    weeks.push(week);
  }

  const yamlIn = (folder: string): string[] => {
    try {
      return readdirSync(join(dir, folder))
        .filter((name) => name.endsWith(".yaml"))
        .sort()
        .map((name) => join(folder, name));
    } catch {
      return []; // The bank is optional: a curriculum may have no questions yet.
    }
  };
  const items: QuizItem[] = [];
  const itemFiles = new Map<string, string>();
  for (const file of yamlIn("questions")) {
    for (const item of load(file, QuizFile)?.items ?? []) {
      items.push(item);
      if (!itemFiles.has(item.id)) itemFiles.set(item.id, file);
    }
  }
  const challenges: Challenge[] = [];
  for (const file of yamlIn("challenges")) {
    const challenge = load(file, Challenge);
    if (challenge) challenges.push(challenge);
  }
  const datasets: DatasetSpec[] = [];
  for (const file of yamlIn("datasets")) {
    const dataset = load(file, DatasetSpec);
    if (dataset) datasets.push(dataset);
  }

  if (roadmap && tracks && projects && errors.length === 0) {
    const curriculum = { roadmap, weeks, tracks, projects, bank: { items, challenges, datasets } };
    crossCheck(curriculum, errors);
    if (errors.length === 0) checkBank(curriculum, itemFiles, errors);
  }
  if (errors.length > 0 || !roadmap || !tracks || !projects) return { ok: false, errors };
  weeks.sort((a, b) => a.week - b.week);
  return {
    ok: true,
    curriculum: { roadmap, weeks, tracks, projects, bank: { items, challenges, datasets } },
  };
}

/** References inside the bank: topics, tracks, datasets and engines must exist and agree; ids are unique. */
function checkBank(curriculum: Curriculum, itemFiles: Map<string, string>, errors: CurriculumError[]): void {
  const { items, challenges, datasets } = curriculum.bank;
  const topics = new Set(curriculum.weeks.flatMap((w) => w.lanes.flatMap((l) => l.topics.map((t) => t.id))));
  const tracks = new Set(curriculum.tracks.map((t) => t.id));
  const seen = new Map<string, string>();
  const unique = (kind: string, itemId: string, file: string) => {
    const other = seen.get(itemId);
    if (other) errors.push({ file, path: "id", message: `"${itemId}" is already the id of ${other}` });
    seen.set(itemId, `${kind} in ${file}`);
  };
  const references = (file: string, where: string, ref: { topics: string[]; tracks: string[] }) => {
    ref.topics.forEach((topic, i) => {
      if (!topics.has(topic))
        errors.push({ file, path: `${where}topics[${i}]`, message: `no topic has the id "${topic}"` });
    });
    ref.tracks.forEach((track, i) => {
      if (!tracks.has(track))
        errors.push({ file, path: `${where}tracks[${i}]`, message: `no track has the id "${track}"` });
    });
  };
  for (const item of items) {
    const file = itemFiles.get(item.id) ?? "questions/";
    unique("a quiz item", item.id, file);
    references(file, `items[id=${item.id}].`, item);
  }
  for (const dataset of datasets) unique("a dataset", dataset.id, `datasets/${dataset.id}.yaml`);
  for (const week of curriculum.weeks) {
    week.lanes.forEach((lane, laneIndex) => {
      const ref = lane.exercise.challenge;
      if (ref === undefined) return;
      const challenge = challenges.find((c) => c.id === ref);
      const file = join("weeks", `${String(week.week).padStart(2, "0")}.yaml`);
      const path = `lanes[${laneIndex}].exercise.challenge`;
      if (!challenge) errors.push({ file, path, message: `no challenge has the id "${ref}"` });
      else if (challenge.week !== week.week) {
        errors.push({
          file,
          path,
          message: `challenge "${ref}" belongs to week ${challenge.week}, not week ${week.week}`,
        });
      }
    });
  }
  for (const challenge of challenges) {
    const file = join("challenges", `${challenge.id}.yaml`);
    unique("a challenge", challenge.id, file);
    references(file, "", challenge);
    const dataset = datasets.find((d) => d.id === challenge.dataset);
    if (!dataset)
      errors.push({ file, path: "dataset", message: `no dataset has the id "${challenge.dataset}"` });
    else if (dataset.engine !== challenge.engine) {
      errors.push({
        file,
        path: "dataset",
        message: `dataset "${dataset.id}" is for ${dataset.engine}, not ${challenge.engine}`,
      });
    }
    challenge.variants.forEach((variant, i) => {
      if (challenge.engine !== "mongodb") return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(variant.setup);
      } catch (cause) {
        parsed = cause;
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed) || parsed instanceof Error)
        errors.push({
          file,
          path: `variants[${i}].setup`,
          message: "a MongoDB variant is a JSON object of collection name → documents",
        });
    });
    if (challenge.writes && !challenge.check) {
      errors.push({
        file,
        path: "check",
        message: "a task that writes needs a check query to grade the result",
      });
    }
  }
}

function crossCheck(curriculum: Curriculum, errors: CurriculumError[]): void {
  const { roadmap, weeks, tracks, projects } = curriculum;
  const weekFile = (n: number) => join("weeks", `${String(n).padStart(2, "0")}.yaml`);

  const missing = Array.from({ length: 20 }, (_, i) => i + 1).filter((n) => !weeks.some((w) => w.week === n));
  for (const n of missing) errors.push({ file: weekFile(n), path: "", message: `week ${n} is missing` });
  // References into a missing week would only repeat the same problem.
  if (missing.length > 0) return;
  for (const week of weeks) {
    const phase = roadmap.phases.find((p) => week.week >= p.weeks[0] && week.week <= p.weeks[1]);
    if (phase && phase.id !== week.phase) {
      errors.push({
        file: weekFile(week.week),
        path: "phase",
        message: `week ${week.week} falls in the phase "${phase.id}" of roadmap.yaml, not "${week.phase}"`,
      });
    }
  }

  const topicIds = new Map<string, number>();
  for (const week of weeks) {
    week.lanes.forEach((lane, laneIndex) => {
      lane.topics.forEach((topic, topicIndex) => {
        const other = topicIds.get(topic.id);
        if (other !== undefined) {
          errors.push({
            file: weekFile(week.week),
            path: `lanes[${laneIndex}].topics[${topicIndex}].id`,
            message: `topic id "${topic.id}" is already used in week ${other}`,
          });
        }
        topicIds.set(topic.id, week.week);
      });
    });
  }

  const trackNames = new Map<string, string>();
  tracks.forEach((track: Track, index) => {
    for (const name of [track.id, ...track.aliases]) {
      const owner = trackNames.get(name);
      if (owner !== undefined) {
        errors.push({
          file: "tracks.yaml",
          path: `tracks[${index}]`,
          message: `"${name}" already names the track "${owner}"`,
        });
      }
      trackNames.set(name, track.id);
    }
    track.focusTopics.forEach((topic, topicIndex) => {
      if (!topicIds.has(topic)) {
        errors.push({
          file: "tracks.yaml",
          path: `tracks[${index}].focusTopics[${topicIndex}]`,
          message: `no topic has the id "${topic}"`,
        });
      }
    });
  });

  const projectIds = new Set<string>();
  projects.forEach((project, index) => {
    if (projectIds.has(project.id)) {
      errors.push({
        file: "projects.yaml",
        path: `projects[${index}].id`,
        message: `project id "${project.id}" is used twice`,
      });
    }
    projectIds.add(project.id);
    project.tracks.forEach((track, trackIndex) => {
      if (!tracks.some((t) => t.id === track)) {
        errors.push({
          file: "projects.yaml",
          path: `projects[${index}].tracks[${trackIndex}]`,
          message: `no track has the id "${track}"`,
        });
      }
    });
  });
}
