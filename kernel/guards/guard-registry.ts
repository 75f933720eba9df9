import { ModuError } from '../errors/modu-error.js';
import {
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  ObjectFreeze,
  SafeMap,
  SafeSet,
} from '../primordials.js';
import { canUseGuard, type GuardRequester, qualifyGuardName, splitGuardName } from './guard-access.js';
import type { GuardChain, GuardEntry, GuardStep } from './guard-chain.js';

/**
 * The host's guards by full name, with an ownership map per plugin. A plugin's guards are staged,
 * checked and compiled into chains, then committed all at once, so a failed mount registers nothing.
 */
export class GuardRegistry {
  readonly #guards = new SafeMap<string, GuardEntry>();
  readonly #owned = new SafeMap<string, readonly string[]>();

  /**
   * Starts compiling chains for `requester` against the registered guards plus its own `staged` ones; `alongside`
   * are guards of other generations staged with it (a reload), which stand in for their owners' registered ones.
   */
  stage(
    requester: GuardRequester,
    staged: readonly GuardEntry[],
    alongside: readonly GuardEntry[] = [],
  ): GuardChainCompiler {
    const replaced = new SafeSet<string>();
    for (let i = 0; i < alongside.length; i++) replaced.add((alongside[i] as GuardEntry).owner);
    const lookup = new SafeMap<string, GuardEntry>();
    this.#guards.forEach((entry, name) => {
      if (!replaced.has(entry.owner)) lookup.set(name, entry);
    });
    for (let i = 0; i < alongside.length; i++)
      lookup.set((alongside[i] as GuardEntry).name, alongside[i] as GuardEntry);
    for (let i = 0; i < staged.length; i++) lookup.set((staged[i] as GuardEntry).name, staged[i] as GuardEntry);
    return new GuardChainCompiler(requester, lookup, staged);
  }

  /** Registers a plugin's guards as owned by it. @throws ModuError `MODU_GUARD_CONFLICT` */
  commit(owner: string, entries: readonly GuardEntry[]): void {
    for (const entry of entries) {
      const held = this.#guards.get(entry.name);
      if (held !== undefined) {
        throw new ModuError(
          'MODU_GUARD_CONFLICT',
          `Guard '${entry.name}' of '${owner}' is already owned by '${held.owner}'.`,
          {
            details: { guard: entry.name, owner, heldBy: held.owner },
          },
        );
      }
    }
    for (const entry of entries) this.#guards.set(entry.name, entry);
    this.#owned.set(
      owner,
      entries.map((entry) => entry.name),
    );
  }

  /** Removes exactly the guards `owner` registered. */
  removeOwner(owner: string): void {
    for (const name of this.#owned.get(owner) ?? []) this.#guards.delete(name);
    this.#owned.delete(owner);
  }

  /** Full names of the guards `owner` registered. */
  ownedBy(owner: string): readonly string[] {
    return this.#owned.get(owner) ?? [];
  }
}

/** Resolves guard names for one plugin and flattens them into chains; checks access and cycles. */
export class GuardChainCompiler {
  constructor(
    private readonly requester: GuardRequester,
    private readonly lookup: SafeMap<string, GuardEntry>,
    staged: readonly GuardEntry[],
  ) {
    // Every own guard is checked, used or not: a cycle or a bad dependency fails the load, never a request.
    for (const entry of staged) this.compile([entry.name]);
  }

  /**
   * The run order for `names` (class-level names first, then route-level): every dependency first
   * (each after its own dependencies), then the named guards in the order given; each guard once.
   * @throws ModuError `MODU_GUARD_UNKNOWN`, `MODU_GUARD_NOT_ACCESSIBLE`, `MODU_GUARD_CYCLE`
   */
  compile(names: readonly string[]): GuardChain {
    const listed: GuardEntry[] = [];
    for (let i = 0; i < names.length; i++) {
      const name = qualifyGuardName(names[i] as string, this.requester.name);
      ArrayPrototypePush(listed, this.#resolve(name, this.requester, undefined));
    }
    const chain: GuardStep[] = [];
    const done = new SafeSet<string>();
    for (let i = 0; i < listed.length; i++) {
      const entry = listed[i] as GuardEntry;
      this.#visitDependencies(entry, [entry.name], done, chain);
    }
    for (let i = 0; i < listed.length; i++) {
      const entry = listed[i] as GuardEntry;
      if (done.has(entry.name)) continue;
      done.add(entry.name);
      ArrayPrototypePush(chain, entry);
    }
    return ObjectFreeze(chain);
  }

  #resolve(name: string, requester: GuardRequester, from: string | undefined): GuardEntry {
    const entry = this.lookup.get(name);
    const where = from === undefined ? `plugin '${this.requester.name}'` : `guard '${from}'`;
    if (entry === undefined) {
      throw new ModuError(
        'MODU_GUARD_UNKNOWN',
        `Unknown guard '${name}' used by ${where}; define it or fix the name.`,
        { details: { plugin: this.requester.name, guard: name, ...(from === undefined ? {} : { from }) } },
      );
    }
    if (!canUseGuard(entry, requester)) {
      const why = entry.exported
        ? `'${requester.name}' does not depend on '${entry.owner}'`
        : `'${entry.owner}' does not export it`;
      throw new ModuError('MODU_GUARD_NOT_ACCESSIBLE', `Guard '${name}' used by ${where} is not accessible: ${why}.`, {
        details: { plugin: this.requester.name, guard: name, owner: entry.owner, exported: entry.exported },
      });
    }
    return entry;
  }

  #visit(entry: GuardEntry, path: string[], done: Set<string>, chain: GuardStep[]): void {
    if (done.has(entry.name)) return;
    const at = ArrayPrototypeIndexOf(path, entry.name);
    if (at >= 0) {
      const cycle = ArrayPrototypeSlice(path, at);
      ArrayPrototypePush(cycle, entry.name);
      throw new ModuError('MODU_GUARD_CYCLE', `Guard cycle ${cycle.join(' -> ')} in plugin '${this.requester.name}'.`, {
        details: { plugin: this.requester.name, cycle },
      });
    }
    ArrayPrototypePush(path, entry.name);
    this.#visitDependencies(entry, path, done, chain);
    path.length--;
    done.add(entry.name);
    ArrayPrototypePush(chain, entry);
  }

  #visitDependencies(entry: GuardEntry, path: string[], done: Set<string>, chain: GuardStep[]): void {
    // A guard's dependencies are resolved with its owner's rights, not the requester's.
    const owner = entry.owner === this.requester.name ? this.requester : ownerOnlyRequester(entry);
    const deps = entry.dependsOn;
    for (let i = 0; i < deps.length; i++) {
      this.#visit(this.#resolve(deps[i] as string, owner, entry.name), path, done, chain);
    }
  }
}

/**
 * A registered guard's dependencies were checked against its owner's dependencies when the owner
 * mounted; here we only re-check that each still exists and is the owner's own or exported to it.
 */
function ownerOnlyRequester(entry: GuardEntry): GuardRequester {
  const owners = new SafeSet<string>();
  for (let i = 0; i < entry.dependsOn.length; i++) owners.add(splitGuardName(entry.dependsOn[i] as string).owner);
  return { name: entry.owner, dependencies: owners };
}
