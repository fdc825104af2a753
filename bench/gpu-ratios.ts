// Issue 17's Cora verdict from one run's rows: each gcnlab fused row against the fastest CUDA-graph or jax.jit peer of
// the same depth and adjacency in the same round, and over the rounds each target's median and worst ratio.
import { timingStats } from '../src/index.js';

/** The peers the target names: whole-epoch CUDA graphs and jax.jit steps (eager PyTorch is not among them). */
export const TARGET_PEERS = ['torch-graph-dense', 'torch-graph-scatter', 'torch-graph-ahead-dense', 'torch-graph-ahead-scatter', 'jax-dense', 'jax-segment', 'jax-ahead-dense', 'jax-ahead-segment'];

/** At most this fraction of the fastest peer's ms/epoch. */
export const TARGET_RATIO = 0.5;

export interface RoundRatio {
  round: number;
  layers: number;
  features: string;
  adjacency: string;
  gcnlabMs: number;
  peer: string;
  peerMs: number;
  ratio: number;
}

export interface TargetSummary {
  layers: number;
  features: string;
  adjacency: string;
  rounds: number;
  medianRatio: number;
  worstRatio: number;
  roundsMet: number;
  met: boolean;
}

type Row = Record<string, unknown>;

/**
 * Each round's ratios (rows carry `round`; rows without one are round 1). A gcnlab row is `engine: 'webgpu-fused'`
 * with medianMs and no `kind`; a peer row's impl is not gcnlab and its engine one of TARGET_PEERS.
 */
export function roundRatios(rows: Row[]): RoundRatio[] {
  const timed = rows.filter((r) => typeof r.medianMs === 'number' && r.kind === undefined && r.after === undefined);
  const out: RoundRatio[] = [];
  for (const g of timed.filter((r) => r.impl === 'gcnlab' && r.engine === 'webgpu-fused')) {
    const round = (g.round as number | undefined) ?? 1;
    const peers = timed.filter((p) => p.impl !== 'gcnlab' && TARGET_PEERS.includes(p.engine as string) && ((p.round as number | undefined) ?? 1) === round && p.layers === g.layers && p.adjacency === g.adjacency);
    if (!peers.length) continue;
    const best = peers.reduce((a, b) => ((b.medianMs as number) < (a.medianMs as number) ? b : a));
    out.push({
      round,
      layers: g.layers as number,
      features: g.features as string,
      adjacency: g.adjacency as string,
      gcnlabMs: g.medianMs as number,
      peer: best.engine as string,
      peerMs: best.medianMs as number,
      ratio: (g.medianMs as number) / (best.medianMs as number),
    });
  }
  return out;
}

/** Per target (depth, X and A layouts): the median and worst ratio over the rounds, and whether every round met it. */
export function targetSummaries(ratios: RoundRatio[]): TargetSummary[] {
  const keys = [...new Set(ratios.map((r) => `${r.layers}/${r.features}/${r.adjacency}`))];
  return keys.map((key) => {
    const mine = ratios.filter((r) => `${r.layers}/${r.features}/${r.adjacency}` === key);
    const xs = mine.map((r) => r.ratio);
    const roundsMet = xs.filter((x) => x <= TARGET_RATIO).length;
    return { layers: mine[0].layers, features: mine[0].features, adjacency: mine[0].adjacency, rounds: xs.length, medianRatio: timingStats(xs).medianMs, worstRatio: Math.max(...xs), roundsMet, met: roundsMet === xs.length };
  });
}
