// Issue 17's Cora verdict from one run's rows: each gcnlab fused row against the fastest CUDA-graph or jax.jit peer of
// the same depth and adjacency in the same round, and over the rounds each target's median and worst ratio. Since
// webgpu reads a dense A that is mostly zeros as CSR, each row is also set against the fastest peer of its depth
// whatever that peer's adjacency (anyAdjacency), so a dense-A row is not judged only by peers that scan every entry.
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
  /** The same against the fastest named peer of the depth, of either adjacency. */
  anyAdjacency: { peer: string; peerMs: number; ratio: number };
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
  /** The worst ratio over the rounds to the fastest peer of either adjacency (RoundRatio.anyAdjacency). */
  worstRatioAnyAdjacency: number;
}

type Row = Record<string, unknown>;

/** A row of the comparison: timed, not a profile, not timed after the accuracy check. */
function isTimedRow(r: Row): boolean {
  return typeof r.medianMs === 'number' && r.kind === undefined && r.after === undefined;
}

/** One of gcnlab's fused webgpu rows of the comparison. */
function isFusedGcnlabRow(r: Row): boolean {
  return isTimedRow(r) && r.impl === 'gcnlab' && r.engine === 'webgpu-fused';
}

/** A target's key: its depth and its X and A layouts. */
const targetOf = (r: { layers?: unknown; features?: unknown; adjacency?: unknown }) => `${r.layers}/${r.features}/${r.adjacency}`;

/**
 * Each round's ratios (rows carry `round`; rows without one are round 1). A gcnlab row is `engine: 'webgpu-fused'`
 * with medianMs and no `kind`; a peer row's impl is not gcnlab and its engine one of TARGET_PEERS.
 */
export function roundRatios(rows: Row[]): RoundRatio[] {
  const timed = rows.filter(isTimedRow);
  const out: RoundRatio[] = [];
  for (const g of timed.filter(isFusedGcnlabRow)) {
    const round = (g.round as number | undefined) ?? 1;
    const ofDepth = timed.filter((p) => p.impl !== 'gcnlab' && TARGET_PEERS.includes(p.engine as string) && ((p.round as number | undefined) ?? 1) === round && p.layers === g.layers);
    const peers = ofDepth.filter((p) => p.adjacency === g.adjacency);
    if (!peers.length) continue;
    const fastest = (rs: Row[]) => rs.reduce((a, b) => ((b.medianMs as number) < (a.medianMs as number) ? b : a));
    const best = fastest(peers);
    const any = fastest(ofDepth);
    out.push({
      round,
      layers: g.layers as number,
      features: g.features as string,
      adjacency: g.adjacency as string,
      gcnlabMs: g.medianMs as number,
      peer: best.engine as string,
      peerMs: best.medianMs as number,
      ratio: (g.medianMs as number) / (best.medianMs as number),
      anyAdjacency: { peer: any.engine as string, peerMs: any.medianMs as number, ratio: (g.medianMs as number) / (any.medianMs as number) },
    });
  }
  return out;
}

/** Per target (depth, X and A layouts): the median and worst ratio over the rounds, and whether every round met it. */
export function targetSummaries(ratios: RoundRatio[]): TargetSummary[] {
  const keys = [...new Set(ratios.map(targetOf))];
  return keys.map((key) => {
    const mine = ratios.filter((r) => targetOf(r) === key);
    const xs = mine.map((r) => r.ratio);
    const roundsMet = xs.filter((x) => x <= TARGET_RATIO).length;
    const worstRatioAnyAdjacency = Math.max(...mine.map((r) => r.anyAdjacency.ratio));
    return { layers: mine[0].layers, features: mine[0].features, adjacency: mine[0].adjacency, rounds: xs.length, medianRatio: timingStats(xs).medianMs, worstRatio: Math.max(...xs), roundsMet, met: roundsMet === xs.length, worstRatioAnyAdjacency };
  });
}

export interface PositionSummary {
  /** 1 for the first gcnlab row of its round. */
  position: number;
  rowCount: number;
  medianMs: number;
  /**
   * The median over this place's rows of each row's ms/epoch divided by its target's median over every place: 1 where
   * the place costs nothing, whichever targets happened to sit there.
   */
  relativeMedian: number;
  /** Each target's ms/epoch at this place in its rounds, keyed `layers/features/adjacency`. */
  byTarget: Record<string, number[]>;
}

/**
 * gcnlab's fused rows by their place in the round (rows that record `position`: bench/gpu.ts --rounds since aeb5425),
 * so that what a row's place does can be told from what its model does.
 */
export function positionSummaries(rows: Row[]): PositionSummary[] {
  const placed = rows.filter((r) => isFusedGcnlabRow(r) && typeof r.position === 'number');
  const targetMedian = new Map<string, number>();
  for (const key of new Set(placed.map(targetOf))) targetMedian.set(key, timingStats(placed.filter((r) => targetOf(r) === key).map((r) => r.medianMs as number)).medianMs);
  const positions = [...new Set(placed.map((r) => r.position as number))].sort((a, b) => a - b);
  return positions.map((position) => {
    const mine = placed.filter((r) => r.position === position);
    const byTarget: Record<string, number[]> = {};
    for (const r of mine) (byTarget[targetOf(r)] ??= []).push(r.medianMs as number);
    const relative = mine.map((r) => (r.medianMs as number) / targetMedian.get(targetOf(r))!);
    return { position, rowCount: mine.length, medianMs: timingStats(mine.map((r) => r.medianMs as number)).medianMs, relativeMedian: timingStats(relative).medianMs, byTarget };
  });
}

/** What a rounds file says of its rows: each round's ratios, each target over the rounds, and gcnlab's rows by place. */
export function roundsSummary(rows: Row[]): { ratios: RoundRatio[]; targets: TargetSummary[]; positions: PositionSummary[] } {
  const ratios = roundRatios(rows);
  return { ratios, targets: targetSummaries(ratios), positions: positionSummaries(rows) };
}
