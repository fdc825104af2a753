"""The GPU peers of gcnlab's webgpu device: the article's GCN trained on the GPU by PyTorch and JAX, at their fastest.

Reads the graph bench/gpu.ts exported from gcnlab's own loader (identical data on both sides) and prints one JSON
row per implementation. An epoch is what gcnlab's train() times: forward, loss (with the article's L2 term),
backward, Adam, the validation loss and accuracy, ended by reading the three numbers back to the host.

  torch-eager-dense / torch-eager-sparse   eager PyTorch, A dense / torch.sparse.mm (COO)
  torch-graph-dense / torch-graph-scatter  the whole epoch captured once as a CUDA graph and replayed (Adam
                                           capturable=True); A dense / A @ H as an index_add_ scatter over the edges
  jax-dense / jax-segment                  the whole epoch as one jax.jit (optax Adam); A dense / segment_sum
  torch-graph-ahead-* / jax-ahead-*        the same, epoch e + 1 started before epoch e's numbers are read back (as
                                           gcnlab's train() does where no early stop can come between them)

--layers 1 is the 2-layer GCN everyone measures (F->16->C); --layers 2 the article's three-layer model
(F->16->16->C), nbLayers counting hidden layers as the article's code does. Dense rows are skipped past --dense-max
nodes (n^2 floats). Each row carries the peak GPU memory of its run and, for the sparse ones, the time and achieved
memory bandwidth of one A @ H of the hidden width alone (CUDA events), with the bytes it must move.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import time
import warnings

import numpy as np


def load(directory):
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)

    def arr(name, dtype):
        return np.fromfile(os.path.join(directory, name + ".bin"), dtype=dtype)

    def coo(prefix, rows, cols):
        ptr = arr(prefix + "RowPtr", np.int32).astype(np.int64)
        col = arr(prefix + "ColIndex", np.int32).astype(np.int64)
        row = np.repeat(np.arange(rows, dtype=np.int64), np.diff(ptr))
        return row, col, arr(prefix + "Values", np.float32), (rows, cols)

    n = meta["numNodes"]
    g = {
        "meta": meta,
        "features": coo("features", n, meta["numFeatures"]),
        "adjacency": coo("adjacency", n, n),
        "labels": arr("labels", np.int32).astype(np.int64),
    }
    for k in ("trainMask", "valMask", "testMask"):
        g[k] = np.nonzero(arr(k, np.uint8))[0].astype(np.int64)
    return g


def dense_of(m):
    row, col, val, shape = m
    out = np.zeros(shape, dtype=np.float32)
    out[row, col] = val  # CSR holds each entry once
    return out


def sizes(meta, args):
    return [meta["numFeatures"]] + [args.hidden] * args.layers + [meta["numClasses"]]


def glorot(dims, seed):
    """Each layer's W (Glorot-uniform) and b (zero), as gcnlab initialises them, for layer widths `dims`: numpy arrays."""
    rng = np.random.default_rng(seed)
    params = []
    for i, o in zip(dims[:-1], dims[1:]):
        bound = math.sqrt(6 / (i + o))
        params += [rng.uniform(-bound, bound, (i, o)).astype(np.float32), np.zeros(o, np.float32)]
    return params


def sm_clock():
    """The GPU's SM clock, read once by nvidia-smi (bench/gpu-clocks.ts reads it the same way), or None."""
    try:
        out = subprocess.run(
            ["nvidia-smi", "--id=0", "--query-gpu=clocks.sm,clocks_event_reasons.active", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, check=True, timeout=5,
        ).stdout.splitlines()[0].split(",")
        return {"smMHz": float(out[0]), "reasons": out[1].strip()}
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


def timed_runs(one_run, args):
    """A warm-up run, then args.runs timed ones of args.epochs: every epoch's ms, the mean test accuracy, the last
    metrics, and the SM clock read just before and after the timed runs (None where nvidia-smi is not there)."""
    one_run(1000, args.warmup)
    times, accs, last = [], [], None
    before = sm_clock()
    for r in range(args.runs):
        t, acc, last = one_run(r, args.epochs)
        times += t
        accs.append(acc)
    after = sm_clock()
    clock = {"before": before, "after": after} if before and after else None
    return times, statistics.mean(accs), last, clock


def peer_row(impl, engine, kind, dims, times, accuracy, last, args, n, nnz, **extra):
    """One JSON row, with the keys every peer (and gcnlab's rows) share."""
    return {
        "impl": impl,
        "engine": engine,
        "device": "cuda",
        "adjacency": "dense" if kind == "dense" else "sparse",
        "features": "dense",
        "layers": len(dims) - 1,
        "msPerEpoch": statistics.mean(times),
        "medianMs": statistics.median(times),
        "minMs": min(times),
        "runs": args.runs,
        "epochs": args.epochs,
        "testAccuracy": accuracy,
        "lastMetrics": last,
        "nodes": n,
        "adjacencyNonZeros": nnz,
        **extra,
    }


def spmm_bytes(n, nnz, width):
    """What one CSR/COO A @ H (n x width) must move: the index and values, a gathered row per non-zero, the output."""
    return 4 * (n + 1) + 8 * nnz + 4 * width * (nnz + n)


# ---------------------------------------------------------------- PyTorch


def torch_rows(g, impls, args):
    import torch
    import torch.nn.functional as F

    dev = torch.device("cuda")
    meta = g["meta"]
    n = meta["numNodes"]
    dims = sizes(meta, args)
    x = torch.from_numpy(dense_of(g["features"])).to(dev)
    arow, acol, aval, _ = g["adjacency"]
    dst, src, val = (torch.from_numpy(a).to(dev) for a in (arow, acol, aval))
    labels = torch.from_numpy(g["labels"]).to(dev)
    train_idx, val_idx, test_idx = (torch.from_numpy(g[k]).to(dev) for k in ("trainMask", "valMask", "testMask"))
    adj_dense = None
    adj_coo = torch.sparse_coo_tensor(torch.stack([dst, src]), val, (n, n)).coalesce()

    def propagate_fn(kind):
        if kind == "dense":
            return lambda h: adj_dense @ h
        if kind == "sparse":
            return lambda h: torch.sparse.mm(adj_coo, h)
        # A @ H as a scatter: every edge's weighted source row added into its destination row.
        return lambda h: torch.zeros(n, h.shape[1], device=dev, dtype=h.dtype).index_add_(0, dst, h.index_select(0, src) * val[:, None])

    def init(seed):
        return [torch.from_numpy(p).to(dev) for p in glorot(dims, seed)]

    def epoch_fn(params, propagate):
        def forward(train_mode):
            h = x
            layers = len(params) // 2
            for li in range(layers):
                h = propagate(h @ params[2 * li] + params[2 * li + 1])
                if li < layers - 1:
                    h = F.dropout(torch.relu(h), args.dropout, train_mode)
            return h

        def step(optimizer):
            optimizer.zero_grad(set_to_none=False)
            y_hat = forward(True)
            l2 = torch.sqrt(sum((p * p).sum() for p in params))
            loss = F.cross_entropy(y_hat.index_select(0, train_idx), labels.index_select(0, train_idx)) + args.weight_decay * l2
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                yv = y_hat.index_select(0, val_idx)
                lv = labels.index_select(0, val_idx)
                return torch.stack([loss.detach(), F.cross_entropy(yv, lv), (yv.argmax(1) == lv).float().mean()])

        return forward, step

    rows = []
    for impl in impls:
        kind = impl.split("-")[-1]
        if kind == "dense" and n > args.dense_max:
            continue
        if kind == "dense" and adj_dense is None:
            adj_dense = adj_coo.to_dense()
        captured = "graph" in impl
        propagate = propagate_fn(kind)
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()

        def one_run(seed, epochs):
            params = [p.requires_grad_() for p in init(seed)]
            optimizer = torch.optim.Adam(params, lr=args.lr, capturable=captured)
            forward, step = epoch_fn(params, propagate)
            if captured:
                fresh = [p.detach().clone() for p in params]
                side = torch.cuda.Stream()
                side.wait_stream(torch.cuda.current_stream())
                with torch.cuda.stream(side):
                    for _ in range(3):  # warm-up before capture, as CUDA graphs require
                        step(optimizer)
                torch.cuda.current_stream().wait_stream(side)
                graph = torch.cuda.CUDAGraph()
                with torch.cuda.graph(graph):
                    metrics = step(optimizer)
                # The warm-up moved the parameters: start the timed run from the seed's weights and fresh Adam state.
                with torch.no_grad():
                    for p, f0 in zip(params, fresh):
                        p.copy_(f0)
                    for state in optimizer.state.values():
                        for v in state.values():
                            v.zero_()
                run_epoch = lambda: (graph.replay(), metrics)[1]
            else:
                run_epoch = lambda: step(optimizer)
            times = []
            if "ahead" in impl:
                # As gcnlab's train() does: epoch e + 1 replayed before epoch e's metrics are read, each epoch's
                # copied into a pinned host slot of its own behind it on the stream, an event marking it there.
                slots = [torch.empty(3, pin_memory=True) for _ in range(2)]
                done = [torch.cuda.Event() for _ in range(2)]

                def submit(e):
                    run_epoch()
                    slots[e % 2].copy_(metrics, non_blocking=True)
                    done[e % 2].record()
                    return e

                in_flight = None
                for e in range(epochs):
                    t0 = time.perf_counter()
                    current = submit(e) if in_flight is None else in_flight
                    in_flight = submit(e + 1) if e + 1 < epochs else None
                    done[current % 2].synchronize()
                    m = slots[current % 2].tolist()
                    times.append((time.perf_counter() - t0) * 1000)
            else:
                for _ in range(epochs):
                    t0 = time.perf_counter()
                    m = run_epoch().tolist()  # reading the numbers back is the barrier, as in gcnlab
                    times.append((time.perf_counter() - t0) * 1000)
            with torch.no_grad():
                out = forward(False)
                test_acc = (out.index_select(0, test_idx).argmax(1) == labels.index_select(0, test_idx)).float().mean().item()
            return times, test_acc, m

        times, accuracy, last, clock = timed_runs(one_run, args)
        row = peer_row(
            "pytorch", impl, kind, dims, times, accuracy, last, args, n, int(val.numel()),
            runsOn=torch.cuda.get_device_name(), peakGpuMb=torch.cuda.max_memory_allocated() / 2**20, version=f"torch {torch.__version__}",
        )
        if clock:
            row["smClock"] = clock
        if kind != "dense":
            row.update(torch_spmm_alone(torch, propagate, n, args.hidden, int(val.numel()), dev))
        rows.append(row)
        print(json.dumps(row), flush=True)
    torch.cuda.empty_cache()
    return rows


def torch_spmm_alone(torch, propagate, n, width, nnz, dev):
    h = torch.randn(n, width, device=dev)
    for _ in range(3):
        propagate(h)
    reps = 20
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(reps):
        propagate(h)
    end.record()
    torch.cuda.synchronize()
    ms = start.elapsed_time(end) / reps
    b = spmm_bytes(n, nnz, width)
    return {"spmmMs": ms, "spmmBytes": b, "spmmGBps": b / ms / 1e6}


# ---------------------------------------------------------------- JAX


def jax_rows(g, impls, args):
    import jax
    import jax.numpy as jnp
    import optax

    meta = g["meta"]
    n = meta["numNodes"]
    dims = sizes(meta, args)
    x = jnp.asarray(dense_of(g["features"]))
    arow, acol, aval, _ = g["adjacency"]
    dst, src, val = jnp.asarray(arow.astype(np.int32)), jnp.asarray(acol.astype(np.int32)), jnp.asarray(aval)
    labels = jnp.asarray(g["labels"].astype(np.int32))
    train_idx, val_idx, test_idx = (jnp.asarray(g[k].astype(np.int32)) for k in ("trainMask", "valMask", "testMask"))
    dev = jax.devices()[0]
    rows = []
    for impl in impls:
        kind = impl.split("-")[-1]
        if kind == "dense" and n > args.dense_max:
            continue
        # The graph's arrays go into the jitted step as an argument: closed over, JAX would embed them in the
        # program as constants (docs.jax.dev, "Handling of closed-over constants"), which XLA then compiles with them
        # (5 GB of X at 10^7 nodes).
        graph = {"x": x, "labels": labels, "train": train_idx, "val": val_idx, "test": test_idx}
        if kind == "dense":
            graph["adj"] = jnp.asarray(dense_of(g["adjacency"]))
            propagate = lambda h, G: G["adj"] @ h
        else:
            graph.update(src=src, dst=dst, w=val)
            propagate = lambda h, G: jax.ops.segment_sum(h[G["src"]] * G["w"][:, None], G["dst"], num_segments=n, indices_are_sorted=True)

        def forward(params, key, train_mode, G):
            h = G["x"]
            layers = len(params) // 2
            for li in range(layers):
                h = propagate(h @ params[2 * li] + params[2 * li + 1], G)
                if li < layers - 1:
                    h = jax.nn.relu(h)
                    if train_mode:
                        key, sub = jax.random.split(key)
                        keep = jax.random.bernoulli(sub, 1 - args.dropout, h.shape)
                        h = jnp.where(keep, h / (1 - args.dropout), 0.0)
            return h

        def ce(logits, y):
            return jnp.mean(optax.softmax_cross_entropy_with_integer_labels(logits, y))

        def loss_fn(params, key, G):
            y_hat = forward(params, key, True, G)
            l2 = jnp.sqrt(sum(jnp.sum(p * p) for p in params))
            return ce(y_hat[G["train"]], G["labels"][G["train"]]) + args.weight_decay * l2, y_hat

        opt = optax.adam(args.lr)

        def step(params, state, key, epoch, G):
            (loss, y_hat), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, jax.random.fold_in(key, epoch), G)
            updates, state = opt.update(grads, state, params)
            params = optax.apply_updates(params, updates)
            yv, lv = y_hat[G["val"]], G["labels"][G["val"]]
            return params, state, jnp.stack([loss, ce(yv, lv), jnp.mean(jnp.argmax(yv, 1) == lv)])

        step = jax.jit(step, donate_argnums=(0, 1))
        test = jax.jit(lambda p, G: jnp.mean(jnp.argmax(forward(p, None, False, G)[G["test"]], 1) == G["labels"][G["test"]]))

        def init(seed):
            return [jnp.asarray(p) for p in glorot(dims, seed)]

        def one_run(seed, epochs):
            params = init(seed)
            state = opt.init(params)
            key = jax.random.PRNGKey(seed)
            times = []
            ahead = "ahead" in impl
            in_flight = None
            for e in range(epochs):
                t0 = time.perf_counter()
                if in_flight is None:
                    params, state, in_flight = step(params, state, key, e, graph)
                current = in_flight
                in_flight = None
                # "ahead": epoch e + 1 dispatched (JAX dispatches asynchronously) before epoch e's metrics are read.
                if ahead and e + 1 < epochs:
                    params, state, in_flight = step(params, state, key, e + 1, graph)
                m = np.asarray(current)  # reading the numbers back is the barrier, as in gcnlab
                times.append((time.perf_counter() - t0) * 1000)
            return times, float(test(params, graph)), m.tolist()

        times, accuracy, last, clock = timed_runs(one_run, args)
        stats = dev.memory_stats() or {}
        row = peer_row(
            "jax", impl, kind, dims, times, accuracy, last, args, n, int(val.shape[0]),
            runsOn=dev.device_kind, peakGpuMb=stats.get("peak_bytes_in_use", 0) / 2**20, version=f"jax {jax.__version__}",
        )
        if clock:
            row["smClock"] = clock
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


IMPLS = [
    "torch-eager-dense", "torch-eager-sparse", "torch-graph-dense", "torch-graph-scatter", "jax-dense", "jax-segment",
    # The same CUDA graphs and jax.jit with the next epoch started before the metrics are read, as gcnlab's train() does.
    "torch-graph-ahead-dense", "torch-graph-ahead-scatter", "jax-ahead-dense", "jax-ahead-segment",
]


def main():
    warnings.filterwarnings("ignore", message=".*[Ss]parse.*beta.*")
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="directory written by bench/export-graph.ts")
    p.add_argument("--impls", default=",".join(IMPLS), help=f"comma-separated, of {', '.join(IMPLS)}")
    p.add_argument("--layers", type=int, default=1, help="hidden layers (nbLayers): 1 = 2-layer GCN, 2 = the article's 3")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--epochs", type=int, default=50)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--hidden", type=int, default=16)
    p.add_argument("--dropout", type=float, default=0.5)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--weight-decay", type=float, default=5e-3)
    p.add_argument("--dense-max", type=int, default=30000, help="largest node count trained with a dense adjacency")
    args = p.parse_args()
    impls = [i for i in args.impls.split(",") if i]
    for i in impls:
        if i not in IMPLS:
            p.error(f"--impls: unknown '{i}', choose from {', '.join(IMPLS)}")
    g = load(args.data)
    # JAX (imported after PyTorch has run and emptied its cache) told not to take most of the GPU up front.
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    jax_impls = [i for i in impls if i.startswith("jax")]
    torch_impls = [i for i in impls if i.startswith("torch")]
    if torch_impls:
        torch_rows(g, torch_impls, args)
    if jax_impls:
        jax_rows(g, jax_impls, args)


if __name__ == "__main__":
    main()
