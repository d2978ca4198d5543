#!/bin/sh
# Rewrites each sample's expected outputs by running, in its folder, the commands its README
# shows as `memtrace ... > FILE` (the same lines SamplesTest runs). Review the diff.
set -e
cd "$(dirname "$0")"
for d in */; do
  grep -E '^memtrace (analyze|maps|where) [^>]+ > \S+$' "$d/README.md" | while read -r cmd; do
    (cd "$d" && sh -c "../../bin/${cmd}")
  done
done
