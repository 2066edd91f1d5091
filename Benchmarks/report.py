#!/usr/bin/env python3
"""Turns one run's raw results into the table Benchmarks/run prints and Benchmarks/results.json.

Reads the figures the package-benchmark suites noted per iteration (measured.jsonl; the median of each) and the JSON
lines the other suites printed, pairs every figure with the baseline measured in the same run, and computes the ratios.
Usage: report.py RESULTS_DIR OUTPUT_JSON COMMIT QUICK
"""
import glob
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import datetime, timezone

results_dir, output_path, commit, quick = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"


def package_benchmark_figures():
    """The median of each package-benchmark suite's figure over its iterations, keyed by benchmark name."""
    values = {}
    path = os.path.join(results_dir, "measured.jsonl")
    if os.path.exists(path):
        for line in open(path):
            entry = json.loads(line)
            values.setdefault(entry["name"], []).append(entry["value"])
    return {name: statistics.median(found) for name, found in values.items()}


def json_lines(name):
    path = os.path.join(results_dir, name)
    if not os.path.exists(path):
        return None
    with open(path) as file:
        lines = [line for line in file if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def machine():
    cpu = "unknown"
    if os.path.exists("/proc/cpuinfo"):
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = 0
    if os.path.exists("/proc/meminfo"):
        memory = int(open("/proc/meminfo").readline().split()[1]) * 1024
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.strip().splitlines()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "hostname": platform.node(), "os": f"{platform.system()} {platform.release()}", "cpu": cpu,
        "cores": os.cpu_count(), "memory_bytes": memory, "swift": swift[0] if swift else "unknown",
        "load_average_1m_at_end": load,
    }


rows = []


def figure(suite, name, value, unit, baseline=None, baseline_value=None, target=None, meets=None, note=None):
    ratio = value / baseline_value if value is not None and baseline_value else None
    rows.append({
        "suite": suite, "name": name, "value": value, "unit": unit,
        "baseline": {"name": baseline, "value": baseline_value} if baseline else None,
        "ratio": round(ratio, 3) if ratio is not None else None,
        "target": target, "meets_target": meets(value, ratio) if meets and value is not None else None,
        "note": note,
    })


measured = package_benchmark_figures()
commit_1 = measured.get("lmdb append, commit every 1")
commit_1000 = measured.get("lmdb append, commit every 1000")
for appenders in [1, 16, 256, 4096]:
    name = f"store append, {appenders} appenders"
    if appenders == 1:
        figure("durable append", name, measured.get(name), "records/s", "lmdb append, commit every 1", commit_1)
    else:
        target = ">= 0.5 x baseline" if appenders == 4096 else None
        figure("durable append", name, measured.get(name), "records/s", "lmdb append, commit every 1000", commit_1000,
               target, (lambda v, r: r is not None and r >= 0.5) if appenders == 4096 else None)
figure("durable append", "store append, 4096 appenders, no checkpoint", measured.get("store append, 4096 appenders, no checkpoint"),
       "records/s", "lmdb append, commit every 1000", commit_1000,
       note="checkpoint interval beyond the run: the in-commit JSON checkpoint's share")
figure("durable append", "lmdb append, commit every 1", commit_1, "records/s", note="baseline: the storage limit")
figure("durable append", "lmdb append, commit every 1000", commit_1000, "records/s", note="baseline: the storage limit")

scan = measured.get("lmdb cursor scan")
figure("rebuild", "rebuild replay", measured.get("rebuild replay"), "records/s", "lmdb cursor scan", scan,
       ">= 0.25 x baseline and >= 2,000,000/s", lambda v, r: r is not None and r >= 0.25 and v >= 2_000_000,
       "a log simulated by hooklog's Simulator (287,000 events, just over 1,000,000 records; --quick: 5,600 events)")
replay = measured.get("rebuild replay")
figure("rebuild", "rebuild verify", measured.get("rebuild verify"), "records/s", "rebuild replay", replay,
       ">= 0.5 x baseline", lambda v, r: r is not None and r >= 0.5,
       "hooklog rebuild --verify's work on the same log: the replay, the live projections read back, every index counted")
figure("rebuild", "rebuild replay, many tenants", measured.get("rebuild replay, many tenants"), "records/s",
       "rebuild replay", replay, ">= 0.8 x baseline", lambda v, r: r is not None and r >= 0.8,
       "hooklog simulate --workspaces 10000 --webhooks 100000 --events 200000 (--quick: 100, 1,000 and 2,000)")
figure("rebuild", "rebuild decode only", measured.get("rebuild decode only"), "records/s", "lmdb cursor scan", scan,
       note="decoding without folding: the replay's decode share")
figure("rebuild", "lmdb cursor scan", scan, "records/s", note="baseline: the read limit")

for name in ["search, a contact id", "search, a value every event holds"]:
    note = ("first page of 50 on a log simulated by hooklog's Simulator (1,000,000 events, about 3,490,000 records; "
            "--quick: 5,600 events)")
    figure("search", f"{name} p50", measured.get(f"{name} p50"), "ms", note=note)
    figure("search", f"{name} p99", measured.get(f"{name} p99"), "ms", target="< 100 ms", meets=lambda v, r: v < 100,
           note=note)

for file, label in [("memory-fanout-1.json", "one webhook per event"), ("memory-fanout-all.json", "every webhook per event")]:
    memory = json_lines(file)
    if memory:
        judged = file.endswith("-1.json")
        figure("memory", f"bytes per delivery held in RAM ({label})", memory["bytes_per_delivery_in_ram"], "bytes",
               "QueuedDelivery inline size", memory["inline_bytes"], "<= 256 bytes" if judged else None,
               (lambda v, r: v <= 256) if judged else None,
               f"{memory['in_ram']:,} of {memory['deliveries']:,} queued deliveries across {memory['webhooks']:,} "
               "webhooks are in the queues' windows; the rest wait in the log")
        figure("memory", f"bytes per queued delivery ({label})", memory["bytes_per_delivery"], "bytes",
               note=f"{memory['deliveries']:,} deliveries across {memory['webhooks']:,} webhooks")
        figure("memory", f"peak RSS ({label})", memory["peak_rss"], "bytes",
               note=f"{memory['deliveries']:,} deliveries across {memory['webhooks']:,} webhooks")

def bounds_check(entry):
    """A figure file's bounds (minimum, maximum, minimum_ratio, maximum_ratio; any of them) as one check on the value
    and its ratio to the baseline, or None when it sets none. A ratio bound without a ratio is not met."""
    value_bounds = [(entry.get("minimum"), lambda v, b: v >= b), (entry.get("maximum"), lambda v, b: v <= b)]
    ratio_bounds = [(entry.get("minimum_ratio"), lambda r, b: r >= b), (entry.get("maximum_ratio"), lambda r, b: r <= b)]
    if all(bound is None for bound, _ in value_bounds + ratio_bounds):
        return None
    return lambda v, r: (all(holds(v, bound) for bound, holds in value_bounds if bound is not None)
                         and all(r is not None and holds(r, bound) for bound, holds in ratio_bounds if bound is not None))


for extra in sorted(glob.glob(os.path.join(results_dir, "figure-*.json"))):
    with open(extra) as file:
        for line in file:
            if line.startswith("{"):
                entry = json.loads(line)
                baseline_value = entry.get("baseline_value", measured.get(entry.get("baseline")))
                figure(entry["suite"], entry["name"], entry.get("value"), entry["unit"], entry.get("baseline"),
                       baseline_value, entry.get("target"), bounds_check(entry), entry.get("note"))

report = {
    "machine": machine(), "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": commit,
    "quick": quick, "figures": rows,
}
with open(output_path, "w") as file:
    json.dump(report, file, indent=2)
    file.write("\n")


def show(value, unit):
    if value is None:
        return "missing"
    if unit == "bytes" and value >= 1 << 20:
        return f"{value / (1 << 20):,.0f} MiB"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


table = [("Suite", "Figure", "Value", "Unit", "Baseline", "Baseline value", "Ratio", "Target", "Met")]
for row in rows:
    baseline = row["baseline"] or {}
    table.append((
        row["suite"], row["name"], show(row["value"], row["unit"]), row["unit"], baseline.get("name") or "",
        show(baseline.get("value"), row["unit"]) if baseline else "", f"{row['ratio']:.3f}" if row["ratio"] is not None else "",
        row["target"] or "", {True: "yes", False: "NO", None: ""}[row["meets_target"]],
    ))
widths = [max(len(line[column]) for line in table) for column in range(len(table[0]))]
print(f"HookLog benchmarks{' (quick: proves they run; the figures mean nothing)' if quick else ''}, commit {commit}, "
      f"{report['date']}, {report['machine']['cores']} cores, {report['machine']['cpu']}")
for index, line in enumerate(table):
    print("| " + " | ".join(cell.ljust(width) for cell, width in zip(line, widths)) + " |")
    if index == 0:
        print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
