#!/usr/bin/python3
"""scikit-learn side of the ml-accuracy benchmark.

Reads the runs that `tinyloop train` wrote (report/features.csv: fold, label, group, features;
report/metrics.json: tinyloop's out-of-fold accuracy and training time), trains scikit-learn's
RandomForestClassifier with the same hyperparameters on the same features and the same folds,
and prints `figure: value unit` lines for both trainers (means over the runs).
"""
import argparse
import csv
import json
import os
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier


def load_features(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    body = rows[1:]
    folds = np.array([int(r[0]) for r in body])
    labels = np.array([r[1] for r in body])
    x = np.array([[float(v) for v in r[3:]] for r in body], dtype=np.float32)
    return x, labels, folds


def sklearn_cv(x, y, folds, args, seed):
    """Out-of-fold accuracy and the summed fit time over the folds, in ms."""
    predicted = np.empty_like(y)
    fit_ms = 0.0
    for k in sorted(set(folds.tolist())):
        train, test = folds != k, folds == k
        model = RandomForestClassifier(
            n_estimators=args.trees, max_depth=args.depth, max_features="sqrt",
            bootstrap=True, criterion="gini", n_jobs=-1, random_state=seed)
        t0 = time.perf_counter()
        model.fit(x[train], y[train])
        fit_ms += (time.perf_counter() - t0) * 1000.0
        predicted[test] = model.predict(x[test])
    return float(np.mean(predicted == y)), fit_ms


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("name")
    ap.add_argument("runs", nargs="+", help="--out folders of tinyloop train, one per seed")
    ap.add_argument("--trees", type=int, default=100)
    ap.add_argument("--depth", type=int, default=3)
    args = ap.parse_args()
    ours_acc, ours_ms, sk_acc, sk_ms = [], [], [], []
    for seed, run in enumerate(args.runs, start=1):
        with open(os.path.join(run, "report", "metrics.json")) as f:
            metrics = json.load(f)
        ours_acc.append(metrics["accuracy"])
        ours_ms.append(metrics["cv_train_ms"])
        x, y, folds = load_features(os.path.join(run, "report", "features.csv"))
        acc, ms = sklearn_cv(x, y, folds, args, seed)
        sk_acc.append(acc)
        sk_ms.append(ms)
    n = args.name
    print(f"{n} windows: {len(y)} count")
    print(f"{n} tinyloop accuracy: {np.mean(ours_acc):.4f} ratio")
    print(f"{n} sklearn accuracy: {np.mean(sk_acc):.4f} ratio")
    print(f"{n} accuracy difference (tinyloop - sklearn): {100 * (np.mean(ours_acc) - np.mean(sk_acc)):+.2f} points")
    print(f"{n} tinyloop training time: {np.mean(ours_ms):.1f} ms")
    print(f"{n} sklearn training time: {np.mean(sk_ms):.1f} ms")


if __name__ == "__main__":
    main()
