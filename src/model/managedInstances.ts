import { sampler } from "../engine/distributions.js";
import type { Uniform } from "../engine/rng.js";
import type { Simulation } from "../engine/simulation.js";
import { COL, type FunctionMetrics } from "../metrics/functionMetrics.js";
import { usableVcpus } from "./cpuModel.js";
import { ERROR, SUCCESS, TIMEOUT } from "./environments.js";
import { streamingSeconds } from "./features.js";
import { countFailure, drawnOutcome, ErrorWindows } from "./outcomes.js";
import type { FunctionSpec, ManagedInstancesSpec } from "./types.js";

/*
 * A function on Lambda Managed Instances (docs/lambda-behaviour.md#lambda-managed-instances).
 *
 * Each execution environment runs up to maxConcurrencyPerEnvironment requests at once. A request
 * first does its CPU-bound work, then waits (I/O) for the rest of its handler time. The CPU-bound
 * requests of an environment share its vCPUs equally (processor sharing), each using at most its
 * handler's threads. Processor sharing is event-driven: every environment keeps a virtual time
 * that advances at the rate each of its CPU-bound requests is served; a request finishes its CPU
 * work when the virtual time reaches the value it had when the request started plus the request's
 * work. Only the environment's next finish is scheduled, and it is moved whenever a request starts
 * or finishes there. An event whose time is no longer the environment's next finish is stale and
 * ignored, so no event is ever cancelled.
 *
 * Scaling is asynchronous: every scalingInterval the scaler sizes the environments so their mean
 * CPU use and concurrency over the last interval sit at targetUtilization, keeps at least
 * minEnvironments, and launches what is missing; a new environment starts after its init, plus
 * instanceLaunchDelay when it needs a new instance. Requests never wait for an environment: with
 * none free they are throttled (429).
 */

/** Why a request was throttled. */
export interface ThrottleReasons {
  /** Every environment was running its maximum concurrency. */
  concurrency: number;
  /** Environments with a free slot had too many CPU-bound requests running. */
  cpu: number;
}

/** What the function's capacity did during the measured window. */
export interface ManagedInstancesUsage {
  instancesMax: number;
  /** Instance-hours within the measured window (what EC2 bills). */
  instanceHours: number;
  environmentsMax: number;
  /** Busy vCPU-seconds over instance vCPU-seconds in the window; 0 without instances. */
  cpuUtilizationMean: number;
  /** Environment-seconds with at least one request running, from the warm-up on. */
  busyEnvironmentSeconds: number;
  throttleReasons: ThrottleReasons;
}

/** What the platform does when a managed invocation ends: the invoker is told, the run may stop. */
export type EndedCallback = (fn: number, invoker: number, token: number, outcome: number, counted: boolean) => void;

/** Availability Zones environments are spread over, as Lambda does by default. */
const ZONES = 3;

/** Environments of `n` spread evenly over the zones, each zone's packed onto its own instances. */
export function instancesFor(n: number, perInstance: number): number {
  let instances = 0;
  for (let zone = 0; zone < ZONES; zone++) {
    const inZone = Math.floor(n / ZONES) + (zone < n % ZONES ? 1 : 0);
    instances += Math.ceil(inZone / perInstance);
  }
  return instances;
}

/** How many environments of this function fit on one instance; 0 when none does. */
export function environmentsPerInstance(mi: ManagedInstancesSpec, memoryMb: number): number {
  return Math.min(Math.floor(mi.instanceVcpus / mi.environmentVcpus + 1e-9), Math.floor(mi.instanceMemoryGiB / (memoryMb / 1024) + 1e-9));
}

export class ManagedFunction {
  private readonly mi: ManagedInstancesSpec;
  private readonly drawHandler: () => number;
  private readonly drawInit: () => number;
  private readonly outcomeDraw: Uniform;
  private readonly errorWindows: ErrorWindows;
  /** CPU work of a request, in vCPU-seconds per second of handler time at durationAtMemoryMb. */
  private readonly cpuPerSecond: number;
  private readonly waitPerSecond: number;
  /** Seconds each request streams its response past the first 6 MB: waiting, not CPU work. */
  private readonly streamSeconds: number;
  /** The vCPUs one request can use at once (its threads, at most the environment's). */
  private readonly jobCap: number;
  private readonly cpuLimit: number;
  private readonly perInstance: number;
  private readonly windowEnd: number;

  // Environments, by slot. A slot is never reused, so a stale event cannot name another environment.
  private readonly active: number[] = [];
  private readonly cpuJobs: number[] = [];
  private readonly vtime: number[] = [];
  private readonly lastAdvance: number[] = [];
  /** When the environment's next CPU finish is scheduled; -1 when none is. */
  private readonly pendingAt: number[] = [];
  private readonly heapF: number[][] = [];
  private readonly heapJob: number[][] = [];
  /** Environments that take requests. */
  private readonly ready: number[] = [];
  /** Environments launched and not ready yet. */
  private launching = 0;
  private roundRobin = 0;

  // Requests running, by slot (reused through a free list).
  private readonly jobInvoker: number[] = [];
  private readonly jobToken: number[] = [];
  private readonly jobRequestedAt: number[] = [];
  private readonly jobStart: number[] = [];
  private readonly jobWait: number[] = [];
  private readonly jobOutcome: number[] = [];
  private readonly jobCounted: boolean[] = [];
  /** The environment a request runs in; -1 for a free slot. */
  private readonly jobEnv: number[] = [];
  private readonly freeJobs: number[] = [];

  // Levels and their integrals: for the scaler since its last look, and over the measured window.
  private running = 0;
  private cpuBusy = 0;
  private instances = 0;
  private lastChange = 0;
  private scalerActiveArea = 0;
  private scalerCpuArea = 0;
  private lastLook = 0;
  private windowCpuArea = 0;
  private windowInstanceArea = 0;
  /** Environments running at least one request, and its integral from the warm-up on. */
  private busyEnvironments = 0;
  private busyEnvironmentArea = 0;
  private instancesMax = 0;
  private environmentsMax = 0;
  /** The environments each recent look asked for, newest last: scale-down keeps their maximum. */
  private readonly recentNeeds: number[] = [];
  private readonly throttleReasons: ThrottleReasons = { concurrency: 0, cpu: 0 };
  /** Requests throttled since the scaler's last look, measured window or not. */
  private throttledSinceLook = 0;

  private readonly CPU_DONE: number;
  private readonly WAIT_DONE: number;
  private readonly ENV_READY: number;
  private readonly LOOK: number;

  constructor(
    private readonly sim: Simulation,
    readonly fn: number,
    private readonly spec: FunctionSpec,
    private readonly metrics: FunctionMetrics,
    stream: (name: string) => Uniform,
    private readonly ended: EndedCallback,
    /** Arrivals end here (Infinity for a trace replayed to its end): instance-hours are billed up to it. */
    arrivalSpan: number,
  ) {
    const mi = spec.managedInstances;
    if (mi === undefined) throw new Error(`function ${spec.name} has no managedInstances settings`);
    this.mi = mi;
    const name = spec.name;
    // Streams of their own: the platform's per-function state draws from duration:<name> and the like.
    this.drawHandler = spec.duration ? sampler(spec.duration, stream(`managed-duration:${name}`)) : () => 0;
    this.drawInit = sampler(spec.init, stream(`managed-init:${name}`));
    this.outcomeDraw = stream(`managed-outcome:${name}`);
    this.errorWindows = new ErrorWindows(spec.errorWindows);
    // Measured at durationAtMemoryMb, the CPU-bound part used that size's vCPU share of Lambda's own.
    this.cpuPerSecond = spec.cpuBoundFraction * usableVcpus(spec.durationAtMemoryMb, spec.cpuThreads);
    this.waitPerSecond = 1 - spec.cpuBoundFraction;
    this.streamSeconds = streamingSeconds(spec.responseStreamingMb ?? 0);
    this.jobCap = Math.min(spec.cpuThreads, mi.environmentVcpus);
    this.cpuLimit = mi.maxCpuQueuePerVcpu * mi.environmentVcpus;
    this.perInstance = environmentsPerInstance(mi, spec.memoryMb);
    this.windowEnd = arrivalSpan;
    this.CPU_DONE = sim.defineEvent((env) => this.onCpuDone(env));
    this.WAIT_DONE = sim.defineEvent((job) => this.complete(job));
    this.ENV_READY = sim.defineEvent((env) => this.onReady(env));
    this.LOOK = sim.defineEvent(() => this.look());
  }

  /** The minimum environments exist at t = 0 (Lambda starts them before the version is active). */
  start(): void {
    for (let k = 0; k < this.mi.minEnvironments; k++) {
      const env = this.newEnvironment();
      this.ready.push(env);
      this.metrics.aliveUp(0);
    }
    this.setInstances(0);
    this.sim.schedule(this.mi.scalingInterval, this.LOOK, 0);
  }

  /** The measured window opens: maxima start from what exists now. */
  openWindow(): void {
    this.integrate(this.sim.now);
    this.instancesMax = this.instances;
    this.environmentsMax = this.ready.length + this.launching;
  }

  get inFlight(): number {
    return this.running;
  }

  usage(): ManagedInstancesUsage {
    const vcpuSeconds = this.windowInstanceArea * this.mi.instanceVcpus;
    return {
      instancesMax: this.instancesMax,
      instanceHours: this.windowInstanceArea / 3600,
      environmentsMax: this.environmentsMax,
      cpuUtilizationMean: vcpuSeconds > 0 ? this.windowCpuArea / vcpuSeconds : 0,
      busyEnvironmentSeconds: this.busyEnvironmentArea,
      throttleReasons: { ...this.throttleReasons },
    };
  }

  /** Closes the integrals at the end of the run. */
  finish(end: number): void {
    this.integrate(end);
  }

  /** Calls `visit` for every request running now. */
  forEachRunning(visit: (invoker: number, token: number, counted: boolean) => void): void {
    for (let job = 0; job < this.jobEnv.length; job++) {
      if (this.jobEnv[job] >= 0) visit(this.jobInvoker[job], this.jobToken[job], this.jobCounted[job]);
    }
  }

  /**
   * Starts a request on an environment with a free slot, in round-robin order, or throttles it.
   * `duration`: the handler time it carries (NaN: draw one), plus `extraDuration`.
   */
  tryInvoke(
    invoker: number,
    token: number,
    requestedAt: number,
    arrivedAt: number,
    duration: number,
    extraDuration: number,
    forceError: boolean,
  ): boolean {
    const now = this.sim.now;
    const metrics = this.metrics;
    const counted = metrics.counts(arrivedAt);
    const ready = this.ready;
    const n = ready.length;
    const maxConcurrency = this.mi.maxConcurrencyPerEnvironment;
    let env = -1;
    let sawSlot = false;
    for (let k = 0; k < n; k++) {
      const index = (this.roundRobin + k) % n;
      const candidate = ready[index];
      if (this.active[candidate] >= maxConcurrency) continue;
      sawSlot = true;
      if (this.cpuJobs[candidate] >= this.cpuLimit) continue;
      env = candidate;
      this.roundRobin = index + 1;
      break;
    }
    if (env < 0) {
      metrics.touch(now);
      metrics.count(COL.Throttles);
      this.throttledSinceLook++;
      if (counted) {
        metrics.throttles++;
        if (sawSlot) this.throttleReasons.cpu++;
        else this.throttleReasons.concurrency++;
      }
      return false;
    }

    const handler = (duration === duration ? duration : this.drawHandler()) + extraDuration;
    let outcome = drawnOutcome(this.spec, this.outcomeDraw());
    if (outcome === SUCCESS && (forceError || this.errorWindows.includes(now))) outcome = ERROR;

    const job = this.freeJobs.length > 0 ? (this.freeJobs.pop() as number) : this.jobEnv.length;
    this.jobInvoker[job] = invoker;
    this.jobToken[job] = token;
    this.jobRequestedAt[job] = requestedAt;
    this.jobStart[job] = now;
    this.jobWait[job] = handler * this.waitPerSecond + this.streamSeconds;
    this.jobOutcome[job] = outcome;
    this.jobCounted[job] = counted;
    this.jobEnv[job] = env;

    this.integrate(now);
    this.running++;
    if (this.active[env]++ === 0) this.busyEnvironments++;
    metrics.busyUp(now, false);
    if (counted) metrics.invocations++;
    metrics.count(COL.Invocations);

    const work = handler * this.cpuPerSecond;
    if (work > 0) this.startCpu(env, job, work);
    else this.afterCpu(job);
    return true;
  }

  /** The rate at which each of `n` CPU-bound requests is served (vCPUs). */
  private rate(n: number): number {
    return Math.min(this.jobCap, this.mi.environmentVcpus / n);
  }

  private busyVcpus(n: number): number {
    return Math.min(n * this.jobCap, this.mi.environmentVcpus);
  }

  /** Brings the environment's virtual time to now. */
  private advance(env: number, now: number): void {
    const n = this.cpuJobs[env];
    if (n > 0) this.vtime[env] += (now - this.lastAdvance[env]) * this.rate(n);
    this.lastAdvance[env] = now;
  }

  private startCpu(env: number, job: number, work: number): void {
    const now = this.sim.now;
    this.advance(env, now);
    const keys = this.heapF[env];
    const finish = this.vtime[env] + work;
    const n = this.cpuJobs[env]++;
    this.cpuBusy += this.busyVcpus(n + 1) - this.busyVcpus(n);
    // While every request gets its full rate, a later finish leaves the scheduled one as it is.
    const unchanged = n > 0 && this.rate(n + 1) === this.rate(n) && finish >= keys[0];
    heapPush(keys, this.heapJob[env], finish, job);
    if (!unchanged) this.reschedule(env);
  }

  /** Schedules the environment's next CPU finish at the current rate. */
  private reschedule(env: number): void {
    const keys = this.heapF[env];
    if (keys.length === 0) {
      this.pendingAt[env] = -1;
      return;
    }
    const now = this.sim.now;
    const at = now + Math.max(0, keys[0] - this.vtime[env]) / this.rate(this.cpuJobs[env]);
    if (at === this.pendingAt[env]) return;
    this.pendingAt[env] = at;
    this.sim.schedule(at, this.CPU_DONE, env);
  }

  private onCpuDone(env: number): void {
    const now = this.sim.now;
    if (now !== this.pendingAt[env]) return;
    this.advance(env, now);
    this.integrate(now);
    const keys = this.heapF[env];
    const jobs = this.heapJob[env];
    // The event was due: the first request's work is done even if rounding left the clock short.
    if (keys[0] > this.vtime[env]) this.vtime[env] = keys[0];
    const first = heapPop(keys, jobs);
    let finished = 1;
    // Requests finishing at the same virtual time go together (ties are rare; kept in a list then).
    let more: number[] | null = null;
    while (keys.length > 0 && keys[0] <= this.vtime[env]) {
      more ??= [];
      more.push(heapPop(keys, jobs));
      finished++;
    }
    const n = this.cpuJobs[env];
    this.cpuJobs[env] = n - finished;
    this.cpuBusy += this.busyVcpus(n - finished) - this.busyVcpus(n);
    this.reschedule(env);
    this.afterCpu(first);
    if (more !== null) for (const job of more) this.afterCpu(job);
  }

  private afterCpu(job: number): void {
    const wait = this.jobWait[job];
    if (wait > 0) this.sim.schedule(this.sim.now + wait, this.WAIT_DONE, job);
    else this.complete(job);
  }

  private complete(job: number): void {
    const now = this.sim.now;
    const metrics = this.metrics;
    const env = this.jobEnv[job];
    const counted = this.jobCounted[job];
    this.integrate(now);
    this.running--;
    if (--this.active[env] === 0) this.busyEnvironments--;
    const ran = now - this.jobStart[job];
    let outcome = this.jobOutcome[job];
    // Not cut at the timeout: the request shares its environment, whose other requests go on.
    if (ran > this.spec.timeout) outcome = TIMEOUT;
    metrics.ended(now, false, ran * 1000, (now - this.jobRequestedAt[job]) * 1000, counted);
    countFailure(metrics, outcome, counted);
    const invoker = this.jobInvoker[job];
    const token = this.jobToken[job];
    this.jobEnv[job] = -1;
    this.freeJobs.push(job);
    this.ended(this.fn, invoker, token, outcome, counted);
  }

  private newEnvironment(): number {
    const env = this.active.length;
    this.active.push(0);
    this.cpuJobs.push(0);
    this.vtime.push(0);
    this.lastAdvance.push(this.sim.now);
    this.pendingAt.push(-1);
    this.heapF.push([]);
    this.heapJob.push([]);
    return env;
  }

  /** Brings the level integrals to `now`; call before any level changes. */
  private integrate(now: number): void {
    const dt = now - this.lastChange;
    if (dt <= 0) return;
    this.scalerActiveArea += this.running * dt;
    this.scalerCpuArea += this.cpuBusy * dt;
    const from = Math.max(this.lastChange, this.metrics.from);
    if (now > from) this.busyEnvironmentArea += this.busyEnvironments * (now - from);
    const to = Math.min(now, this.windowEnd);
    if (to > from) {
      this.windowCpuArea += this.cpuBusy * (to - from);
      this.windowInstanceArea += this.instances * (to - from);
    }
    this.lastChange = now;
  }

  private setInstances(now: number): void {
    this.integrate(now);
    const total = this.ready.length + this.launching;
    this.instances = instancesFor(total, this.perInstance);
    if (now >= this.metrics.from && now <= this.windowEnd) {
      if (this.instances > this.instancesMax) this.instancesMax = this.instances;
      if (total > this.environmentsMax) this.environmentsMax = total;
    }
  }

  /** The scaler's periodic look at utilisation. */
  private look(): void {
    const now = this.sim.now;
    const mi = this.mi;
    this.integrate(now);
    const span = now - this.lastLook;
    const cpuNeed = span > 0 ? this.scalerCpuArea / span / (mi.environmentVcpus * mi.targetUtilization) : 0;
    const concurrencyNeed = span > 0 ? this.scalerActiveArea / span / (mi.maxConcurrencyPerEnvironment * mi.targetUtilization) : 0;
    this.scalerCpuArea = 0;
    this.scalerActiveArea = 0;
    this.lastLook = now;
    const total = this.ready.length + this.launching;
    // Throttled requests never show in utilisation: a look that saw any at least doubles the environments.
    const throttledNeed = this.throttledSinceLook > 0 ? Math.max(1, 2 * total) : 0;
    this.throttledSinceLook = 0;
    const need = Math.min(
      mi.maxEnvironments,
      Math.max(mi.minEnvironments, throttledNeed, Math.ceil(Math.max(cpuNeed, concurrencyNeed) - 1e-9)),
    );
    this.recentNeeds.push(need);
    const remembered = Math.max(1, Math.round(mi.scaleDownDelay / mi.scalingInterval));
    if (this.recentNeeds.length > remembered) this.recentNeeds.shift();
    const keep = Math.max(...this.recentNeeds);
    if (need > total) {
      for (let k = total; k < need; k++) this.launch();
    } else if (keep < total) {
      this.shrink(total - keep);
    }
    if (!this.idleForever()) this.sim.schedule(now + mi.scalingInterval, this.LOOK, 0);
  }

  /** Nothing more will arrive once the span is over and nothing runs: the scaler stops looking. */
  private idleForever(): boolean {
    return this.sim.now >= this.windowEnd && this.running === 0;
  }

  private launch(): void {
    const now = this.sim.now;
    const total = this.ready.length + this.launching;
    const newInstance = instancesFor(total + 1, this.perInstance) > instancesFor(total, this.perInstance);
    const env = this.newEnvironment();
    this.launching++;
    this.metrics.environmentsCreated++;
    this.setInstances(now);
    const delay = (newInstance ? this.mi.instanceLaunchDelay : 0) + this.drawInit();
    this.sim.schedule(now + delay, this.ENV_READY, env);
  }

  private onReady(env: number): void {
    const now = this.sim.now;
    this.launching--;
    this.ready.push(env);
    this.metrics.aliveUp(now);
  }

  /** Removes up to `excess` idle environments, newest first. */
  private shrink(excess: number): void {
    const now = this.sim.now;
    let removed = 0;
    for (let index = this.ready.length - 1; index >= 0 && removed < excess; index--) {
      const env = this.ready[index];
      if (this.active[env] > 0) continue;
      this.ready.splice(index, 1);
      this.metrics.aliveDown(now);
      removed++;
    }
    if (removed > 0) {
      this.roundRobin = 0;
      this.setInstances(now);
    }
  }
}

/** Pushes (key, value) onto a binary min-heap kept in two parallel arrays. */
function heapPush(keys: number[], values: number[], key: number, value: number): void {
  let i = keys.length;
  keys.push(key);
  values.push(value);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (keys[parent] <= key) break;
    keys[i] = keys[parent];
    values[i] = values[parent];
    i = parent;
  }
  keys[i] = key;
  values[i] = value;
}

/** Pops the value of the smallest key. */
function heapPop(keys: number[], values: number[]): number {
  const top = values[0];
  const lastKey = keys.pop() as number;
  const lastValue = values.pop() as number;
  const n = keys.length;
  if (n === 0) return top;
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && keys[child + 1] < keys[child]) child++;
    if (keys[child] >= lastKey) break;
    keys[i] = keys[child];
    values[i] = values[child];
    i = child;
  }
  keys[i] = lastKey;
  values[i] = lastValue;
  return top;
}
