// CartPole-v1 in plain JavaScript: Gymnasium's dynamics and limits (as packages/envs/src/classic/cartPole.ts).
const GRAVITY = 9.8;
const CART_MASS = 1.0;
const POLE_MASS = 0.1;
const TOTAL_MASS = CART_MASS + POLE_MASS;
const HALF_POLE_LENGTH = 0.5;
const POLE_MASS_LENGTH = POLE_MASS * HALF_POLE_LENGTH;
const FORCE = 10.0;
const TAU = 0.02;
export const X_LIMIT = 2.4;
const THETA_LIMIT = (12 * 2 * Math.PI) / 360;
export const MAX_STEPS = 500;

/** A new episode's state, uniform in [-0.05, 0.05]. */
export function resetState(random = Math.random) {
  return [0, 0, 0, 0].map(() => random() * 0.1 - 0.05);
}

/** One step: the next state and whether the pole fell or the cart left the track. */
export function step([x, xDot, theta, thetaDot], action) {
  const force = action === 1 ? FORCE : -FORCE;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
  const thetaAcc = (GRAVITY * sin - cos * temp) / (HALF_POLE_LENGTH * (4 / 3 - (POLE_MASS * cos * cos) / TOTAL_MASS));
  const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
  const next = [x + TAU * xDot, xDot + TAU * xAcc, theta + TAU * thetaDot, thetaDot + TAU * thetaAcc];
  const terminated = Math.abs(next[0]) > X_LIMIT || Math.abs(next[2]) > THETA_LIMIT;
  return { state: next, terminated };
}
