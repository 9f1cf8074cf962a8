#!/usr/bin/env bash
# compare-cli-outputs.sh BIN OUTDIR: the CLI's normal outputs on the built-in scenarios (eval,
# run, train, policies, scenarios, envs, cves), one file each, to compare two builds:
#   scripts/compare-cli-outputs.sh /path/to/old/ztgym /tmp/old
#   scripts/compare-cli-outputs.sh "$PWD/target/debug/ztgym" /tmp/new
#   diff -r /tmp/old /tmp/new
# BIN must be an absolute path. Timings (seconds, episodes_per_second, steps_per_second, cycles_per_sec)
# are left out. Rego and folder cases read ZTGYM_CAPTURE_FIXTURES (copies kept outside the tree, so
# moving a policy file does not change the capture).
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
# --- harden, triage, pairs, rego, bench (lead, issue 20): every environment's commands.
F=${ZTGYM_CAPTURE_FIXTURES:-/work/baseline/fixtures}
nojt() { python3 -c 'import json,sys; d=json.load(sys.stdin); [d.pop(k,None) for k in ("seconds","episodes_per_second","steps_per_second","cycles_per_sec")]; print(json.dumps(d, sort_keys=True))'; }
for s in $($B scenarios --env harden); do
  for a in random bandit greedy; do
    $B eval --env harden --scenario $s --agent $a --episodes 3 --seed 5 --json > h-eval-$s-$a.json 2>&1; n=$((n+1))
    $B eval --env harden --scenario $s --agent $a --episodes 2 > h-eval-$s-$a.txt 2>&1; n=$((n+1))
    $B run --env harden --scenario $s --agent $a --seed 4 --trajectory h-traj-$s-$a.jsonl --json > h-run-$s-$a.json 2>&1; n=$((n+1))
  done
  for l in sandbox stage prod; do $B eval --env harden --scenario $s --agent greedy --level $l --episodes 2 --json > h-lvl-$s-$l.json 2>&1; n=$((n+1)); done
  $B bench --env harden --scenario $s --agent greedy --steps 50 --json 2>&1 | nojt > h-bench-$s.json; n=$((n+1))
done
for k in q q-lagrangian bandit; do
  $B train --env harden --scenario uc04-waf-tuning --agent $k --episodes 40 --seed 3 --out h-pol-$k.json --json 2>&1 | nojt > h-train-$k.json; n=$((n+1))
  $B eval --env harden --policy h-pol-$k.json --episodes 3 --seed 1 --json > h-evalpol-$k.json 2>&1; n=$((n+1))
done
$B eval --env harden --scenario seed001 --agent greedy --gate $F/uc04.rego --episodes 2 --json > h-gate.json 2>&1; n=$((n+1))
$B eval --env harden --scenario $F/seed001-dir --agent greedy --episodes 2 --json > h-dir.json 2>&1; n=$((n+1))
$B scenarios --env harden > h-scenarios.txt 2>&1; $B scenarios --env harden --json > h-scenarios.json 2>&1; n=$((n+2))
for t in L1 L2 L3; do
  for a in always-allow always-block random rule-based; do
    $B eval --env triage --task $t --agent $a --episodes 5 --seed 2 --json > t-eval-$t-$a.json 2>&1; n=$((n+1))
    $B eval --env triage --task $t --agent $a --episodes 3 > t-eval-$t-$a.txt 2>&1; n=$((n+1))
    $B run --env triage --task $t --agent $a --seed 9 --trajectory t-traj-$t-$a.jsonl --json > t-run-$t-$a.json 2>&1; n=$((n+1))
  done
  $B bench --env triage --task $t --agent rule-based --steps 500 --json 2>&1 | nojt > t-bench-$t.json; n=$((n+1))
  for k in q q-lagrangian bandit; do
    $B train --env triage --task $t --agent $k --episodes 60 --seed 3 --out t-pol-$t-$k.json --json 2>&1 | nojt > t-train-$t-$k.json; n=$((n+1))
    $B eval --env triage --policy t-pol-$t-$k.json --episodes 5 --seed 1 --json > t-evalpol-$t-$k.json 2>&1; n=$((n+1))
  done
  $B pairs --env triage --task $t --agent rule-based --episodes 4 --seed 1 --out t-pairs-$t.jsonl --json > t-pairs-$t.json 2>&1; n=$((n+1))
done
$B pairs --env sre --scenario classic --agent sop --episodes 4 --seed 1 --out s-pairs.jsonl --json > s-pairs.json 2>&1; n=$((n+1))
$B scenarios --env triage > t-scenarios.txt 2>&1; n=$((n+1))
for s in classic enterprise; do $B bench --scenario $s --agent sop --steps 2000 --json 2>&1 | nojt > s-bench-$s.json; n=$((n+1)); done
$B eval --scenario classic --agent sop --gate $F/sre_gate.rego --episodes 5 --json > s-gate.json 2>&1; n=$((n+1))
$B rego test $F/sre_gate.rego $F/uc04.rego > r-test.txt 2>&1; echo "exit $?" >> r-test.txt; n=$((n+1))
$B rego test $F/uc04.rego --json > r-test.json 2>&1; n=$((n+1))
$B rego eval --policy $F/uc04.rego --json > r-eval.json 2>&1; n=$((n+1))
$B validate $F/lenient.toml > v-scn.txt 2>&1; $B validate $F/lenient.toml --json > v-scn.json 2>&1; $B eval --scenario $F/lenient.toml --agent sop --episodes 3 --json > s-file.json 2>&1; n=$((n+3))
$B version > version.txt 2>&1; n=$((n+1))
echo "$n commands"
