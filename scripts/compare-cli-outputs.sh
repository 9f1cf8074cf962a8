#!/usr/bin/env bash
# compare-cli-outputs.sh BIN OUTDIR: the CLI's normal outputs on the built-in scenarios (eval,
# run, train, policies, scenarios, envs, cves), one file each, to compare two builds:
#   scripts/compare-cli-outputs.sh /path/to/old/ztgym /tmp/old
#   scripts/compare-cli-outputs.sh "$PWD/target/debug/ztgym" /tmp/new
#   diff -r /tmp/old /tmp/new
# BIN must be an absolute path. train's timings (seconds, episodes_per_second) are left out.
set -u
B=$1; O=$2; rm -rf "$O"; mkdir -p "$O"; n=0
cd "$O"
for s in $($B scenarios --json | python3 -c 'import json,sys; print(" ".join(x["name"] for x in json.load(sys.stdin)["scenarios"]))'); do
  for a in random sop; do
    for seed in 0 7; do
      for ep in 1 13 50; do
        $B eval --scenario $s --agent $a --seed $seed --episodes $ep --json > eval-$s-$a-$seed-$ep.json; n=$((n+1))
        $B eval --scenario $s --agent $a --seed $seed --episodes $ep > eval-$s-$a-$seed-$ep.txt; n=$((n+1))
      done
      $B run --scenario $s --agent $a --seed $seed --trajectory traj-$s-$a-$seed.jsonl --alerts alerts-$s-$a-$seed.ndjson --json > run-$s-$a-$seed.json; n=$((n+1))
      $B run --scenario $s --agent $a --seed $seed --trajectory traj2-$s-$a-$seed.jsonl > run-$s-$a-$seed.txt; n=$((n+1))
    done
  done
  for k in q q-lagrangian bandit; do
    $B train --scenario $s --agent $k --episodes 300 --seed 3 --out pol-$s-$k.json --json | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("seconds"); d.pop("episodes_per_second"); print(json.dumps(d, sort_keys=True))' > train-$s-$k.json; n=$((n+1))
    $B eval --policy pol-$s-$k.json --episodes 20 --seed 1 --json > evalpol-$s-$k.json; n=$((n+1))
    $B run --policy pol-$s-$k.json --seed 2 --trajectory trajpol-$s-$k.jsonl --json > runpol-$s-$k.json; n=$((n+1))
  done
  $B eval --scenario $s --agent sop --curriculum --episodes 30 --json > evalcur-$s.json; n=$((n+1))
  $B eval --scenario $s --agent random --level expert --episodes 30 --json > evallvl-$s.json; n=$((n+1))
done
for s in classic enterprise multitenant; do for a in random sop; do
  $B eval --scenario $s --agent $a --json > evaldef-$s-$a.json; n=$((n+1))
  $B eval --scenario $s --agent $a --episodes 1000 --seed 123 --json > eval1000-$s-$a.json; n=$((n+1))
done; done
$B scenarios > scenarios.txt; $B scenarios --json > scenarios.json; $B envs > envs.txt; $B envs --json > envs.json
$B cves > cves.txt; $B cves --json > cves.json; n=$((n+6))
echo "$n commands"
