import type { BootReport, RouteInfo, RuntimeReport } from '../../kernel/index.js';

/** One line on what the running Node gave the kernel. */
function runtimeLine(runtime: RuntimeReport): string {
  const hooks =
    runtime.moduleHooks === 'registerHooks'
      ? 'in-thread (module.registerHooks)'
      : 'on the hooks thread (module.register)';
  const cache = runtime.compileCache === null ? 'off' : runtime.compileCache;
  const permission = runtime.permissionFlag ?? 'none';
  return `node ${runtime.node}: module gate ${hooks}, compile cache ${cache}, permission flag ${permission}${runtime.allowNet ? ' (--allow-net)' : ''}`;
}

/** What `modu start` prints once it listens: the plugins, the routes, and where to point curl. */
export function renderBoot(
  report: BootReport,
  routes: readonly RouteInfo[],
  where: { readonly adapter: string; readonly url: string; readonly config: string },
): string {
  const started = report.plugins.filter((p) => p.state === 'started').length;
  const lines = [
    `modu: ${started} of ${report.plugins.length} plugins started in ${Math.round(report.durationMs)} ms (${where.config})`,
  ];
  lines.push(runtimeLine(report.runtime));
  for (const plugin of report.plugins.filter((p) => p.state !== 'started')) {
    lines.push(`  ${plugin.name}: ${plugin.state} in ${plugin.failure?.phase}: ${plugin.failure?.error.message}`);
  }
  for (const plugin of report.plugins.filter((p) => p.isolation !== undefined)) {
    const { pid, permissions } = plugin.isolation as NonNullable<(typeof plugin)['isolation']>;
    const writes = permissions.fsWrite.length > 0 ? permissions.fsWrite.join(', ') : 'none';
    lines.push(
      `  ${plugin.name}: isolated, pid ${pid}, heap ${permissions.memoryMb} MB, writes ${writes}, env ${permissions.env}, network ${permissions.network}`,
    );
  }
  lines.push(`listening on ${where.url} (${where.adapter})`, '', 'routes:');
  for (const route of routes) {
    const guards = route.guards.length > 0 ? `  guards: ${route.guards.join(', ')}` : '';
    const permissions = route.permissions.length > 0 ? `  permissions: ${route.permissions.join(', ')}` : '';
    lines.push(`  ${route.method.padEnd(6)} ${route.path}${guards}${permissions}`);
  }
  lines.push(
    '',
    'try:',
    `  curl ${where.url}/_modu/health`,
    `  curl ${where.url}/_modu/plugins`,
    `  curl ${where.url}/_modu/metrics`,
    '',
    'Ctrl-C stops it: requests drain, then every plugin stops in reverse dependency order.',
    '',
  );
  return lines.join('\n');
}
