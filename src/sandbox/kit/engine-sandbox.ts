/**
 * What every engine's sandbox does the same way: a lane of the one pool, refusing attempts once it
 * is closed, the pre-flight check, the learner's turn on a child, the elapsed time. An engine adds
 * only its own check in the bot's process (`prepare`: a policy, a dataset parse) and what it asks
 * a child (`attempt`).
 */
import {
  defaultLimits,
  type Engine,
  type Limits,
  type RunRequest,
  type Sandbox,
} from "../../core/sandbox.js";
import { processLimits } from "../pool/limits.js";
import { type ChildHandle, type Lane, type LaneOptions, type Refusal, SandboxPool } from "../pool/pool.js";
import { closedFailure, type Outcome, type Result, refusalOutcome, timed } from "./outcome.js";
import { preflight, saneLimits } from "./preflight.js";

export interface EngineSandboxSpec<Reply, Prepared> {
  engine: Engine;
  /** The pool the engine children belong to (undefined: a pool of its own, closed with the sandbox). */
  pool: SandboxPool | undefined;
  /** The lane's options; by default 2 children, 64 waiting attempts, the engine's process limits. */
  lane: Omit<LaneOptions, "engine" | "size" | "queueCapacity" | "limits"> & {
    size?: number | undefined;
    queueCapacity?: number | undefined;
    limits?: LaneOptions["limits"];
  };
  /** Checks made before the attempt waits for a child; a refusal takes no child. */
  prepare?: (request: RunRequest, limits: Limits) => Result<Prepared> | Promise<Result<Prepared>>;
  /** The attempt on one child, in the learner's turn. */
  attempt: (
    child: ChildHandle<Reply>,
    request: RunRequest,
    limits: Limits,
    prepared: Prepared,
  ) => Promise<Outcome>;
  /** Called once the lane is closed. */
  onClose?: () => void;
}

export interface EngineSandbox extends Sandbox {
  readonly lane: Lane;
}

function isRefusal(value: unknown): value is Refusal {
  return typeof value === "object" && value !== null && "refused" in value;
}

export function engineSandbox<Reply, Prepared = undefined>(
  spec: EngineSandboxSpec<Reply, Prepared>,
): EngineSandbox {
  const ownPool = spec.pool === undefined;
  const pool = spec.pool ?? new SandboxPool();
  const { size = 2, queueCapacity = 64, ...lanePart } = spec.lane;
  const lane = pool.lane({
    engine: spec.engine,
    size: Math.max(1, size),
    queueCapacity,
    limits: (memoryMb) => processLimits(spec.engine, memoryMb),
    ...lanePart,
  });
  let closed = false;

  async function attempt(request: RunRequest, limits: Limits): Promise<Outcome> {
    if (closed) return closedFailure();
    const refused = preflight(spec.engine, request, limits);
    if (refused) return refused;
    const prepared = spec.prepare
      ? await spec.prepare(request, limits)
      : ({ ok: true, value: undefined as Prepared } as const);
    if (!prepared.ok) return prepared;
    const result = await lane.run(request.learner, limits.memoryMb, (child) =>
      spec.attempt(child as ChildHandle<Reply>, request, limits, prepared.value),
    );
    return isRefusal(result) ? refusalOutcome(result) : result;
  }

  return {
    engine: spec.engine,
    lane,
    run(request, given = defaultLimits) {
      return timed(() => attempt(request, saneLimits(given, defaultLimits)));
    },
    async close() {
      closed = true;
      await lane.close();
      if (ownPool) await pool.close();
      spec.onClose?.();
    },
  };
}
