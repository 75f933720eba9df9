/** This Modu's version; plugins' `kernel` ranges are checked against it. A test keeps it equal to package.json. */
export const KERNEL_VERSION = '1.0.0';
