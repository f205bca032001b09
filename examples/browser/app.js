// Animates CartPole with the exported policy: tf.loadLayersModel + argmax of the logits (explore: false).
import { MAX_STEPS, resetState, step, X_LIMIT } from './cartpole.js';

const tf = window.tf;
const canvas = document.getElementById('scene');
const ctx = canvas.getContext('2d');
const statsLine = document.getElementById('stats');
const stats = { steps: 0, episodes: 0, episodeReturn: 0, returns: [] };

/** The greedy action for each observation (argmax of the model's logits). */
function greedyActions(model, observations) {
  return tf.tidy(() =>
    model
      .predict(tf.tensor2d(observations, [observations.length, 4]))
      .argMax(-1)
      .arraySync(),
  );
}

function draw(state) {
  const [x, , theta] = state;
  const scale = canvas.width / (2 * X_LIMIT * 1.2);
  const cartX = canvas.width / 2 + x * scale;
  const cartY = canvas.height * 0.75;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = '#999';
  ctx.beginPath();
  ctx.moveTo(0, cartY + 15);
  ctx.lineTo(canvas.width, cartY + 15);
  ctx.stroke();
  ctx.fillStyle = '#4c78a8';
  ctx.fillRect(cartX - 30, cartY - 15, 60, 30);
  ctx.strokeStyle = '#f58518';
  ctx.lineWidth = 8;
  ctx.beginPath();
  ctx.moveTo(cartX, cartY - 15);
  ctx.lineTo(cartX + Math.sin(theta) * 2 * scale * 0.5, cartY - 15 - Math.cos(theta) * 2 * scale * 0.5);
  ctx.stroke();
  ctx.lineWidth = 1;
}

async function main() {
  const model = await tf.loadLayersModel('model/model.json');
  window.loomrl = { tf, model, stats, greedyActions: (observations) => greedyActions(model, observations) };
  let state = resetState();
  let t = 0;
  const frame = () => {
    const [action] = greedyActions(model, [state]);
    const next = step(state, action);
    state = next.state;
    t += 1;
    stats.steps += 1;
    stats.episodeReturn += 1;
    if (next.terminated || t >= MAX_STEPS) {
      stats.returns.push(stats.episodeReturn);
      stats.episodes += 1;
      stats.episodeReturn = 0;
      state = resetState();
      t = 0;
    }
    draw(state);
    const last = stats.returns.at(-1);
    statsLine.textContent = `episode ${stats.episodes + 1}, step ${t}` + (last === undefined ? '' : `, last return ${last}`);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

window.loomrlReady = main();
