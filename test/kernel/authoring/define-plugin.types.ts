// Compile-time checks of definePlugin's types: `npm run build` (tsc) fails when an expected error is missing.
import { definePlugin, token } from '../../../kernel/index.js';

interface Clock {
  now(): number;
}

// Compile-time checks: tsc fails the build when an expected error is missing.
export const typed = definePlugin<{ greeting: string }>()({
  routes: [{ method: 'GET', path: '/', handler: (ctx) => ctx.config.greeting.toUpperCase() }],
  onStart: ({ config }) => {
    // @ts-expect-error: `greting` is not in the config type
    void config.greting;
  },
});
export const misspelt = definePlugin({
  // @ts-expect-error: `route` is not a key of definePlugin (it is `routes`)
  route: [],
});
export const lowerCase = definePlugin({
  // @ts-expect-error: `onstart` is not `onStart`
  onstart() {},
});
const ClockToken = token<Clock>('clock/Clock');
export const typedToken = definePlugin({
  onStart: ({ use }) => {
    const now: number = use(ClockToken).now();
    // @ts-expect-error: the token carries the service's type
    use(ClockToken).later();
    void now;
  },
});
