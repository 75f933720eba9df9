// `modu/testing`: test plugins without a server. The kernel's own entry stays free of test helpers.

export type { TestKernel, TestKernelOptions } from './create-test-kernel.js';
export { createTestKernel } from './create-test-kernel.js';
export type { InjectRequest, InjectResponse } from './inject.js';
export { inject } from './inject.js';
