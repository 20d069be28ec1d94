// Tests draw their pseudo-random runs from the same generator the core shuffles choices with.
export { seededRandom } from "../src/core/rules/seeded-random.js";
