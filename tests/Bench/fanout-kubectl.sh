#!/bin/sh
# The FanOut baseline: each pod through kubectl as a shell script would run it (run, wait, logs, delete),
# PARALLEL pods at a time. Prints one line per pod log ("done"). Usage:
#   fanout-kubectl.sh COUNT PARALLEL PREFIX KUBECONFIG CACHE_DIR
count=$1 parallel=$2 prefix=$3
export BENCH_KUBECONFIG="$4" BENCH_CACHE_DIR="$5"
seq 1 "$count" | xargs -P "$parallel" -I{} sh -c '
    k() { kubectl --kubeconfig "$BENCH_KUBECONFIG" --cache-dir "$BENCH_CACHE_DIR" "$@"; }
    name="$0-$1"
    k run "$name" --image=alpine --restart=Never --command -- sh -c "sleep 2; echo done" >/dev/null &&
    k wait --for=jsonpath="{.status.phase}"=Succeeded "pod/$name" --timeout=300s >/dev/null &&
    k logs "$name" &&
    k delete pod "$name" >/dev/null
' "$prefix" {}
