#!/usr/bin/env python3
"""Latency p99 against offered load, one line per server, from a bench/compare.sh run.

    python3 bench/plot.py bench/results/<date>      # writes <dir>/latency-vs-load.png

Reads <server>-sweep-r<R>.txt (the raw output of `lyceum-bench fanout --rate R`), takes the
last `RESULT` line of each and plots latency_p99_us against the offered load: the RESULT key
offered_per_s when the scenario reports it, else R (the --rate given). Missing files or keys
leave a gap instead of failing. Needs matplotlib (Debian: python3-matplotlib); Agg backend,
no display.
"""

import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

SERVERS = [("lyceum", "Lyceum"), ("inspircd", "InspIRCd 3"), ("ngircd", "ngIRCd 26")]
SWEEP = re.compile(r"^(?P<server>[a-z]+)-sweep-r(?P<rate>\d+)\.txt$")


def result(path):
    """The key=value pairs of the last RESULT line of path, or {}."""
    pairs = {}
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("RESULT "):
            pairs = dict(
                field.split("=", 1) for field in line.split()[2:] if "=" in field
            )
    return pairs


def number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if value == value else None  # drop nan


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 64
    directory = Path(argv[1])
    points = {}  # server -> [(offered, p99 ms)]
    for path in sorted(directory.iterdir()):
        match = SWEEP.match(path.name)
        if not match:
            continue
        pairs = result(path)
        p99 = number(pairs.get("latency_p99_us"))
        offered = number(pairs.get("offered_per_s")) or float(match["rate"])
        if p99 is None:
            continue
        points.setdefault(match["server"], []).append((offered, p99 / 1000))

    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
    plotted = 0
    for server, label in SERVERS:
        series = sorted(points.get(server, []))
        if not series:
            continue
        xs, ys = zip(*series)
        axes.plot(xs, ys, marker="o", label=label)
        plotted += 1
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("offered load (messages/s, fanout --clients 1000 --senders 20 --rate R)")
    axes.set_ylabel("delivery latency p99 (ms)")
    axes.set_title("Latency against offered load, TLS, 2 shared cores")
    axes.grid(True, which="both", alpha=0.3)
    if plotted:
        axes.legend()
    else:
        axes.text(0.5, 0.5, "no sweep results yet", transform=axes.transAxes, ha="center")
    figure.tight_layout()
    output = directory / "latency-vs-load.png"
    figure.savefig(output)
    print(f"wrote {output} ({plotted} servers)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
