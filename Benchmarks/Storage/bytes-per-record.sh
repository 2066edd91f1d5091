#!/usr/bin/env bash
# Benchmarks/Storage/bytes-per-record.sh [EVENTS] [HOOKLOG]: writes a simulated log of EVENTS events (default
# 1,000,000; the default small payloads) with `hooklog simulate` into a new temporary data directory, then prints the
# disk bytes per record of each LMDB database, indexes and the id table included, and in total: the pages the
# databases take (sub-databases of sorted duplicates counted, which `mdb_stat` leaves out; lmdb_pages.py), the free
# pages LMDB keeps for reuse, and the whole file. Also the mean payload (`data`) bytes per event. The search index
# (`by_value`) is left out of the databases' total and also given per event, on a line of its own. HOOKLOG is the
# binary to run (default: a release build of this checkout, built here). Output lines are tab-separated:
#   database  pages  entries  bytes/record
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
events=${1:-1000000}
hooklog=${2:-}
if [ -z "$hooklog" ]; then
    (cd "$here/../.." && Tools/swift-build -c release --product hooklog >&2)
    hooklog="$here/../../.build/release/hooklog"
fi
data=$(mktemp -d)/data
trap 'rm -rf "$(dirname "$data")"' EXIT

started=$(date +%s)
"$hooklog" --data "$data" simulate --events "$events" >&2
echo "simulate --events $events: $(( $(date +%s) - started )) s" >&2

records=$(python3 "$here/lmdb_pages.py" "$data" | awk -F'\t' '$1 == "log" { print $3 }')
payload=$("$hooklog" --data "$data" log --limit 100000 --json | python3 -c '
import json, sys
sizes = [len(json.dumps(r["data"], separators=(",", ":"))) for r in map(json.loads, sys.stdin) if r["type"] == "EventReceived"]
print(f"{sum(sizes) / max(len(sizes), 1):.1f}")')
echo -e "records\t$records"
echo -e "payload bytes per event\t$payload"
python3 "$here/lmdb_pages.py" "$data" | awk -F'\t' -v records="$records" -v events="$events" '
    $1 == "page_size" { next }
    { pages[$1] = $2; entries[$1] = $3; order[n++] = $1 }
    END {
        size = 4096
        for (i = 0; i < n; i++) {
            name = order[i]
            if (name == "free" || name == "file") continue
            if (name != "by_value") used += pages[name]
            printf "%s\t%d\t%d\t%.1f\n", name, pages[name], entries[name], pages[name] * size / records
        }
        printf "databases\t%d\t\t%.1f\n", used, used * size / records
        printf "search index per event\t%d\t%d\t%.1f\n", pages["by_value"], entries["by_value"], pages["by_value"] * size / events
        printf "free\t%d\t\t%.1f\n", pages["free"], pages["free"] * size / records
        printf "file\t%d\t\t%.1f\n", pages["file"], pages["file"] * size / records
    }'
