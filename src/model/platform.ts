import { distributionMean, sampler } from "../engine/distributions.js";
import type { Uniform } from "../engine/rng.js";
import type { Simulation } from "../engine/simulation.js";
import { COL, FunctionMetrics } from "../metrics/functionMetrics.js";
import { BUSY, ERROR, EnvironmentTable, IDLE, IdleLists, INITIALIZING, RETIRED, SUCCESS, TIMEOUT } from "./environments.js";
import { billedMilliseconds } from "../common/billing.js";
import { cpuScale } from "./cpuModel.js";
import { ConcurrencyPools, TokenBucket } from "./limits.js";
import { streamingSeconds, tenantPicker } from "./features.js";
import { isCustomRuntime } from "./runtimes.js";
import { ManagedFunction } from "./managedInstances.js";
import { countFailure, drawnOutcome, ErrorWindows } from "./outcomes.js";
import type { Invoker } from "./invoker.js";
import type { FunctionSpec, PlatformConfig, ProvisionedStep } from "./types.js";

/** The smallest time strictly after x, so "idle for exactly keepAlive" still counts as warm. */
const justAfter = (x: number): number => x + Math.max(Math.abs(x) * Number.EPSILON, Number.MIN_VALUE);

/** Per-function state the platform keeps besides the environment table. */
class FunctionState {
  readonly drawHandler: () => number;
  readonly drawInit: () => number;
  readonly outcomeDraw: Uniform;
  readonly errorWindows: ErrorWindows;
  readonly lifetimeDraw: Uniform;
  /** Draws for early retirement; null when platform.earlyRetirementRate is 0 (no stream used). */
  readonly earlyRetirementDraw: Uniform | null;
  readonly billInit: boolean;
  readonly meanHandler: number;
  /** Provisioned concurrency configured now, and provisioned environments that count toward it. */
  provisionedTarget = 0;
  provisionedEnvironments = 0;
  nextProvisionedStep = 0;
  /** The schedule step in force at the latest time asked of configuredProvisioned (-1: before the first). */
  configuredStep = -1;
  provisionedCreationPending = false;
  /** When the function's last invocation finished: with metrics.busy, whether it is quiet. */
  lastCompletion = -Infinity;
  /** Seconds each invocation spends streaming its response past the first 6 MB. */
  readonly streamSeconds: number;
  /** Tenant isolation: draws each request's tenant; null for a function without it. */
  readonly pickTenant: (() => number) | null;
  /** Tenant isolation: idle environments per tenant, so a lookup costs the same however many tenants there are. */
  readonly tenantIdle: IdleLists | null;

  constructor(
    readonly spec: FunctionSpec,
    readonly metrics: FunctionMetrics,
    readonly scaling: TokenBucket | null,
    stream: (name: string) => Uniform,
    initBilling: PlatformConfig["platform"]["initBilling"],
    earlyRetirement: boolean,
    envs: EnvironmentTable,
  ) {
    const name = spec.name;
    const scale = cpuScale(spec.durationAtMemoryMb, spec.memoryMb, spec.cpuBoundFraction, spec.cpuThreads);
    const handler = spec.duration ? sampler(spec.duration, stream(`duration:${name}`)) : () => 0;
    this.drawHandler = scale === 1 ? handler : () => handler() * scale;
    this.meanHandler = spec.duration ? distributionMean(spec.duration) * scale : 0;
    // SnapStart restores a snapshot where init would run; the restore is not billed.
    this.drawInit = spec.snapStartRestore
      ? sampler(spec.snapStartRestore, stream(`restore:${name}`))
      : sampler(spec.init, stream(`init:${name}`));
    this.outcomeDraw = stream(`outcome:${name}`);
    this.errorWindows = new ErrorWindows(spec.errorWindows);
    this.lifetimeDraw = stream(`lifetime:${name}`);
    this.earlyRetirementDraw = earlyRetirement ? stream(`early-retirement:${name}`) : null;
    // Before August 2025 INIT was billed only for custom runtimes and container images.
    this.billInit =
      spec.snapStartRestore === undefined && (initBilling === "current" || isCustomRuntime(spec.runtime) || spec.package === "image");
    this.streamSeconds = streamingSeconds(spec.responseStreamingMb ?? 0);
    const isolation = spec.tenantIsolation;
    this.pickTenant = isolation ? tenantPicker(isolation, stream(`tenant:${name}`)) : null;
    this.tenantIdle = isolation ? new IdleLists(isolation.tenants, envs) : null;
  }
}

/**
 * The Lambda service: admits or throttles each invocation its invokers ask for, places it on a
 * provisioned, warm or new execution environment, and runs environments through init, invoke,
 * idle keep-alive, recycling and provisioned-concurrency allocation. Who asked, and what happens
 * to a request after a throttle or an error, is the invokers' business.
 */
export class LambdaPlatform {
  readonly functions: FunctionState[];
  readonly pools: ConcurrencyPools;
  private readonly envs = new EnvironmentTable();
  private readonly idle: IdleLists;
  private readonly provisionedIdle: IdleLists;
  private readonly requestRate: TokenBucket | null;
  private readonly reuseNewest: boolean;
  private readonly keepAlive: number;
  private readonly activeKeepAlive: number;
  private readonly activeSpares: number;
  private readonly maxLifetime: number;
  private readonly lifetimeJitter: number;
  private readonly earlyRetirementRate: number;
  private readonly initTimeout: number;
  private readonly allocationDelay: number;
  private readonly provisionedInterval: number;

  private readonly invokers: Invoker[] = [];
  /** Per function: its Managed Instances capacity, or null for an on-demand function. */
  readonly managed: (ManagedFunction | null)[];
  /** Per invoker: whether its invocations count against the account's request-rate limit. */
  private readonly rateLimited: boolean[] = [];
  /** Invocations running (init included), over all functions. */
  inFlight = 0;
  /**
   * Optional observer, told when each on-demand environment ends (reclaimed or recycled, or still
   * alive when the run ends): when it was created, when its last invocation finished (the end
   * time if one is still running), and when it ended. Lets a caller reconstruct environment counts
   * the way a measurement that only sees invocations infers them.
   */
  onEnvironmentEnd: ((fn: number, createdAt: number, lastFinished: number, end: number) => void) | null = null;

  private readonly COMPLETE: number;
  private readonly ENV_TIMER: number;
  private readonly PROVISIONED_CHANGE: number;
  private readonly PROVISIONED_CREATE: number;
  private readonly PROVISIONED_READY: number;
  private readonly OPEN_WINDOW: number;

  constructor(
    private readonly sim: Simulation,
    private readonly scenario: PlatformConfig,
    periodSeconds = 60,
  ) {
    const { account, platform } = scenario;
    const count = scenario.functions.length;
    const stream = (name: string) => sim.rng.stream(name);
    const legacy = account.scaling === "legacy" ? new TokenBucket(account.legacyBurst, account.legacyRefillPerMinute / 60) : null;
    this.functions = scenario.functions.map((spec) => {
      const scaling =
        account.scaling === "per-function" ? new TokenBucket(account.scalingBucketSize, account.scalingRefillPerSecond) : legacy;
      return new FunctionState(
        spec,
        new FunctionMetrics(spec.memoryMb, periodSeconds, scenario.warmup),
        scaling,
        stream,
        platform.initBilling,
        platform.earlyRetirementRate > 0,
        this.envs,
      );
    });
    const managedEnded = (fn: number, invoker: number, token: number, outcome: number, counted: boolean) => {
      this.inFlight--;
      this.functions[fn].lastCompletion = sim.now;
      this.invokers[invoker].invocationEnded(fn, token, outcome, counted);
      this.maybeStop();
    };
    this.managed = scenario.functions.map((spec, i) =>
      spec.compute === "managed-instances"
        ? new ManagedFunction(sim, i, spec, this.functions[i].metrics, stream, managedEnded, scenario.duration)
        : null,
    );
    this.pools = new ConcurrencyPools(
      account.concurrencyLimit,
      Int32Array.from(scenario.functions, (fn) => fn.reservedConcurrency ?? -1),
    );
    this.idle = new IdleLists(count, this.envs);
    this.provisionedIdle = new IdleLists(count, this.envs);
    this.requestRate = Number.isFinite(account.requestRateLimit)
      ? new TokenBucket(account.requestRateLimit, account.requestRateLimit)
      : null;
    this.reuseNewest = platform.reuse === "mru";
    this.keepAlive = platform.keepAlive;
    // No spares allowed is the plain per-environment timeout.
    this.activeKeepAlive = platform.activeSpares > 0 ? Math.max(platform.activeKeepAlive, platform.keepAlive) : platform.keepAlive;
    this.activeSpares = platform.activeSpares;
    this.maxLifetime = platform.maxLifetime;
    this.lifetimeJitter = platform.lifetimeJitter;
    this.earlyRetirementRate = platform.earlyRetirementRate;
    this.initTimeout = platform.initTimeout;
    this.allocationDelay = platform.provisionedAllocationDelay;
    this.provisionedInterval = 1 / platform.provisionedRampPerSecond;

    this.COMPLETE = sim.defineEvent((env) => this.onComplete(env));
    this.ENV_TIMER = sim.defineEvent((env) => this.onEnvironmentTimer(env));
    this.PROVISIONED_CHANGE = sim.defineEvent((fn) => this.onProvisionedChange(fn));
    this.PROVISIONED_CREATE = sim.defineEvent((fn) => this.onProvisionedCreate(fn));
    this.PROVISIONED_READY = sim.defineEvent((env) => this.onProvisionedReady(env));
    this.OPEN_WINDOW = sim.defineEvent(() => this.openWindow());
  }

  /**
   * Registers an invoker; the number returned names it in tryInvoke. The invocations-per-second
   * limit (10 x concurrency) applies to synchronous Invoke calls; Lambda's own asynchronous and
   * event-source pollers are not subject to it.
   */
  addInvoker(invoker: Invoker, options: { requestRateLimited: boolean }): number {
    this.invokers.push(invoker);
    this.rateLimited.push(options.requestRateLimited);
    return this.invokers.length - 1;
  }

  /**
   * Sets up what exists before the run (docs/lambda-behaviour.md#start-warm): provisioned
   * concurrency configured at t = 0 is ready then (allocated and initialised beforehand, so
   * without the allocation delay, ramp or init), and each function's prewarmed on-demand
   * environments wait idle, their keep-alive and lifetime counted from 0. Later schedule steps
   * and the start of the measured window are scheduled.
   */
  start(): void {
    this.functions.forEach((state, fn) => {
      const managed = this.managed[fn];
      if (managed !== null) {
        managed.start();
        return;
      }
      const schedule = state.spec.provisioned;
      if (schedule.length > 0 && schedule[0].at === 0) {
        this.applyProvisionedStep(fn);
        for (let k = 0; k < schedule[0].value; k++) {
          const env = this.createEnvironment(fn, true, true);
          this.pools.adjust(fn, 1);
          state.provisionedEnvironments++;
          this.envs.state[env] = IDLE;
          this.provisionedIdle.append(fn, env);
          this.armLifetimeTimer(env);
        }
      } else if (schedule.length > 0) {
        this.sim.schedule(schedule[0].at, this.PROVISIONED_CHANGE, fn);
      }
      for (let k = 0; k < state.spec.prewarmedEnvironments; k++) {
        const env = this.createEnvironment(fn, false, true);
        this.envs.state[env] = IDLE;
        this.envs.lastFinished[env] = 0;
        this.idleAppend(fn, env);
        this.armIdleTimer(env, this.keepAlive);
      }
    });
    if (this.scenario.warmup > 0) this.sim.schedule(this.scenario.warmup, this.OPEN_WINDOW, 0);
  }

  /** The warm-up is over: levels are averaged and maximised from now on. */
  private openWindow(): void {
    const now = this.sim.now;
    for (const state of this.functions) state.metrics.openWindow(now);
    for (const managed of this.managed) managed?.openWindow();
    this.pools.openWindow();
  }

  /**
   * Provisioned concurrency configured for the function at `now` (the schedule, not the
   * environments allocated so far). Read from the schedule, so a request at the very instant of
   * a step sees the step whichever of the two events the queue runs first.
   */
  private configuredProvisioned(state: FunctionState, now: number): number {
    const schedule = state.spec.provisioned;
    let k = state.configuredStep;
    while (k + 1 < schedule.length && schedule[k + 1].at <= now) k++;
    state.configuredStep = k;
    return k >= 0 ? schedule[k].value : 0;
  }

  /** The arrival span (s): arrivals are generated in [0, span); Infinity for a trace replayed to its end. */
  get span(): number {
    return this.scenario.duration;
  }

  /** Nothing is running and no invoker has anything more to do. */
  get idleForever(): boolean {
    if (this.inFlight > 0) return false;
    for (const invoker of this.invokers) if (!invoker.exhausted) return false;
    return true;
  }

  /** Ends the run once nothing more can happen, but not before the arrival span is over. */
  maybeStop(): void {
    const span = this.scenario.duration;
    if (this.idleForever && (!Number.isFinite(span) || this.sim.now >= span)) this.sim.stop();
  }

  /** Units each invoker had not finished when the run ended, per function. */
  pendingByFunction(): number[] {
    const counts = new Array<number>(this.functions.length).fill(0);
    for (const invoker of this.invokers) invoker.addPending(counts, this.scenario.warmup);
    return counts;
  }

  /**
   * Calls `visit` with the function and token of every invocation `invoker` has running, and
   * whether the arrival it serves is in the measured window.
   */
  forEachRunning(invoker: number, visit: (fn: number, token: number, counted: boolean) => void): void {
    const envs = this.envs;
    for (let env = 0; env < envs.fn.length; env++) {
      if (envs.state[env] === BUSY && envs.caller[env] === invoker) visit(envs.fn[env], envs.token[env], envs.counted[env] === 1);
    }
    for (const managed of this.managed) {
      managed?.forEachRunning((caller, token, counted) => {
        if (caller === invoker) visit(managed.fn, token, counted);
      });
    }
  }

  /** Invocations running now whose arrival is in the measured window, per function. */
  runningCountedByFunction(): number[] {
    const counts = new Array<number>(this.functions.length).fill(0);
    const envs = this.envs;
    for (let env = 0; env < envs.fn.length; env++) if (envs.state[env] === BUSY && envs.counted[env] === 1) counts[envs.fn[env]]++;
    for (const managed of this.managed) {
      managed?.forEachRunning((_, __, counted) => {
        if (counted) counts[managed.fn]++;
      });
    }
    return counts;
  }

  checkInvokers(): void {
    for (const invoker of this.invokers) invoker.checkInvariants?.();
  }

  /**
   * Closes every function's measurements at the end of its own observation window: the arrival
   * span, extended by that function's own drain. Ending all of them at the run's end would make
   * one function's time averages depend on how long another function's work ran on.
   */
  finish(end: number): number[] {
    const observe = this.onEnvironmentEnd;
    if (observe !== null) {
      const envs = this.envs;
      for (let env = 0; env < envs.fn.length; env++) {
        const state = envs.state[env];
        if (envs.provisioned[env] === 0 && (state === BUSY || state === IDLE)) {
          observe(envs.fn[env], envs.createdAt[env], state === BUSY ? end : envs.lastFinished[env], end);
        }
      }
    }
    const span = this.scenario.duration;
    const windows = this.functions.map((state) =>
      Number.isFinite(span) ? Math.min(end, Math.max(span, state.metrics.lastRequestAt)) : end,
    );
    for (const managed of this.managed) managed?.finish(end);
    this.functions.forEach((state, i) => state.metrics.finish(windows[i]));
    for (const invoker of this.invokers) invoker.close();
    return windows;
  }

  /**
   * Starts an invocation of function `fn` for `invoker` unless it is throttled: by the account's
   * request rate, the concurrency pools, or the function's scaling rate. Returns false (and
   * counts a Throttle) when it is; the invoker decides what a throttle means for its request.
   * `requestedAt` is when the invoker's caller asked (latency is measured from it); `arrivedAt`
   * when the unit it is for arrived (for a batch, its first record or message), which decides
   * whether the invocation is in the measured window; `duration` is the handler time to use
   * (NaN: draw one), plus `extraDuration`; `forceError` makes the handler fail (a poison record
   * in the batch).
   */
  tryInvoke(
    fn: number,
    invoker: number,
    token: number,
    requestedAt: number,
    arrivedAt: number,
    duration: number,
    extraDuration: number,
    forceError: boolean,
  ): boolean {
    const now = this.sim.now;
    const state = this.functions[fn];
    const counted = state.metrics.counts(arrivedAt);
    const tenant = state.pickTenant === null ? -1 : state.pickTenant();
    if (this.requestRate !== null && this.rateLimited[invoker] && !this.requestRate.tryTake(now)) return this.throttle(state, counted);
    const managed = this.managed[fn];
    if (managed !== null) {
      if (!managed.tryInvoke(invoker, token, requestedAt, arrivedAt, duration, extraDuration, forceError)) return false;
      this.inFlight++;
      return true;
    }
    let env = this.provisionedIdle.takeNewest(fn);
    if (env >= 0) {
      if (counted) state.metrics.provisionedInvocations++;
    } else {
      if (!this.pools.hasRoom(fn)) return this.throttle(state, counted);
      const idle = tenant < 0 ? this.idle : state.tenantIdle!;
      const key = tenant < 0 ? fn : tenant;
      env = this.reuseNewest ? idle.takeNewest(key) : idle.takeOldest(key);
      if (env < 0) {
        if (state.scaling !== null && !state.scaling.tryTake(now)) return this.throttle(state, counted);
        env = this.createEnvironment(fn, false, false);
        this.envs.tenant[env] = tenant;
      }
      this.pools.adjust(fn, 1);
      if (counted && this.configuredProvisioned(state, now) > 0) state.metrics.spilloverInvocations++;
    }
    this.envs.caller[env] = invoker;
    this.envs.token[env] = token;
    this.envs.counted[env] = counted ? 1 : 0;
    this.run(env, state, requestedAt, counted, duration, extraDuration, forceError);
    return true;
  }

  private throttle(state: FunctionState, counted: boolean): false {
    const metrics = state.metrics;
    metrics.touch(this.sim.now);
    if (counted) metrics.throttles++;
    metrics.count(COL.Throttles);
    return false;
  }

  private run(
    env: number,
    state: FunctionState,
    requestedAt: number,
    counted: boolean,
    duration: number,
    extraDuration: number,
    forceError: boolean,
  ): void {
    const now = this.sim.now;
    const envs = this.envs;
    const metrics = state.metrics;
    const spec = state.spec;
    const handler = (duration === duration ? duration : state.drawHandler()) + extraDuration + state.streamSeconds;
    let outcome = drawnOutcome(spec, state.outcomeDraw());
    if (outcome === SUCCESS && (forceError || state.errorWindows.includes(now))) outcome = ERROR;
    let initPhase = 0;
    let billedInit = 0;
    let invokeTime = handler;
    metrics.busyUp(now, envs.provisioned[env] === 1);
    if (counted) metrics.invocations++;
    metrics.count(COL.Invocations);
    if (envs.needsInit[env] === 1) {
      envs.needsInit[env] = 0;
      const init = state.drawInit();
      if (counted) {
        metrics.coldStarts++;
        metrics.initDuration.record(init * 1000);
      }
      metrics.count(COL.ColdStarts);
      if (envs.provisioned[env] === 0 && init > this.initTimeout) {
        // Suppressed init: the timed-out init is retried inside the invocation, against its timeout.
        initPhase = this.initTimeout;
        invokeTime = init + handler;
      } else {
        initPhase = init;
        if (state.billInit) billedInit = init;
      }
    }
    if (invokeTime > spec.timeout) {
      invokeTime = spec.timeout;
      outcome = TIMEOUT;
    }
    envs.state[env] = BUSY;
    envs.requestedAt[env] = requestedAt;
    envs.handlerTime[env] = invokeTime;
    envs.billedMs[env] = billedMilliseconds(invokeTime + billedInit);
    envs.outcome[env] = outcome;
    this.inFlight++;
    this.sim.schedule(now + initPhase + invokeTime, this.COMPLETE, env);
  }

  private onComplete(env: number): void {
    const now = this.sim.now;
    const envs = this.envs;
    const fn = envs.fn[env];
    const state = this.functions[fn];
    const metrics = state.metrics;
    const counted = envs.counted[env] === 1;
    metrics.ended(now, envs.provisioned[env] === 1, envs.handlerTime[env] * 1000, (now - envs.requestedAt[env]) * 1000, counted);
    state.lastCompletion = now;
    const outcome = envs.outcome[env];
    if (outcome !== SUCCESS) {
      countFailure(metrics, outcome, counted);
      // After a timeout or a crash the environment is reset: its next invocation runs init again.
      if (outcome !== ERROR) envs.needsInit[env] = 1;
    }
    this.inFlight--;
    if (envs.provisioned[env] === 1) {
      metrics.billProvisioned(envs.billedMs[env], counted);
      if (envs.retire[env] === 1) this.destroy(env);
      else {
        if (now >= envs.deathTime[env]) this.recycleProvisioned(env);
        envs.state[env] = IDLE;
        this.provisionedIdle.append(fn, env);
        this.armLifetimeTimer(env);
      }
    } else {
      metrics.billOnDemand(envs.billedMs[env], counted);
      this.pools.release(fn);
      if (now >= envs.deathTime[env]) {
        this.destroy(env);
      } else {
        envs.state[env] = IDLE;
        envs.lastFinished[env] = now;
        this.idleAppend(fn, env);
        if (envs.timerPending[env] === 0) this.armIdleTimer(env, now + this.keepAlive);
      }
    }
    // Told after the environment is free again, so a batch started at once can reuse it warm.
    this.invokers[envs.caller[env]].invocationEnded(fn, envs.token[env], outcome, counted);
    // Nothing can stop while something runs; the check is kept out of the per-invocation path.
    if (this.inFlight === 0) this.maybeStop();
  }

  /** Puts an on-demand environment in its idle list: its function's, or with tenant isolation its tenant's. */
  private idleAppend(fn: number, env: number): void {
    const tenantIdle = this.functions[fn].tenantIdle;
    if (tenantIdle === null) this.idle.append(fn, env);
    else tenantIdle.append(this.envs.tenant[env], env);
  }

  /** Takes an idle environment out of its list (see idleAppend). */
  private idleRemove(fn: number, env: number): void {
    const tenantIdle = this.functions[fn].tenantIdle;
    if (tenantIdle === null) this.idle.remove(fn, env);
    else tenantIdle.remove(this.envs.tenant[env], env);
  }

  /** Schedules the idle environment's timer just after `deadline`, or at its death if sooner. */
  private armIdleTimer(env: number, deadline: number): void {
    const envs = this.envs;
    const expiry = Math.min(justAfter(deadline), envs.deathTime[env]);
    if (expiry === Infinity) return;
    envs.timerPending[env] = 1;
    this.sim.schedule(expiry, this.ENV_TIMER, env);
  }

  /**
   * Timers are not cancelled when an environment is reused; one that fires early re-arms itself
   * for the environment's current expiry. This keeps one timer per environment instead of one
   * per invocation, and the event queue small.
   */
  private onEnvironmentTimer(env: number): void {
    const envs = this.envs;
    envs.timerPending[env] = 0;
    if (envs.state[env] === RETIRED) {
      envs.release(env);
      return;
    }
    const now = this.sim.now;
    const fn = envs.fn[env];
    if (envs.provisioned[env] === 1) {
      if (envs.state[env] === IDLE && now >= envs.deathTime[env]) this.recycleProvisioned(env);
      if (envs.state[env] !== BUSY) this.armLifetimeTimer(env);
      return;
    }
    if (envs.state[env] !== IDLE) return;
    const deadline = this.idleDeadline(env, this.functions[fn]);
    if (now > deadline || now >= envs.deathTime[env]) {
      this.idleRemove(fn, env);
      this.destroy(env);
    } else {
      this.armIdleTimer(env, deadline);
    }
  }

  /**
   * When an idle on-demand environment is to be reclaimed, as things stand now: keepAlive after
   * its last invocation (the plain per-environment timeout), or, with activeKeepAlive longer, the
   * earliest of
   * - activeKeepAlive after its own last invocation;
   * - keepAlive after the last invocation of its whole function (all go once it is quiet). While
   *   the function has something running this is no earlier than now + keepAlive, which is used;
   * - with activeSpares finite, when the activeSpares-th more recently used idle environment
   *   passes keepAlive: only that many of those past keepAlive are kept. The idle list is in
   *   lastFinished order, so they are the next ones towards its tail.
   * Each is at least lastFinished + keepAlive, where onComplete arms the first timer; a timer that
   * fires before the deadline re-arms for the new one. Infinite only when keepAlive is.
   */
  private idleDeadline(env: number, state: FunctionState): number {
    const envs = this.envs;
    const own = envs.lastFinished[env] + this.activeKeepAlive;
    if (this.activeKeepAlive === this.keepAlive) return own;
    const quietSince = state.metrics.busy > 0 ? this.sim.now : state.lastCompletion;
    let deadline = Math.min(own, quietSince + this.keepAlive);
    if (this.activeSpares < Infinity) {
      let newer = envs.next[env];
      for (let k = 1; k < this.activeSpares && newer >= 0; k++) newer = envs.next[newer];
      if (newer >= 0) deadline = Math.min(deadline, envs.lastFinished[newer] + this.keepAlive);
    }
    return deadline;
  }

  private armLifetimeTimer(env: number): void {
    const envs = this.envs;
    if (envs.timerPending[env] === 1 || envs.deathTime[env] === Infinity) return;
    envs.timerPending[env] = 1;
    this.sim.schedule(envs.deathTime[env], this.ENV_TIMER, env);
  }

  /**
   * Lambda prepares a replacement before it retires a provisioned environment at the end of its
   * lifetime, so capacity is not lost; what it costs is another init.
   */
  private recycleProvisioned(env: number): void {
    const state = this.functions[this.envs.fn[env]];
    this.provisionedInit(state);
    this.envs.deathTime[env] = this.sim.now + this.lifetime(state);
    this.envs.needsInit[env] = 0;
  }

  private lifetime(state: FunctionState): number {
    const planned = this.maxLifetime * (1 - this.lifetimeJitter * state.lifetimeDraw());
    if (state.earlyRetirementDraw === null) return planned;
    // Retired at random before that, at a constant rate per second of life (exponential).
    return Math.min(planned, -Math.log(1 - state.earlyRetirementDraw()) / this.earlyRetirementRate);
  }

  /**
   * An init of a provisioned environment (allocation or recycling), billed at the provisioned
   * duration rate; it belongs to no arrival, so it is measured when it happens in the window.
   */
  private provisionedInit(state: FunctionState): number {
    const init = state.drawInit();
    const metrics = state.metrics;
    if (this.sim.now >= metrics.from) {
      metrics.provisionedInitMs += billedMilliseconds(init);
      metrics.initDuration.record(init * 1000);
    }
    return init;
  }

  /** A new environment; `beforeRun`: one that exists at t = 0, initialised before the run and not counted as created in it. */
  private createEnvironment(fn: number, provisioned: boolean, beforeRun: boolean): number {
    const envs = this.envs;
    const env = envs.allocate();
    const state = this.functions[fn];
    envs.fn[env] = fn;
    envs.provisioned[env] = provisioned ? 1 : 0;
    envs.needsInit[env] = beforeRun ? 0 : 1;
    envs.retire[env] = 0;
    envs.timerPending[env] = 0;
    envs.createdAt[env] = this.sim.now;
    envs.deathTime[env] = this.sim.now + this.lifetime(state);
    state.metrics.aliveUp(this.sim.now);
    if (!beforeRun) state.metrics.environmentsCreated++;
    return env;
  }

  private destroy(env: number): void {
    const envs = this.envs;
    const fn = envs.fn[env];
    if (envs.provisioned[env] === 1) this.pools.release(fn);
    else if (this.onEnvironmentEnd !== null) {
      // Destroyed from onComplete (still BUSY: its last invocation ends now) or from its idle timer.
      const now = this.sim.now;
      this.onEnvironmentEnd(fn, envs.createdAt[env], envs.state[env] === BUSY ? now : envs.lastFinished[env], now);
    }
    this.functions[fn].metrics.aliveDown(this.sim.now);
    // Timers are never cancelled, so a slot still named by one must not be reused before it fires.
    if (envs.timerPending[env] === 1) envs.state[env] = RETIRED;
    else envs.release(env);
  }

  /** Takes the next schedule step as the target and schedules the one after it; returns the step. */
  private applyProvisionedStep(fn: number): ProvisionedStep {
    const state = this.functions[fn];
    const step = state.spec.provisioned[state.nextProvisionedStep++];
    if (state.nextProvisionedStep < state.spec.provisioned.length) {
      this.sim.schedule(state.spec.provisioned[state.nextProvisionedStep].at, this.PROVISIONED_CHANGE, fn);
    }
    state.provisionedTarget = step.value;
    state.metrics.configureProvisioned(this.sim.now, step.value);
    return step;
  }

  private onProvisionedChange(fn: number): void {
    const state = this.functions[fn];
    const step = this.applyProvisionedStep(fn);
    if (state.provisionedEnvironments < step.value) {
      if (!state.provisionedCreationPending) {
        state.provisionedCreationPending = true;
        this.sim.schedule(this.sim.now + this.allocationDelay, this.PROVISIONED_CREATE, fn);
      }
      return;
    }
    let excess = state.provisionedEnvironments - step.value;
    // Idle ones go at once; initialising and busy ones when they finish what they are doing.
    while (excess > 0) {
      const env = this.provisionedIdle.takeOldest(fn);
      if (env < 0) break;
      this.destroy(env);
      state.provisionedEnvironments--;
      excess--;
    }
    const envs = this.envs;
    for (let env = 0; excess > 0 && env < envs.fn.length; env++) {
      if (
        envs.fn[env] === fn &&
        envs.provisioned[env] === 1 &&
        envs.retire[env] === 0 &&
        (envs.state[env] === BUSY || envs.state[env] === INITIALIZING)
      ) {
        envs.retire[env] = 1;
        state.provisionedEnvironments--;
        excess--;
      }
    }
  }

  /** Adds one provisioned environment at a time, at the allocation ramp rate, while there is room. */
  private onProvisionedCreate(fn: number): void {
    const state = this.functions[fn];
    state.provisionedCreationPending = false;
    if (state.provisionedEnvironments >= state.provisionedTarget) return;
    let wait = this.provisionedInterval;
    if (this.pools.hasRoom(fn)) {
      const env = this.createEnvironment(fn, true, false);
      this.pools.adjust(fn, 1);
      state.provisionedEnvironments++;
      const init = this.provisionedInit(state);
      this.envs.needsInit[env] = 0;
      this.envs.state[env] = INITIALIZING;
      state.metrics.touch(this.sim.now);
      state.metrics.initializing++;
      this.sim.schedule(this.sim.now + init, this.PROVISIONED_READY, env);
    } else {
      // The pool is full of running on-demand invocations: try again shortly.
      wait = Math.max(wait, 1);
    }
    if (state.provisionedEnvironments < state.provisionedTarget) {
      state.provisionedCreationPending = true;
      this.sim.schedule(this.sim.now + wait, this.PROVISIONED_CREATE, fn);
    }
  }

  private onProvisionedReady(env: number): void {
    const envs = this.envs;
    const fn = envs.fn[env];
    const metrics = this.functions[fn].metrics;
    metrics.touch(this.sim.now);
    metrics.initializing--;
    if (envs.retire[env] === 1) {
      this.destroy(env);
      return;
    }
    envs.state[env] = IDLE;
    this.provisionedIdle.append(fn, env);
    this.armLifetimeTimer(env);
  }
}
