#!/usr/bin/env bash
# Run lede over a folder of scraped pages and write one JSON document per line.
#   bash examples/corpus.sh [DIR] [OUT.jsonl]
set -euo pipefail
dir=${1:-examples}
out=${2:-$(mktemp)}
find "$dir" -maxdepth 1 -name '*.txt' -print0 | sort -z | xargs -0 bin/lede extract --format jsonl > "$out"
echo "$(wc -l < "$out") documents -> $out"
