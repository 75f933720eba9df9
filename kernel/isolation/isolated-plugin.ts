import type { GuardVerdict, Logger, Principal, RequestContext } from '../authoring/plugin-definition.js';
import { ModuError } from '../errors/modu-error.js';
import { deny } from '../guards/deny.js';
import { problemResponse } from '../http/problem.js';
import type { RemoteOutcome } from '../http/remote-route.js';
import { type Reply, reply } from '../http/reply.js';
import type { HookName } from '../lifecycle/run-hook.js';
import { withDeadline } from './deadline.js';
import { IncomingStreams } from './incoming-streams.js';
import type {
  AbortMessage,
  CallRequest,
  GuardAnswer,
  InitRequest,
  InitShape,
  LoadRequest,
  LoadShape,
  LogMessage,
  RouteAnswer,
  RouteRequest,
  WireRequest,
  WireResponse,
} from './isolation-protocol.js';
import type { ResolvedLimits } from './isolation-schema.js';
import { PluginProcess, type ProcessExit } from './plugin-process.js';
import type { PermissionReport, ProcessPermissions } from './process-permissions.js';
import { fromWireError } from './wire-error.js';

/** What the host tells an isolated plugin's supervisor, and what it hears back. */
export interface IsolatedPluginOptions {
  readonly init: InitRequest;
  readonly limits: ResolvedLimits;
  readonly permissions: ProcessPermissions;
  /** The host's log, bound to the plugin. */
  readonly logger: Logger;
  /** Milliseconds a hook may take (the host's hook timeouts). */
  readonly timeoutOf: (hook: HookName) => number;
  /** Answers the child's call of a dependency's service, with the host's visibility rules. */
  readonly hostCall: (request: CallRequest) => Promise<unknown>;
  /** The process went down (routes answer 503 meanwhile), came back, or stays down. */
  readonly onDown: (exit: ProcessExit) => void;
  readonly onUp: () => void;
  readonly onFailed: (error: ModuError) => void;
}

/** An isolated plugin as `/_modu/plugins` and the boot report show it. */
export interface IsolationReport {
  readonly tier: 'process';
  readonly pid: number | undefined;
  readonly restarts: number;
  readonly permissions: PermissionReport;
  readonly lastExit?: ProcessExit;
}

type Phase = 'loading' | 'serving' | 'restarting' | 'stopping' | 'failed';

const START_TIMEOUT_MS = 30_000;
const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

/**
 * Supervises one isolated plugin's process: starts it (import, stage, load in the child), forwards hooks, service
 * calls, guards and routes to it under the limits, and restarts it with backoff when it dies while serving, re-running
 * `onLoad` and `onStart`; past `restarts` crashes within the window the plugin is failed.
 */
export class IsolatedPlugin {
  readonly name: string;
  readonly #options: IsolatedPluginOptions;
  readonly #streams = new IncomingStreams();
  #process: PluginProcess | undefined;
  #phase: Phase = 'loading';
  #dependencies: LoadRequest | undefined;
  #hooksRun = new Set<HookName>();
  #crashes: number[] = [];
  #restarts = 0;
  #lastExit: ProcessExit | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  /** Names each route call, for aborting it in the process. */
  #nextRoute = 0;
  loadShape: LoadShape | undefined;

  constructor(options: IsolatedPluginOptions) {
    this.name = options.init.pkg.manifest.name;
    this.#options = options;
  }

  /** Starts the process and imports and stages the plugin in it. @throws ModuError `MODU_ISOLATION_START_FAILED` */
  async start(): Promise<InitShape> {
    const process = new PluginProcess({
      plugin: this.name,
      permissions: this.#options.permissions,
      handlers: { use: (request: CallRequest) => this.#options.hostCall(request) },
      onMessage: (message) => this.#onMessage(message),
      logger: this.#options.logger,
    });
    this.#process = process;
    void process.exited.then((exit) => this.#onExit(process, exit));
    await process.ready(START_TIMEOUT_MS);
    const init = { ...this.#options.init, enforced: this.#options.permissions.enforced };
    return (await process.channel.request('init', init)) as InitShape;
  }

  /** Loads the plugin in its process with the dependencies' services it may see; answers its guards and routes. */
  async load(dependencies: LoadRequest): Promise<LoadShape> {
    this.#dependencies = dependencies;
    const shape = (await this.#channel().request('load', dependencies)) as LoadShape;
    this.loadShape = shape;
    return shape;
  }

  /** Runs a hook in the process; when `signal` aborts (the hook's deadline), the process is killed. */
  async hook(name: HookName, signal: AbortSignal): Promise<void> {
    const process = this.#process;
    const kill = () => process?.kill(`${name} did not finish in time`);
    signal.addEventListener('abort', kill, { once: true });
    try {
      await this.#channel().request('hook', name);
      this.#hooksRun.add(name);
    } finally {
      signal.removeEventListener('abort', kill);
    }
  }

  /** True while its process can take requests (not restarting, not failed). */
  get available(): boolean {
    return this.#process !== undefined && this.#phase !== 'restarting' && this.#phase !== 'failed';
  }

  /** The plugin is stopping: a crash from now on is not restarted. */
  stopping(): void {
    if (this.#phase !== 'failed') this.#phase = 'stopping';
    clearTimeout(this.#restartTimer);
  }

  /** The plugin started: from now on a crash restarts it. */
  serving(): void {
    if (this.#phase === 'loading') this.#phase = 'serving';
  }

  /** Calls a method of one of the plugin's services. @throws ModuError `MODU_PLUGIN_UNAVAILABLE`, its own errors */
  call(token: string, method: string, args: unknown[]): Promise<unknown> {
    const request: CallRequest = { token, method, args };
    return this.#timed('call', request, `${token}.${method}()`);
  }

  /** Runs one of its guards on the request; the principal it set comes back onto `ctx`, a `deny()` as a denial. */
  async guard(name: string, ctx: RequestContext): Promise<GuardVerdict> {
    const request = wireRequest(ctx, false);
    let answer: GuardAnswer;
    try {
      answer = (await this.#timed('guard', { name, request }, `guard ${name}`)) as GuardAnswer;
    } catch (error) {
      throw asInProcess(error);
    }
    ctx.principal = answer.principal as Principal | undefined;
    if (answer.denial !== undefined) return deny(answer.denial.status, answer.denial.reason);
    return answer.allowed;
  }

  /** Runs route `index` in the process: its response, a 504 problem past `requestTimeoutMs`, or a 503 while down. */
  async route(index: number, ctx: RequestContext): Promise<Reply> {
    const outcome = await this.routeWithGuards(index, ctx, undefined);
    if (outcome.kind === 'stopped')
      throw new Error(`Plugin '${this.name}' answered route #${index} without a response.`);
    return outcome.reply;
  }

  /**
   * Runs route `index` in the process, with `guards` (its whole chain) and the permission check first when given: one
   * crossing for what would otherwise take one per guard and one for the handler (see RemoteRoute).
   */
  async routeWithGuards(
    index: number,
    ctx: RequestContext,
    guards: readonly string[] | undefined,
  ): Promise<RemoteOutcome> {
    const process = this.#process;
    if (process === undefined || this.#phase === 'restarting' || this.#phase === 'failed') {
      const detail = `Plugin '${this.name}' is restarting; retry shortly.`;
      return { kind: 'failed', reply: problemReply('MODU_PLUGIN_UNAVAILABLE', detail, ctx, true) };
    }
    const { requestTimeoutMs } = this.#options.limits;
    // The client going away aborts the handler's signal in the process, as it would in the host.
    const id = this.#nextRoute++;
    const abort = () => process.channel.send<AbortMessage>({ t: 'abort', route: id });
    ctx.signal.addEventListener('abort', abort, { once: true });
    const request: RouteRequest = {
      index,
      request: wireRequest(ctx, true),
      id,
      ...(guards === undefined ? {} : { guards }),
    };
    const expire = () => {
      process.kill(`requestTimeoutMs (${requestTimeoutMs}) reached on ${ctx.method} ${ctx.path}`);
      return timeout(this.name, `${ctx.method} ${ctx.path}`, requestTimeoutMs);
    };
    let answer: RouteAnswer;
    try {
      answer = (await process.channel.request('route', request, { ms: requestTimeoutMs, expire })) as RouteAnswer;
    } catch (error) {
      return crossingFailed(error, ctx);
    } finally {
      ctx.signal.removeEventListener('abort', abort);
    }
    if (answer.response === undefined) return stopped(answer);
    return { kind: 'answered', principal: answer.principal, reply: this.#replyOf(answer.response, process, ctx) };
  }

  /** The handler's reply; a streamed body reads its chunks from the process, each within `requestTimeoutMs`. */
  #replyOf(head: WireResponse, process: PluginProcess, ctx: RequestContext): Reply {
    if (head.stream === undefined) return reply(head.status, head.body, head.headers);
    const body = this.#streams.open(head.stream, process.channel, {
      ms: this.#options.limits.requestTimeoutMs,
      what: `${ctx.method} ${ctx.path}`,
      onIdle: (cause) => process.kill(cause),
    });
    return reply(head.status, body, head.headers);
  }

  /** Ends the process: no restart after this; SIGKILL when it has not exited after `deadlineMs`. */
  async end(deadlineMs: number): Promise<void> {
    this.#phase = 'failed';
    clearTimeout(this.#restartTimer);
    await this.#process?.end(deadlineMs);
  }

  report(): IsolationReport {
    return {
      tier: 'process',
      pid: this.#phase === 'restarting' ? undefined : this.#process?.pid,
      restarts: this.#restarts,
      permissions: this.#options.permissions.report,
      ...(this.#lastExit === undefined ? {} : { lastExit: this.#lastExit }),
    };
  }

  #channel() {
    const process = this.#process;
    if (process === undefined || this.#phase === 'restarting' || this.#phase === 'failed') throw unavailable(this.name);
    return process.channel;
  }

  #timed(kind: string, payload: unknown, what: string): Promise<unknown> {
    const process = this.#process;
    if (process === undefined || this.#phase === 'restarting' || this.#phase === 'failed') {
      return Promise.reject(unavailable(this.name));
    }
    const { callTimeoutMs } = this.#options.limits;
    const expire = () => {
      process.kill(`callTimeoutMs (${callTimeoutMs}) reached on ${what}`);
      return new ModuError(
        'MODU_ISOLATION_TIMEOUT',
        `Plugin '${this.name}' did not answer ${what} within ${callTimeoutMs} ms.`,
        {
          details: { plugin: this.name, call: what, timeoutMs: callTimeoutMs },
        },
      );
    };
    return process.channel.request(kind, payload, { ms: callTimeoutMs, expire });
  }

  #onMessage(message: { readonly t: string }): void {
    if (this.#streams.receive(message)) return;
    if (message.t !== 'log') return;
    const { level, obj, msg } = message as LogMessage;
    if (!LEVELS.has(level)) return;
    const { plugin: _plugin, ...fields } = (obj ?? {}) as Record<string, unknown>;
    this.#options.logger[level](fields, typeof msg === 'string' ? msg : undefined);
  }

  #onExit(process: PluginProcess, exit: ProcessExit): void {
    this.#streams.failAll(exit.cause);
    if (process !== this.#process) return;
    this.#lastExit = exit;
    if (this.#phase !== 'serving') return;
    this.#options.logger.error({ code: exit.code, signal: exit.signal, cause: exit.cause }, 'plugin process ended');
    this.#options.onDown(exit);
    this.#scheduleRestart(exit);
  }

  #scheduleRestart(exit: ProcessExit): void {
    const { restarts, restartWindowMs, backoffMs } = this.#options.limits;
    const now = Date.now();
    this.#crashes = [...this.#crashes.filter((at) => now - at < restartWindowMs), now];
    if (this.#crashes.length > restarts) {
      this.#phase = 'failed';
      const message = `Plugin '${this.name}' stopped: its process ${exit.cause}; ${this.#crashes.length} crashes within ${restartWindowMs} ms, more than the ${restarts} restarts allowed.`;
      this.#options.onFailed(
        new ModuError('MODU_ISOLATION_CRASHED', message, {
          details: { plugin: this.name, ...exit, crashes: this.#crashes.length, restarts },
        }),
      );
      return;
    }
    this.#phase = 'restarting';
    const delay = backoffMs * 2 ** (this.#crashes.length - 1);
    this.#restartTimer = setTimeout(() => void this.#restart(), delay);
  }

  async #restart(): Promise<void> {
    try {
      this.#phase = 'loading';
      await this.start();
      if (this.#dependencies !== undefined) await this.load(this.#dependencies);
      for (const hook of ['onLoad', 'onStart'] as const) {
        if (!this.#hooksRun.has(hook)) continue;
        const ms = this.#options.timeoutOf(hook);
        const process = this.#process;
        await withDeadline(this.#channel().request('hook', hook), ms, () => {
          process?.kill(`${hook} did not finish in time`);
          return new ModuError(
            'MODU_LIFECYCLE_TIMEOUT',
            `Plugin '${this.name}' did not finish ${hook} within ${ms} ms.`,
          );
        });
      }
      this.#restarts++;
      this.#phase = 'serving';
      this.#options.logger.info({ pid: this.#process?.pid, restarts: this.#restarts }, 'plugin process restarted');
      this.#options.onUp();
    } catch (error) {
      if (this.#phase === 'failed') return;
      this.#options.logger.error({ err: (error as Error).message }, 'plugin process restart failed');
      const process = this.#process;
      process?.kill('its restart failed');
      const exit =
        process === undefined ? { code: null, signal: null, cause: 'its restart failed' } : await process.exited;
      if ((this.#phase as Phase) === 'failed') return;
      this.#lastExit = exit;
      this.#scheduleRestart(exit);
    }
  }
}

function wireRequest(ctx: RequestContext, withBody: boolean): WireRequest {
  const { method, path, params, query, headers, principal } = ctx;
  return withBody
    ? { method, path, params, query, headers, principal, body: ctx.body }
    : { method, path, params, query, headers, principal };
}

/** A route call that failed to cross: a 504 or 503 problem, or a throw the route answers as a 500. */
function crossingFailed(error: unknown, ctx: RequestContext): RemoteOutcome {
  if (ModuError.is(error) && error.code === 'MODU_HTTP_TIMEOUT') {
    return { kind: 'failed', reply: problemReply(error.code, error.message, ctx) };
  }
  if (ModuError.is(error) && error.code === 'MODU_PLUGIN_UNAVAILABLE') {
    return { kind: 'failed', reply: problemReply(error.code, error.message, ctx, true) };
  }
  throw asInProcess(error);
}

/**
 * A throw of the plugin's code (a handler's, a guard's) as the host's HTTP layer sees it in process: a ModuError keeps
 * its code and status; anything else is an Error again, answered as a 500 without the plugin's internals.
 */
function asInProcess(error: unknown): unknown {
  return ModuError.is(error) && error.code === 'MODU_ISOLATION_REMOTE_ERROR' ? new Error(error.message) : error;
}

/** Where the guards run in the process stopped a request, as the host's guard chain would see it. */
function stopped(answer: RouteAnswer): RemoteOutcome {
  const { principal, passed = 0, denial, threw } = answer;
  const verdict = denial === undefined ? false : deny(denial.status, denial.reason);
  return {
    kind: 'stopped',
    principal,
    passed,
    verdict,
    ...(threw === undefined ? {} : { threw: asInProcess(fromWireError(threw)) }),
  };
}

function unavailable(plugin: string): ModuError {
  return new ModuError(
    'MODU_PLUGIN_UNAVAILABLE',
    `Plugin '${plugin}' is not available (its process is down); retry shortly.`,
    {
      details: { plugin },
    },
  );
}

function timeout(plugin: string, what: string, ms: number): ModuError {
  return new ModuError(
    'MODU_HTTP_TIMEOUT',
    `${what} did not answer within ${ms} ms; plugin '${plugin}' is restarted.`,
    {
      details: { plugin, timeoutMs: ms },
    },
  );
}

function problemReply(code: string, detail: string, ctx: RequestContext, retry = false): Reply {
  const response = problemResponse(
    code,
    detail,
    { instance: ctx.path, plugin: ctx.plugin },
    retry ? { 'retry-after': '1' } : {},
  );
  return reply(response.status, response.body, response.headers);
}
