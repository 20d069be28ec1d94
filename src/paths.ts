import { fileURLToPath } from "node:url";

/** The folder holding package.json, whether running from src/ (tsx) or dist/ (node). */
export const appRoot = fileURLToPath(new URL("..", import.meta.url));
export const defaultCurriculumDir = fileURLToPath(new URL("../curriculum", import.meta.url));
export const migrationsDir = fileURLToPath(new URL("../migrations", import.meta.url));
export const postgresMigrationsDir = fileURLToPath(new URL("../migrations-postgres", import.meta.url));
/** The dashboard's stylesheet and script, served by the bot itself (no CDN). */
export const webAssetsDir = fileURLToPath(new URL("../assets/web", import.meta.url));
