"""PyTorch twin of bench/learner.bench.ts: the same PPO and DQN SGD steps on one CPU thread.

Run by the bench when /usr/bin/python3 has torch (Debian's python3-torch):
    /usr/bin/python3 bench/learner_torch.py '<json list of cases>'
Each case is {"algo": "ppo"|"dqn", "hiddens": [..], "rows": N, "batch": M, "seconds": S}; prints one
JSON object per line: the case plus "msPerStep" (median of 5 timed blocks) and "samplesPerS".

The losses are LoomRL's (RLlib's old-stack PPO and DQN losses), written out the way a PyTorch
user would: nn.Linear layers, autograd, torch.optim.Adam; the minibatch is indexed from the whole
train batch each step, as LoomRL's learner does.
"""
import json
import statistics
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)


def mlp(sizes, activation, out):
    layers = []
    width = sizes[0]
    for units in sizes[1:]:
        layers += [nn.Linear(width, units), activation()]
        width = units
    layers.append(nn.Linear(width, out))
    return nn.Sequential(*layers)


def timed(step, seconds):
    """Milliseconds per call: median over 5 blocks of ~seconds/5 each, after a warm-up."""
    for _ in range(3):
        step()
    started = time.perf_counter()
    calls = 0
    while time.perf_counter() - started < 0.2 or calls < 2:
        step()
        calls += 1
    per_call = (time.perf_counter() - started) / calls
    block = max(1, int(seconds / 5 / per_call))
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(block):
            step()
        times.append((time.perf_counter() - t0) / block * 1000)
    return statistics.median(times)


def ppo_case(hiddens, rows, batch, seconds):
    """One PPO SGD step: clipped surrogate, clipped value loss, entropy, KL penalty; RLlib's defaults."""
    obs_dim, actions_n = 4, 2
    clip_param, vf_clip, vf_coeff, ent_coeff, kl_coeff = 0.3, 10.0, 1.0, 0.0, 0.2
    pi = mlp([obs_dim, *hiddens], nn.Tanh, actions_n)
    vf = mlp([obs_dim, *hiddens], nn.Tanh, 1)
    params = list(pi.parameters()) + list(vf.parameters())
    opt = torch.optim.Adam(params, lr=5e-5, eps=1e-7)
    obs = torch.randn(batch, obs_dim)
    actions = torch.randint(0, actions_n, (batch,))
    old_logits = torch.randn(batch, actions_n) * 0.1
    old_logp = torch.log_softmax(old_logits, 1).gather(1, actions[:, None])[:, 0]
    advantages = torch.randn(batch)
    value_targets = torch.randn(batch)
    order = torch.randperm(batch)
    position = [0]
    stats = []

    def step():
        start = position[0]
        if start + rows > batch:
            order.copy_(torch.randperm(batch))
            start = 0
        position[0] = start + rows
        idx = order[start:start + rows]
        o, a, olp, ol, adv, vt = obs[idx], actions[idx], old_logp[idx], old_logits[idx], advantages[idx], value_targets[idx]
        logits = pi(o)
        values = vf(o)[:, 0]
        log_probs = torch.log_softmax(logits, 1)
        logp = log_probs.gather(1, a[:, None])[:, 0]
        ratio = torch.exp(logp - olp)
        surrogate = torch.min(adv * ratio, adv * torch.clamp(ratio, 1 - clip_param, 1 + clip_param))
        policy_loss = -surrogate.mean()
        old_log_probs = torch.log_softmax(ol, 1)
        kl = (old_log_probs.exp() * (old_log_probs - log_probs)).sum(1).mean()
        entropy = -(log_probs.exp() * log_probs).sum(1).mean()
        vf_loss = torch.clamp((values - vt) ** 2, 0, vf_clip).mean()
        total = policy_loss + vf_coeff * vf_loss - ent_coeff * entropy + kl_coeff * kl
        opt.zero_grad()
        total.backward()
        opt.step()
        stats.append(torch.stack([total.detach(), policy_loss.detach(), vf_loss.detach(), kl.detach(), entropy.detach()]))
        if len(stats) > 64:
            stats.clear()

    return timed(step, seconds)


def dqn_case(hiddens, rows, seconds):
    """One DQN update: dueling Q net, double Q with a target net, Huber loss, importance weights, grad clip 40."""
    obs_dim, actions_n, gamma = 4, 2, 0.99

    class QNet(nn.Module):
        def __init__(self):
            super().__init__()
            trunk = []
            width = obs_dim
            for units in hiddens:
                trunk += [nn.Linear(width, units), nn.ReLU()]
                width = units
            self.trunk = nn.Sequential(*trunk)
            self.advantage = nn.Linear(width, actions_n)
            self.value = nn.Linear(width, 1)

        def forward(self, x):
            f = self.trunk(x)
            a = self.advantage(f)
            return self.value(f) + a - a.mean(1, keepdim=True)

    online, target = QNet(), QNet()
    target.load_state_dict(online.state_dict())
    opt = torch.optim.Adam(online.parameters(), lr=5e-4, eps=1e-8)
    obs = torch.randn(rows, obs_dim)
    next_obs = torch.randn(rows, obs_dim)
    actions = torch.randint(0, actions_n, (rows,))
    rewards = torch.ones(rows)
    discounts = torch.full((rows,), gamma)
    not_done = (torch.rand(rows) > 0.05).float()
    weights = torch.ones(rows)

    def step():
        q = online(obs)
        q_selected = q.gather(1, actions[:, None])[:, 0]
        with torch.no_grad():
            next_action = online(next_obs).argmax(1)
            q_next = target(next_obs).gather(1, next_action[:, None])[:, 0]
            y = rewards + discounts * not_done * q_next
        td = q_selected - y
        loss = (weights * nn.functional.huber_loss(q_selected, y, reduction='none', delta=1.0)).mean()
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(online.parameters(), 40.0)
        opt.step()
        # What the learner reads back each update: the stats and the TD errors for priorities.
        _ = (loss.item(), q_selected.mean().item(), td.detach().numpy().copy())

    return timed(step, seconds)


def main():
    cases = json.loads(sys.argv[1])
    for case in cases:
        if case['algo'] == 'ppo':
            ms = ppo_case(case['hiddens'], case['rows'], case['batch'], case['seconds'])
        else:
            ms = dqn_case(case['hiddens'], case['rows'], case['seconds'])
        print(json.dumps({**case, 'msPerStep': ms, 'samplesPerS': case['rows'] / ms * 1000}), flush=True)


if __name__ == '__main__':
    main()
