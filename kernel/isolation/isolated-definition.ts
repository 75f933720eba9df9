import {
  definePlugin,
  type GuardDefinition,
  type HookContext,
  type LifecycleHook,
  type PluginDefinition,
  type RequestContext,
  type RouteDefinition,
  type ServiceDefinition,
} from '../authoring/plugin-definition.js';
import { markRemoteGuard, markRemoteHandler } from '../http/remote-route.js';
import type { HookName } from '../lifecycle/run-hook.js';
import type { IsolatedPlugin } from './isolated-plugin.js';
import type { InitShape } from './isolation-protocol.js';
import { serviceProxy } from './service-proxy.js';

function services(plugin: IsolatedPlugin, shape: InitShape): Record<string, ServiceDefinition> {
  const entries = shape.services.map((name) => {
    const token = `${plugin.name}/${name}`;
    const proxy = serviceProxy(token, (method, args) => plugin.call(token, method, args));
    return [name, { value: proxy }] as const;
  });
  return Object.fromEntries(entries);
}

function guards(plugin: IsolatedPlugin): Record<string, GuardDefinition> {
  const entries = (plugin.loadShape?.guards ?? []).map((guard) => {
    const definition: GuardDefinition = {
      dependsOn: guard.dependsOn,
      canActivate: (ctx) => plugin.guard(guard.name, ctx),
    };
    markRemoteGuard(definition, plugin, guard.name);
    return [guard.name, definition] as const;
  });
  return Object.fromEntries(entries);
}

function routes(plugin: IsolatedPlugin): RouteDefinition[] {
  return (plugin.loadShape?.routes ?? []).map((route) => {
    const handler = (ctx: RequestContext) => plugin.route(route.index, ctx);
    markRemoteHandler(handler, plugin, (ctx, guards) => plugin.routeWithGuards(route.index, ctx, guards));
    return { method: route.method, path: route.path, guards: route.guards, permissions: route.permissions, handler };
  });
}

/**
 * The host's stand-in for an isolated plugin: a definition that goes through the ordinary loader, guard registry,
 * route table and ownership maps, whose services are proxies to the plugin's process, whose guards, route handlers
 * and hooks call it there. Guards and routes are read once the process has loaded the plugin (they may need its
 * dependencies), which happens before the host mounts them.
 */
export function isolatedDefinition(plugin: IsolatedPlugin, shape: InitShape): PluginDefinition {
  const defined = new Set<HookName>(shape.hooks);
  const forward = (hook: HookName): LifecycleHook => {
    return async (ctx: HookContext) => {
      const ending = hook === 'onStop' || hook === 'onUnload';
      if (ending) plugin.stopping();
      // A process that is down has nothing to stop: its state went with it.
      if (defined.has(hook) && (!ending || plugin.available)) await plugin.hook(hook, ctx.signal);
    };
  };
  const definition = {
    services: services(plugin, shape),
    get guards() {
      return guards(plugin);
    },
    get routes() {
      return routes(plugin);
    },
    // onLoad and onStart only when the plugin has them; onStop and onUnload always, to stop restarts first.
    ...(defined.has('onLoad') ? { onLoad: forward('onLoad') } : {}),
    ...(defined.has('onStart') ? { onStart: forward('onStart') } : {}),
    onStop: forward('onStop'),
    onUnload: forward('onUnload'),
  };
  return definePlugin(definition);
}
