"""Compares the runtime's per-file counts (edgelstm-evaluate --json) with the trainer's Python-side results/<variant>.json.

Usage: /usr/bin/python3 tools/train/skab/compare_runtime.py runtime.json
Prints, per run (variant x precision), the files whose TP/FP/FN/TN differ from the Python float32 counts.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(path):
    runs = json.load(open(path))
    for run in runs:
        if run["factor_key"] != "factor":
            # results/*.json keeps per-file counts for the primary (leave-one-file-out) factor only.
            print(f"{run['variant']} {run['precision']} ({run['factor_key']}): F1 {run['f1']:.3f} FAR {100*run['far']:.2f} % "
                  f"MAR {100*run['mar']:.2f} %; no Python per-file counts for this factor")
            continue
        py = json.load(open(os.path.join(HERE, "results", run["variant"] + ".json")))["per_file"]
        diffs = []
        for name, rt in run["per_file"].items():
            p = py[name]
            delta = {k: rt[k] - p[k] for k in ("tp", "fp", "fn", "tn")}
            if any(delta.values()):
                diffs.append((name, delta))
        changed = sum(abs(d["tp"]) + abs(d["fp"]) for _, d in diffs)
        print(f"{run['variant']} {run['precision']} ({run['factor_key']}): F1 {run['f1']:.3f} FAR {100*run['far']:.2f} % MAR {100*run['mar']:.2f} %; "
              f"{len(diffs)} of {len(run['per_file'])} files differ from Python float32, {changed} rows change alarm state")
        for name, d in diffs:
            print(f"   {name}: " + " ".join(f"{k} {v:+d}" for k, v in d.items()))


if __name__ == "__main__":
    main(sys.argv[1])
