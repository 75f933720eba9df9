import { inject, injectable, optional } from 'inversify';
import { definePlugin, token } from '../../authoring/plugin-definition.js';
import {
  Controller,
  Delete,
  Get,
  Guard,
  Patch,
  Post,
  Put,
  RequirePermissions,
  UseGuards,
} from '../../authoring/route-decorators.js';
import { Service } from '../../container/service-decorator.js';
import { ModuError } from '../../errors/modu-error.js';
import { hardenShared } from '../../facades/harden-shared.js';
import { isReply, reply } from '../../http/reply.js';
import { KERNEL_VERSION } from '../../version.js';

/**
 * What plugin code gets when it imports `modu`: the authoring API, and none of the host's functions
 * (`createKernel`, `moduleGate`, the scanner, the config loaders). A plugin that could reach the module gate
 * could admit itself with any grant. Frozen deeply (each class, its prototype, each function): a plugin that
 * rewrites `ModuError.is` or `ModuError.prototype.toJSON` changes them for no one.
 */
export const pluginApi = hardenShared({
  Controller,
  Delete,
  Get,
  Guard,
  inject,
  injectable,
  isReply,
  KERNEL_VERSION,
  ModuError,
  optional,
  Patch,
  Post,
  Put,
  definePlugin,
  RequirePermissions,
  reply,
  Service,
  token,
  UseGuards,
});

/** The shape of {@link pluginApi}. */
export type PluginApi = typeof pluginApi;
