"""PyTorch peer of gcnlab's benchmark: the seed article's GCN (dense, any --nb-layers), and the same with torch.sparse.mm.

Reads the graph that bench/peers.ts exported from gcnlab's own loader (so both sides train on identical data),
trains 5 runs x 50 epochs after a warm-up, and prints one JSON row per adjacency mode.
An epoch is what gcnlab times: forward, loss, backward, Adam step, validation loss and accuracy, read back.
"""
import argparse
import warnings
import json
import os
import resource
import statistics
import time

import numpy as np
import torch
import torch.nn as nn


class GCNLayer(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features, bias)
        # Glorot-uniform weights and zero bias, as gcnlab (and Kipf's GCN) initialise them.
        nn.init.xavier_uniform_(self.linear.weight)
        if bias:
            nn.init.zeros_(self.linear.bias)

    def forward(self, x, adj):
        x = self.linear(x) if not x.is_sparse else torch.sparse.mm(x, self.linear.weight.t()) + self.linear.bias
        return torch.sparse.mm(adj, x) if adj.is_sparse else adj @ x


class GCN(nn.Module):
    # nb_layers counts hidden layers, as the article's code does; 1 is the 2-layer GCN everyone measures.
    def __init__(self, x_dim, h_dim, out_dim, nb_layers=1, dropout=0.5, bias=True):
        super().__init__()
        layer_sizes = [x_dim] + [h_dim] * nb_layers + [out_dim]
        self.gcn_layers = nn.ModuleList(
            [GCNLayer(i, o, bias) for i, o in zip(layer_sizes[:-1], layer_sizes[1:])]
        )
        self.dropout = nn.Dropout(p=dropout)

    def forward(self, x, adj):
        for layer in self.gcn_layers[:-1]:
            x = self.dropout(torch.relu(layer(x, adj)))
        return self.gcn_layers[-1](x, adj)


def loss_fn(y_hat, y, weight_decay=0.0, parameters=None):
    loss = nn.functional.cross_entropy(y_hat, y)
    if weight_decay != 0.0:
        l2 = torch.sqrt(sum((p ** 2).sum() for p in parameters))
        return loss + weight_decay * l2
    return loss


def eval_fn(y_hat, y):
    return (y_hat.argmax(1) == y).float().mean()


def load(directory):
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)

    def arr(name, dtype):
        return np.fromfile(os.path.join(directory, name + ".bin"), dtype=dtype)

    n = meta["numNodes"]

    def csr(prefix, rows, cols):
        return torch.sparse_csr_tensor(  # beta in torch 1.13; only converted to dense and COO below
            torch.from_numpy(arr(prefix + "RowPtr", np.int32).astype(np.int64)),
            torch.from_numpy(arr(prefix + "ColIndex", np.int32).astype(np.int64)),
            torch.from_numpy(arr(prefix + "Values", np.float32)),
            size=(rows, cols),
        )

    features = csr("features", n, meta["numFeatures"])
    adjacency = csr("adjacency", n, n)
    labels = torch.from_numpy(arr("labels", np.int32).astype(np.int64))
    masks = {k: torch.from_numpy(arr(k, np.uint8).astype(bool)) for k in ("trainMask", "valMask", "testMask")}
    return meta, features, adjacency, labels, masks


def run_mode(meta, features, adjacency, labels, masks, mode, args):
    # 'dense': the article's model (dense X and A). 'sparse': A through torch.sparse.mm (COO), X dense.
    # 'sparse-features': X sparse too, as gcnlab treats it.
    device = torch.device(args.device)
    # Sparse inputs go CSR -> COO directly: a large graph's dense adjacency would not fit (10^6 nodes: 4 TB).
    x = features.to_sparse().coalesce() if mode == "sparse-features" else features.to_dense()
    adj = adjacency.to_dense() if mode == "dense" else adjacency.to_sparse().coalesce()
    x, adj, labels = x.to(device), adj.to(device), labels.to(device)
    train, val, test = (masks[k].to(device) for k in ("trainMask", "valMask", "testMask"))

    def one_run(seed, epochs):
        torch.manual_seed(seed)
        gcn = GCN(meta["numFeatures"], args.hidden, meta["numClasses"], args.nb_layers, args.dropout, True).to(device)
        optimizer = torch.optim.Adam(gcn.parameters(), lr=args.lr)
        times = []
        for _ in range(epochs):
            t0 = time.perf_counter()
            gcn.train()
            optimizer.zero_grad()
            y_hat = gcn(x, adj)
            loss = loss_fn(y_hat[train], labels[train], args.weight_decay, gcn.parameters())
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                val_loss = loss_fn(y_hat[val], labels[val])
                val_acc = eval_fn(y_hat[val], labels[val])
            # Reading the numbers back is the barrier, as in gcnlab.
            _ = (loss.item(), val_loss.item(), val_acc.item())
            times.append((time.perf_counter() - t0) * 1000)
        gcn.eval()
        with torch.no_grad():
            test_acc = eval_fn(gcn(x, adj)[test], labels[test]).item()
        return times, test_acc

    one_run(1000, args.warmup)
    all_times, accs = [], []
    for r in range(args.runs):
        times, acc = one_run(r, args.epochs)
        all_times += times
        accs.append(acc)
    return {
        "impl": "pytorch",
        "device": args.device,
        "runsOn": torch.cuda.get_device_name() if device.type == "cuda" else "CPU",
        "adjacency": "dense" if mode == "dense" else "sparse",
        "features": "sparse" if mode == "sparse-features" else "dense",
        "threads": torch.get_num_threads(),
        "msPerEpoch": statistics.mean(all_times),
        "medianMs": statistics.median(all_times),
        "minMs": min(all_times),
        "runs": args.runs,
        "epochs": args.epochs,
        "nbLayers": args.nb_layers,
        "split": meta["format"],
        "testAccuracy": statistics.mean(accs),
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "version": f"torch {torch.__version__}",
        "nodes": meta["numNodes"],
        "adjacencyNonZeros": int(adjacency.col_indices().numel()),
    }


def main():
    warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta state")
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="directory exported by bench/peers.ts")
    p.add_argument("--mode", choices=["dense", "sparse", "sparse-features"], required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--epochs", type=int, default=50)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--hidden", type=int, default=16)
    p.add_argument("--nb-layers", type=int, default=1, help="hidden layers, as the article's nb_layers (its code: 2)")
    p.add_argument("--dropout", type=float, default=0.5)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--weight-decay", type=float, default=5e-3)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    meta, features, adjacency, labels, masks = load(args.data)
    print(json.dumps(run_mode(meta, features, adjacency, labels, masks, args.mode, args)))


if __name__ == "__main__":
    main()
