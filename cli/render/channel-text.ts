import type { ChannelRevision, ChannelStatus, ChannelSummary } from '../../registry/index.js';

/** One line per plugin of a revision: `name@version  integrity…`. */
export function revisionText(revision: ChannelRevision): string {
  const how = revision.reason === 'rollback' ? `rollback to ${revision.rollbackTo}` : 'deploy';
  const head = `${revision.channel} revision ${revision.revision} (${how}, ${revision.createdAt}${revision.actor === undefined ? '' : `, by ${revision.actor}`})`;
  const lines = Object.entries(revision.plugins).map(
    ([name, p]) =>
      `  ${name}@${p.version}  ${p.integrity.slice(0, 23)}…${p.requested === undefined ? '' : `  (asked ${p.requested})`}`,
  );
  return `${[head, ...lines].join('\n')}\n`;
}

/** One line per revision, newest first. */
export function historyText(revisions: readonly ChannelRevision[]): string {
  const lines = [...revisions].reverse().map((r) => {
    const plugins = Object.entries(r.plugins).map(([name, p]) => `${name}@${p.version}`);
    const how = r.reason === 'rollback' ? `rollback to ${r.rollbackTo}` : 'deploy';
    return `${String(r.revision).padStart(4)}  ${r.createdAt}  ${how.padEnd(16)} ${plugins.join(' ')}`;
  });
  return lines.length === 0 ? 'no revisions\n' : `${lines.join('\n')}\n`;
}

/** One line per channel with its current revision. */
export function channelsText(channels: readonly ChannelSummary[]): string {
  if (channels.length === 0) return 'no channels\n';
  return `${channels.map((c) => `${c.name}  revision ${c.revision ?? '-'}`).join('\n')}\n`;
}

/** The channel's revision, where its rollout halted, and one line per host. */
export function statusText(status: ChannelStatus): string {
  const halted = status.rollout.halted;
  const head = `${status.channel}: revision ${status.revision ?? '-'}${halted === undefined ? '' : `, rollout of revision ${halted.revision} halted at ${halted.host}: ${halted.error}`}`;
  const rows = status.hosts.map((h) => {
    const health = h.expired ? `${h.health} (expired)` : h.health;
    const target = h.target === undefined || h.target === h.revision ? '' : ` -> ${h.target}`;
    return `  ${h.host.padEnd(24)} revision ${`${h.revision}${target}`.padEnd(9)} ${health.padEnd(18)} ${h.at}${h.error === undefined ? '' : `  ${h.error}`}`;
  });
  return `${[head, ...(rows.length === 0 ? ['  no hosts follow this channel'] : rows)].join('\n')}\n`;
}
