import { hash } from 'node:crypto';
import { sep } from 'node:path';
import { ArrayPrototypeJoin, ObjectHasOwn, StringPrototypeSlice, splitString } from '../../primordials.js';
import type { ApprovedGoal } from '../../scanner/scan-types.js';
import type { GatePolicy } from './gate-policy.js';

/** How a loader is about to run a file: the goals a scan approves files under. */
export type LoadGoal = ApprovedGoal;

const GOAL_NAMES: Readonly<Record<LoadGoal, string>> = {
  module: 'an ES module',
  script: 'a CommonJS script',
  json: 'JSON',
  binary: 'a native addon or WebAssembly module',
};

/** The path of `path` relative to `root` (which holds it), with forward slashes, as the scan names files. */
function relativeTo(path: string, root: string): string {
  const relative = StringPrototypeSlice(path, root.length + 1);
  return sep === '/' ? relative : ArrayPrototypeJoin(splitString(relative, sep), '/');
}

/** The sha256 the scan records for a file: of the UTF-8 text for code and JSON, of the bytes for a binary. */
export function contentSha(content: string | Uint8Array): string {
  return hash('sha256', content, 'hex');
}

/**
 * Why `policy`'s plugin may not run file `path` (inside its root) as `goal` with `content`, or undefined when it
 * may: the scan read this file, under this goal, with exactly this content (by sha256). Only scanned bytes run: a
 * file the scan did not read (text, data, TypeScript sources, `.moduignore`'d files, files added since), a file
 * changed since, or a file Node would run under another goal than the one it was scanned under is refused. With no
 * `content`, only that the file was approved under `goal` is checked (the loader that compiles it checks the rest).
 */
export function fileDenial(
  path: string,
  goal: LoadGoal,
  content: string | Uint8Array | undefined,
  policy: GatePolicy,
): string | undefined {
  const file = relativeTo(path, policy.root);
  const approved =
    policy.files === undefined ? undefined : ObjectHasOwn(policy.files, file) ? policy.files[file] : undefined;
  const refuse = `Plugin "${policy.name}" may not load ${path}`;
  if (approved === undefined) {
    const why = policy.files === undefined ? 'its code has not passed a scan yet' : 'the scan did not read it';
    return `${refuse}: ${why}. Only the JavaScript, JSON and binaries its scan read and passed may load; a file of another kind, a file added since the scan or one listed in .moduignore never does.`;
  }
  if (approved.goal !== goal) {
    return `${refuse}: it was scanned as ${GOAL_NAMES[approved.goal]}, and Node would load it as ${GOAL_NAMES[goal]}.`;
  }
  if (content !== undefined && contentSha(content) !== approved.sha256) {
    return `${refuse}: it changed since its scan (its content hash differs). Reload the plugin to scan it again.`;
  }
  return undefined;
}

/** The goal a file was approved under, if it was: a CommonJS loader compiles it under that goal, not another. */
export function approvedGoal(path: string, policy: GatePolicy): LoadGoal | undefined {
  const file = relativeTo(path, policy.root);
  if (policy.files === undefined || !ObjectHasOwn(policy.files, file)) return undefined;
  return policy.files[file]?.goal;
}

/** A module source as module hooks see it. */
export type HookSource = string | ArrayBuffer | Uint8Array;

const FORMAT_GOALS: Readonly<Record<string, LoadGoal>> = {
  module: 'module',
  commonjs: 'script',
  json: 'json',
  wasm: 'binary',
};

function bytesOf(source: ArrayBuffer | Uint8Array): Uint8Array {
  return source instanceof Uint8Array ? source : new Uint8Array(source);
}

/** The text of a source as the scan hashed it (UTF-8), or the bytes of a binary. */
function contentOf(source: HookSource, goal: LoadGoal): string | Uint8Array {
  if (typeof source === 'string') return source;
  const bytes = bytesOf(source);
  return goal === 'binary' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * Why a file of `policy`'s plugin that a load hook resolved to `format` with `source` may not run, or undefined: the
 * rule of {@link fileDenial} applied to what Node is about to evaluate. Without a source (a CommonJS file handed on
 * to the CommonJS loader), only the goal is checked here; the CommonJS gate checks the content it compiles.
 */
export function loadedDenial(
  path: string,
  format: string,
  source: HookSource | null | undefined,
  policy: GatePolicy,
): string | undefined {
  const goal = FORMAT_GOALS[format];
  if (goal === undefined) {
    return `plugin "${policy.name}" may not load ${path} as ${format}: the scan approves JavaScript, JSON and binaries only`;
  }
  if (source == null) return fileDenial(path, goal, undefined, policy);
  // Bytes of valid UTF-8 hash as their text does: only a source that fails this way is decoded (and, if not valid
  // UTF-8, hashed as the text the scan read).
  if (typeof source !== 'string' && fileDenial(path, goal, bytesOf(source), policy) === undefined) return undefined;
  return fileDenial(path, goal, contentOf(source, goal), policy);
}
