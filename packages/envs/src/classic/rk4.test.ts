import { describe, expect, it } from 'vitest';
import { rk4Step } from './rk4.js';

describe('rk4Step', () => {
  it("matches the fourth-order Taylor polynomial of exp on y' = y", () => {
    for (const h of [0.1, 0.2, 0.5]) {
      const [y = 0] = rk4Step((s) => [s[0] ?? 0], [1], h);
      expect(y).toBeCloseTo(1 + h + h ** 2 / 2 + h ** 3 / 6 + h ** 4 / 24, 14);
    }
  });

  it('integrates a cubic in time exactly when time is carried in the state', () => {
    // state [t, y] with y' = 3t², so y(t) = t³ exactly (RK4 is exact for cubics).
    const [t = 0, y = 0] = rk4Step((s) => [1, 3 * (s[0] ?? 0) ** 2], [1, 1], 0.5);
    expect(t).toBeCloseTo(1.5, 14);
    expect(y).toBeCloseTo(1.5 ** 3, 14);
  });
});
