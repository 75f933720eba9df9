/**
 * The module gate's link to hooks on Node's hooks thread (`module.register()`, for a Node without
 * `module.registerHooks`): registers gate-hooks.ts there and sends it each policy, acknowledged.
 */
import nodeModule from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import type { GateHooksData, GateMessage } from './gate-hooks.js';
import type { GatePolicy } from './gate-policy.js';

type Register = (specifier: URL, options: { data: GateHooksData; transferList: unknown[] }) => void;

function samePolicy(a: GatePolicy, b: GatePolicy): boolean {
  return (
    a.name === b.name && a.root === b.root && a.granted.join('\n') === b.granted.join('\n') && a.filesId === b.filesId
  );
}

/**
 * Registers the hooks on the hooks thread and returns how to hand them a policy: the promise resolves once it is
 * in force there. A policy it already has costs nothing, and the policies sent in one tick (a boot admits every
 * plugin at once) travel as one message.
 */
export function registerPortHooks(pluginModuURL: string, gateURL: string): (policy: GatePolicy) => Promise<void> {
  const sent = new Map<string, { policy: GatePolicy; acknowledged: Promise<void> }>();
  const pending = new Map<number, () => void>();
  let batch: { policies: GatePolicy[]; acknowledged: Promise<void> } | undefined;
  let nextId = 0;
  const { port1: port, port2 } = new MessageChannel();
  port.on('message', (id: number) => {
    pending.get(id)?.();
    pending.delete(id);
    if (pending.size === 0) port.unref();
  });
  port.unref();
  const data: GateHooksData = { port: port2, pluginModuURL, gateURL };
  const register = (nodeModule as unknown as { register: Register }).register;
  register(new URL('./gate-hooks.js', import.meta.url), { data, transferList: [port2] });

  return (policy) => {
    const known = sent.get(policy.root);
    if (known !== undefined && samePolicy(known.policy, policy)) return known.acknowledged;
    if (batch === undefined) {
      const policies: GatePolicy[] = [];
      const acknowledged = new Promise<void>((resolveAck) => {
        queueMicrotask(() => {
          const id = nextId++;
          pending.set(id, resolveAck);
          batch = undefined;
          // Keep the process alive while an acknowledgement is due, and never otherwise.
          port.ref();
          port.postMessage({ id, policies } satisfies GateMessage);
        });
      });
      batch = { policies, acknowledged };
    }
    batch.policies.push(policy);
    sent.set(policy.root, { policy, acknowledged: batch.acknowledged });
    return batch.acknowledged;
  };
}
