#!/usr/bin/env bash
# Measures what sourcing the bash plugin API costs a hook.
#
# Every bash trigger and command of a plugin starts by sourcing
# common/functions (datastores also pull in property-functions and
# config/functions), so that cost is paid on each hook. This times a bare
# bash hook against the same hook sourcing the libraries and reports the
# median time ratio; it exits 1 when the common/functions ratio exceeds
# BENCH_MAX_RATIO (default 1.5).
#
# Timing: interleaved rounds, each running BENCH_BATCH invocations of every
# variant between two `date +%s%N` readings (so date's own fork is amortised).
# The ratio reported is the median over BENCH_ROUNDS rounds of the ratio
# within a round, which keeps slow drifts in machine load out of it.
#
# Usage: tests/bash-api/bench-source.sh   (env: BENCH_ROUNDS=30 BENCH_BATCH=20
#        BENCH_MAX_RATIO=1.5 BASH_API_LIB_SRC=<dir with common/, config/>)
set -eo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
lib_src="${BASH_API_LIB_SRC:-$repo_root/core-plugins}"
rounds="${BENCH_ROUNDS:-30}"
batch="${BENCH_BATCH:-20}"
max_ratio="${BENCH_MAX_RATIO:-1.5}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

export PLUGIN_CORE_AVAILABLE_PATH="$work/core-plugins/available"
export PLUGIN_AVAILABLE_PATH="$PLUGIN_CORE_AVAILABLE_PATH"
mkdir -p "$PLUGIN_CORE_AVAILABLE_PATH/common" "$PLUGIN_CORE_AVAILABLE_PATH/config"
cp "$lib_src/common/functions" "$lib_src/common/property-functions" "$PLUGIN_CORE_AVAILABLE_PATH/common/"
cp "$lib_src/config/functions" "$PLUGIN_CORE_AVAILABLE_PATH/config/"
if [[ -f "$lib_src/common/lazy-functions" ]]; then
  cp "$lib_src/common/lazy-functions" "$PLUGIN_CORE_AVAILABLE_PATH/common/"
fi

# The three hooks differ only in what they source; each does one log call.
cat >"$work/bare" <<'EOF'
#!/usr/bin/env bash
set -eo pipefail
echo "-----> ok" >/dev/null
EOF
cat >"$work/common" <<'EOF'
#!/usr/bin/env bash
set -eo pipefail
source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"
dokku_log_info1 ok >/dev/null
EOF
cat >"$work/datastore" <<'EOF'
#!/usr/bin/env bash
set -eo pipefail
source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"
source "$PLUGIN_CORE_AVAILABLE_PATH/common/property-functions"
source "$PLUGIN_AVAILABLE_PATH/config/functions"
dokku_log_info1 ok >/dev/null
EOF
chmod +x "$work/bare" "$work/common" "$work/datastore"

variants=(bare common datastore)
declare -A samples=()

# Warm the page cache and check every hook works before timing.
for v in "${variants[@]}"; do
  "$work/$v"
done

for ((r = 0; r < rounds; r++)); do
  for v in "${variants[@]}"; do
    start="$(date +%s%N)"
    for ((i = 0; i < batch; i++)); do
      "$work/$v"
    done
    end="$(date +%s%N)"
    samples[$v]+="$(((end - start) / batch)) "
  done
done

median() {
  # shellcheck disable=SC2086 # word list of integers
  printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# Per-round ratios against the bare hook, scaled by 1000 for integer sorting.
declare -A med=() ratios=()
for v in "${variants[@]}"; do
  med[$v]="$(median "${samples[$v]}")"
  read -r -a variant_samples <<<"${samples[$v]}"
  read -r -a bare_samples <<<"${samples[bare]}"
  for ((r = 0; r < rounds; r++)); do
    ratios[$v]+="$((variant_samples[r] * 1000 / bare_samples[r])) "
  done
done

printf 'rounds=%s batch=%s (median time per hook invocation; median per-round ratio)\n' "$rounds" "$batch"
for v in "${variants[@]}"; do
  awk -v name="$v" -v ns="${med[$v]}" -v base="${med[bare]}" -v ratio="$(median "${ratios[$v]}")" \
    'BEGIN { printf "  %-10s %8.3f ms  ratio %.2fx  (+%.3f ms)\n", name, ns / 1e6, ratio / 1000, (ns - base) / 1e6 }'
done

if awk -v ratio="$(median "${ratios[common]}")" -v max="$max_ratio" 'BEGIN { exit !(ratio / 1000 <= max) }'; then
  printf 'OK: sourcing common/functions costs <= %sx a bare hook\n' "$max_ratio"
else
  printf 'FAIL: sourcing common/functions costs more than %sx a bare hook\n' "$max_ratio" >&2
  exit 1
fi
