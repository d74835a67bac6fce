#!/usr/bin/env bash
# One fuzz target as a ctest (tests/fuzz/CMakeLists.txt pingyi_add_fuzzer) and as a long run
# (scripts/fuzz): run-fuzzer.sh FUZZER NAME SEED_DIR REGRESSION_DIR WORK_DIR
#   1. every input in REGRESSION_DIR (tests/data/fuzz/NAME) once, as a plain input;
#   2. fuzzing for PINGYI_FUZZ_SECONDS (default 60) from a fresh copy of SEED_DIR plus the
#      regression inputs (PINGYI_FUZZ_KEEP_CORPUS=1 keeps and grows WORK_DIR/corpus instead);
#   3. one summary line with libFuzzer's final figures.
# Fails on any crash, leak, timeout, out-of-memory or sanitizer report; the input that caused
# it is left in WORK_DIR/artifacts and named in the output.
set -uo pipefail
fuzzer="$1" name="$2" seeds="$3" regressions="$4" work="$5"
seconds="${PINGYI_FUZZ_SECONDS:-60}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

corpus="$work/corpus" artifacts="$work/artifacts/" log="$work/fuzz.log"
mkdir -p "$work"
rm -rf "$artifacts"
mkdir -p "$artifacts"
if [ "${PINGYI_FUZZ_KEEP_CORPUS:-0}" != 1 ]; then rm -rf "$corpus"; fi
mkdir -p "$corpus"
[ -d "$seeds" ] && cp -f "$seeds"/* "$corpus"/ 2>/dev/null
nregress=0
if [ -d "$regressions" ]; then
    mapfile -t inputs < <(find "$regressions" -maxdepth 1 -type f ! -name '*.md' | sort)
    nregress=${#inputs[@]}
    if [ "$nregress" -gt 0 ]; then
        if ! "$fuzzer" -timeout=10 -rss_limit_mb=2560 "${inputs[@]}" >"$work/regressions.log" 2>&1; then
            tail -n 60 "$work/regressions.log"
            echo "fuzz_$name: FAIL: a regression input of $regressions crashes again (log: $work/regressions.log)"
            exit 1
        fi
        cp -f "${inputs[@]}" "$corpus"/
    fi
fi
start=$(find "$corpus" -type f | wc -l)

"$fuzzer" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2560 \
    -artifact_prefix="$artifacts" "$corpus" >"$log" 2>&1
rc=$?

stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
execs=$(stat number_of_executed_units) rate=$(stat average_exec_per_sec) added=$(stat new_units_added)
rss=$(stat peak_rss_mb)
last=$(grep -E '^#[0-9]+.* cov: ' "$log" | tail -n 1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last") ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
size=$(find "$corpus" -type f | wc -l)
crash=$(find "$artifacts" -type f | head -n 1)
figures="${seconds} s, ${execs:-?} execs (${rate:-?}/s), corpus ${start} -> ${size} inputs (+${added:-?}), cov ${cov:-?} edges, ft ${ft:-?}, peak RSS ${rss:-?} MB, ${nregress} regression inputs"
# A unit found slow (or timed out) while the machine stalled is timed again alone: only one
# that is slow again fails the run. A crash or a sanitizer report is never retried.
if [ -n "$crash" ] && ! grep -qE 'runtime error:|ERROR: (AddressSanitizer|LeakSanitizer)|fuzz invariant failed|qFatal|deadly signal' "$log" \
    && [ -z "$(find "$artifacts" -type f ! -name 'slow-unit-*' ! -name 'timeout-*')" ]; then
    retimed=1
    for unit in "$artifacts"*; do
        t0=$SECONDS
        if ! "$fuzzer" -timeout=10 -rss_limit_mb=2560 "$unit" >"$work/retime.log" 2>&1 || [ $((SECONDS - t0)) -ge 5 ]; then
            retimed=0
        fi
    done
    if [ "$retimed" = 1 ]; then
        echo "fuzz_$name: note: $(find "$artifacts" -type f | wc -l) unit(s) slow only while the machine stalled (each took under 5 s alone): not a finding"
        rm -f "$artifacts"*
        crash="" rc=0 stalled=1
    fi
fi
libfuzzer_error='ERROR: libFuzzer'
[ "${stalled:-0}" = 1 ] && libfuzzer_error='ERROR: libFuzzer: (deadly|out-of-memory|fuzz target)'
if [ "$rc" -ne 0 ] || [ -n "$crash" ] || grep -qE "runtime error:|ERROR: (AddressSanitizer|LeakSanitizer)|$libfuzzer_error" "$log"; then
    grep -E -A40 'ERROR: |runtime error:|fuzz invariant failed|qFatal' "$log" | head -n 80
    echo "fuzz_$name: FAIL (exit $rc) after $figures"
    [ -n "$crash" ] && echo "fuzz_$name: the input is $crash; reproduce with: $fuzzer $crash" \
        && echo "fuzz_$name: keep it as a regression input: cp $crash $regressions/"
    echo "fuzz_$name: full log: $log"
    exit 1
fi
echo "fuzz_$name: PASS $figures"
