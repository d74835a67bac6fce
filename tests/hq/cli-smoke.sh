#!/usr/bin/env bash
# The office's commands through the real pingyi-hq command line, end to end on a tiny
# roster: init, roster, two simulated venues, verify, import (two at once, then again,
# with closing reports; a report file without codes; the directory's lock), a rehearsal refused, trustees split 2 of 3 with the election key retired,
# tally with two shares (one share is refused), bulletin; a roster drawn from a candidate pool,
# verified and imported. Checks exit codes and files.
set -euo pipefail
hq_bin="${PINGYI_HQ:?PINGYI_HQ must name the pingyi-hq executable}"
sim_bin="${PINGYI_SIM:?PINGYI_SIM must name the pingyi-sim executable}"
spec="$(dirname "$0")/../../examples/qingdao-2025/activity.json"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PINGYI_PASSPHRASE="cli smoke passphrase"

fail() { echo "cli-smoke: $*" >&2; exit 1; }
expect_status() { # expect_status CODE COMMAND...
    local want="$1"; shift
    set +e; "$@" >"$work/out.txt" 2>"$work/err.txt"; local got=$?; set -e
    [ "$got" = "$want" ] || { cat "$work/out.txt" "$work/err.txt" >&2; fail "expected exit $want, got $got: $*"; }
}

"$hq_bin" init --hq "$work/hq" >/dev/null
"$hq_bin" roster synth --activity "$spec" --out "$work/roster.csv" --scale 0.1 >/dev/null
"$hq_bin" roster import --hq "$work/hq" --activity "$spec" "$work/roster.csv" >/dev/null
for v in main:4 shinan:8; do
    "$sim_bin" --hq "$work/hq" --venue "${v%:*}" --session econ --kiosks 2 --voters "${v#*:}" --out "$work/usb-${v%:*}" \
        --truth "$work/truth-${v%:*}.json" --seed 7 >/dev/null
done
"$sim_bin" --hq "$work/hq" --venue shinan --session service --kiosks 1 --voters 3 --out "$work/usb-rehearsal" \
    --rehearsal >/dev/null
grep -oh 'PYR1:[A-Z0-9]*' "$work"/truth-*.json > "$work/closing-reports.txt"
[ "$(wc -l < "$work/closing-reports.txt")" = 4 ] || fail "expected 4 closing reports"

# verify: OK per file, nothing stored; the rehearsal batch FAILED with its reason.
expect_status 0 "$hq_bin" verify --hq "$work/hq" --closing-report "$work/closing-reports.txt" "$work/usb-main" "$work/usb-shinan"
[ "$(grep -c '^OK ' "$work/out.txt")" = 4 ] || fail "verify: 4 OK lines expected"
[ "$(grep -c 'closing report: checked' "$work/out.txt")" = 4 ] || fail "verify: closing report lines missing"
expect_status 1 "$hq_bin" verify --hq "$work/hq" --no-decrypt "$work/usb-rehearsal"
grep -q 'batch-rehearsal' "$work/out.txt" || fail "verify: rehearsal reason missing"

# A --closing-report file without a single report code is a mistake, not "no reports".
echo "no codes here" > "$work/empty-reports.txt"
expect_status 2 "$hq_bin" verify --hq "$work/hq" --closing-report "$work/empty-reports.txt" "$work/usb-main"
grep -q "empty-reports.txt holds no report code" "$work/err.txt" || fail "a report file without codes must be named"
expect_status 2 "$hq_bin" import --hq "$work/hq" --closing-report "$work/empty-reports.txt" "$work/usb-main"
[ ! -d "$work/hq/batches" ] || [ -z "$(ls "$work/hq/batches")" ] || fail "nothing may be imported on a usage error"

# Not a file: a *.pybatch that is a link to /dev/zero (on a USB drive), and a spec that is a
# named pipe. Each is refused at once, naming what it is; memory and time stay bounded
# (the old code read /dev/zero until it ran out of memory, and waited on the pipe forever).
mkdir "$work/usb-zero"
ln -s /dev/zero "$work/usb-zero/x.pybatch"
# The address-space cap bounds memory; an AddressSanitizer build reserves terabytes of
# shadow address space at start and cannot run under it, so there RSS is capped instead
# (ASan's own limit aborts the run beyond it, which fails the exit-code check below).
memcap='ulimit -v 4000000'
if ldd "$hq_bin" 2>/dev/null | grep -q libasan; then
    memcap=':'
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=4000"
fi
for cmd in verify import; do
    for target in "$work/usb-zero/x.pybatch" "$work/usb-zero"; do
        set +e
        ($memcap; timeout 60 "$hq_bin" $cmd --hq "$work/hq" "$target") >"$work/out.txt" 2>"$work/err.txt"
        got=$?
        set -e
        [ "$got" = 1 ] || { cat "$work/out.txt" "$work/err.txt" >&2; fail "$cmd of a link to /dev/zero: exit $got"; }
        grep -q 'a link to /dev/zero, which is a character device' "$work/out.txt" "$work/err.txt" \
            || { cat "$work/out.txt" "$work/err.txt" >&2; fail "$cmd must say what x.pybatch is"; }
    done
done
[ ! -d "$work/hq/batches" ] || [ -z "$(ls "$work/hq/batches")" ] || fail "nothing may be imported from /dev/zero"
mkfifo "$work/activity.fifo"
expect_status 1 timeout 20 "$hq_bin" activity check "$work/activity.fifo"
grep -q 'a named pipe (FIFO), not a regular file' "$work/err.txt" || fail "activity check of a FIFO must refuse it"

# Arguments echoed back never show an ID number, however it is typed.
id_wide="３７０２０２１９８００１０１０１１７"
expect_status 2 "$hq_bin" "$id_wide"
expect_status 2 "$hq_bin" verify --hq "$work/hq" "--370202-19800101-0117"
expect_status 1 "$hq_bin" staff --hq "$work/hq" --venue "370202 19800101 0117"
for f in "$work/out.txt" "$work/err.txt"; do
    ! grep -q '370202\|３７０２０２' "$f" || fail "an ID number was printed: $(cat "$f")"
done

# One command at a time: while another process holds the HQ directory's lock, import says so.
expect_status 1 flock "$work/hq/hq.lock" "$hq_bin" import --hq "$work/hq" "$work/usb-main"
grep -q "another pingyi-hq command is working on $work/hq" "$work/err.txt" || fail "lock: message missing"
grep -q "wait for it to finish" "$work/err.txt" || fail "lock: next step missing"

# import: two imports of the same batches at once: each batch is stored once, and the
# one that finds the directory busy (or everything imported) says so.
set +e
"$hq_bin" import --hq "$work/hq" --closing-report "$work/closing-reports.txt" "$work/usb-main" "$work/usb-shinan" \
    >"$work/out1.txt" 2>"$work/err1.txt" &
pid1=$!
"$hq_bin" import --hq "$work/hq" --closing-report "$work/closing-reports.txt" "$work/usb-main" "$work/usb-shinan" \
    >"$work/out2.txt" 2>"$work/err2.txt"
status2=$?
wait $pid1
status1=$?
set -e
for i in 1 2; do
    status=$([ $i = 1 ] && echo $status1 || echo $status2)
    if [ "$status" = 0 ]; then
        grep -q '^4 imported, 0 already imported, 0 refused\|^0 imported, 4 already imported, 0 refused' "$work/out$i.txt" \
            || { cat "$work/out$i.txt"; fail "concurrent import $i: summary"; }
    else
        grep -q 'another pingyi-hq command is working on' "$work/err$i.txt" \
            || { cat "$work/out$i.txt" "$work/err$i.txt"; fail "concurrent import $i failed without saying why"; }
    fi
done
cat "$work/out1.txt" "$work/out2.txt" | grep -q '^4 imported' || fail "one of the concurrent imports must import"
expect_status 0 "$hq_bin" import --hq "$work/hq" --closing-report "$work/closing-reports.txt" "$work/usb-main" "$work/usb-shinan"
grep -q '^0 imported, 4 already imported, 0 refused' "$work/out.txt" || fail "import summary"
[ "$(grep -c 'closing report: checked' "$work/out.txt")" = 4 ] || fail "import: closing report lines"
expect_status 0 "$hq_bin" import --hq "$work/hq" --json "$work/usb-main" "$work/usb-shinan"
grep -q '"already_imported": 4' "$work/out.txt" || fail "second import must be a no-op"
expect_status 1 "$hq_bin" import --hq "$work/hq" "$work/usb-rehearsal"
grep -q 'REFUSED' "$work/out.txt" || fail "rehearsal must be refused"
[ "$(ls "$work/hq/batches" | wc -l)" = 4 ] || fail "four archived batches expected"
# The reports given to import are stored: giving them again changes nothing; report list
# shows the kiosks; retiring a kiosk needs a reason.
expect_status 0 "$hq_bin" report add --hq "$work/hq" "$work/closing-reports.txt"
grep -q '4 report(s) given, 0 refused' "$work/out.txt" || fail "report add: stored reports given again"
[ "$(grep -c '^already-stored' "$work/out.txt")" = 4 ] || fail "report add: already stored expected"
expect_status 0 "$hq_bin" report list --hq "$work/hq" --json
expect_status 2 "$hq_bin" kiosk retire --hq "$work/hq" --kiosk nobody

# trustees: 2 of 3, each share with its own passphrase; election.key retired.
for i in 1 2 3; do echo "trustee passphrase $i" > "$work/pass-$i"; done
echo "$PINGYI_PASSPHRASE" > "$work/hq-pass"
# A share's passphrase never comes from PINGYI_PASSPHRASE (it holds the office's), and
# neither the office's passphrase nor another share's is accepted for a share.
expect_status 1 "$hq_bin" trustees split --hq "$work/hq" --k 2 --n 3 --out "$work/shares-env" </dev/null
grep -q 'never taken from PINGYI_PASSPHRASE' "$work/err.txt" || fail "share passphrases must not come from the environment"
[ ! -e "$work/shares-env/share-1-of-3.key" ] || fail "no share may be written with the office passphrase"
expect_status 1 "$hq_bin" trustees split --hq "$work/hq" --k 2 --n 3 --out "$work/shares-same" \
    --share-passphrase-file "$work/pass-1" --share-passphrase-file "$work/hq-pass" --share-passphrase-file "$work/pass-3"
grep -q 'office (HQ) passphrase' "$work/err.txt" || fail "the office passphrase must be refused for a share"
expect_status 1 "$hq_bin" trustees split --hq "$work/hq" --k 2 --n 3 --out "$work/shares-same" \
    --share-passphrase-file "$work/pass-1" --share-passphrase-file "$work/pass-2" --share-passphrase-file "$work/pass-1"
grep -q 'have the same passphrase' "$work/err.txt" || fail "two shares with one passphrase must be refused"
expect_status 0 env -u PINGYI_PASSPHRASE "$hq_bin" trustees split --hq "$work/hq" --k 2 --n 3 --out "$work/shares" \
    --passphrase-file "$work/hq-pass" --trustee 甲 --trustee 乙 --trustee 丙 --retire-election-key \
    --share-passphrase-file "$work/pass-1" --share-passphrase-file "$work/pass-2" --share-passphrase-file "$work/pass-3"
[ ! -e "$work/hq/election.key" ] && [ -e "$work/hq/election.pub" ] || fail "election.key must be retired"
expect_status 0 "$hq_bin" trustees show "$work/shares/share-2-of-3.key"
grep -q '乙' "$work/out.txt" || fail "trustees show"

# The other commands wait their turn too: a busy directory is refused with the same message.
expect_status 1 flock "$work/hq/hq.lock" "$hq_bin" bulletin --hq "$work/hq" --out "$work/bulletin-busy.txt"
grep -q "another pingyi-hq command is working on $work/hq" "$work/err.txt" || fail "bulletin: lock message missing"
[ ! -e "$work/bulletin-busy.txt" ] || fail "a refused bulletin must write nothing"
expect_status 1 flock "$work/hq/hq.lock" "$hq_bin" staff --hq "$work/hq" --venue shinan
grep -q "wait for it to finish" "$work/err.txt" || fail "staff: lock message missing"

# bulletin before any tally: says the ballots are imported, not yet tallied.
expect_status 0 "$hq_bin" bulletin --hq "$work/hq" --out "$work/bulletin-early.txt"
grep -q 'imported, not yet tallied' "$work/bulletin-early.txt" || fail "an untallied bulletin must say so"

# tally: one share is not enough; two are; not from the environment either.
expect_status 1 env -u PINGYI_PASSPHRASE "$hq_bin" tally --hq "$work/hq" --out "$work/results" \
    --share "$work/shares/share-1-of-3.key" --share-passphrase-file "$work/pass-1"
grep -q 'share-too-few\|trustee shares are needed' "$work/err.txt" || fail "one share must be refused"
expect_status 1 "$hq_bin" tally --hq "$work/hq" --out "$work/results" \
    --share "$work/shares/share-1-of-3.key" --share "$work/shares/share-3-of-3.key" </dev/null
grep -q 'never taken from PINGYI_PASSPHRASE' "$work/err.txt" || fail "tally: share passphrases must not come from the environment"
expect_status 1 env -u PINGYI_PASSPHRASE "$hq_bin" tally --hq "$work/hq" --out "$work/results" \
    --share "$work/shares/share-1-of-3.key" --share "$work/shares/share-3-of-3.key" \
    --share-passphrase-file "$work/pass-1" --share-passphrase-file "$work/pass-2"
grep -q 'share-3-of-3.key' "$work/err.txt" || fail "a wrong passphrase must name the share"
# Only two of eleven venues sent batches: full results are refused, counts only are not.
expect_status 1 env -u PINGYI_PASSPHRASE "$hq_bin" tally --hq "$work/hq" --out "$work/results" \
    --share "$work/shares/share-1-of-3.key" --share "$work/shares/share-3-of-3.key" \
    --share-passphrase-file "$work/pass-1" --share-passphrase-file "$work/pass-3"
grep -q 'full results cannot be published' "$work/err.txt" || fail "a full tally with venues missing must be refused"
[ ! -e "$work/results" ] || fail "a refused tally must write nothing"
expect_status 0 env -u PINGYI_PASSPHRASE "$hq_bin" tally --hq "$work/hq" --out "$work/results" --provisional \
    --share "$work/shares/share-1-of-3.key" --share "$work/shares/share-3-of-3.key" \
    --share-passphrase-file "$work/pass-1" --share-passphrase-file "$work/pass-3"
for f in results.json departments.csv attendance.csv intake.csv report.pdf; do
    [ -s "$work/results/$f" ] || fail "tally did not write $f"
done
grep -q '"provisional": true' "$work/results/results.json" || fail "provisional results must say so"
! grep -q '"weighted_score": [0-9]\|"score_sum"' "$work/results/results.json" || fail "provisional results must hold no scores"
[ ! -e "$work/results/suggestions" ] || fail "provisional results must hold no suggestions"
ballots=$(grep -o '"ballots": [0-9]*' "$work/results/results.json" | head -1 | grep -o '[0-9]*$')
truth=$(grep -oh '"[A-Z2-7]\{4\}-[A-Z2-7]\{4\}"' "$work"/truth-*.json | wc -l)
[ "$ballots" = "$truth" ] || fail "tally counted $ballots ballots, the kiosks issued $truth receipts"

# bulletin: every receipt the kiosks issued, nothing else, as counted by the tally.
expect_status 0 "$hq_bin" bulletin --hq "$work/hq" --out "$work/bulletin.txt"
grep -q 'counted ballots' "$work/bulletin.txt" || fail "the bulletin after a tally lists counted ballots"
for code in $(grep -oh '"[A-Z2-7]\{4\}-[A-Z2-7]\{4\}"' "$work"/truth-*.json | tr -d '"'); do
    grep -q "$code" "$work/bulletin.txt" || fail "receipt $code missing from the bulletin"
done
[ "$(grep -o '[A-Z2-7]\{4\}-[A-Z2-7]\{4\}' "$work/bulletin.txt" | wc -l)" = "$truth" ] || fail "bulletin holds extra codes"
expect_status 0 "$hq_bin" bulletin --hq "$work/hq" --out "$work/bulletin.pdf"
head -c 4 "$work/bulletin.pdf" | grep -q '%PDF' || fail "bulletin PDF"
# roster draw: commit, draw with a rotation floor against "last year", verify, a changed
# pool caught, the drawn roster imported into a fresh HQ directory with no quota warning.
"$hq_bin" roster synth --activity "$spec" --out "$work/people.csv" --scale 1.5 --seed 9 >/dev/null
awk -F, 'NR == 1 { print "cand_id,name,id_number,category,venue,session,source"; next }
         { src = ($4 == "c-volunteer") ? "volunteer" : (NR % 7 == 0 ? "recommended" : "draw");
           print "P" NR "," $2 "," $3 "," $4 "," $5 ",," src }' "$work/people.csv" > "$work/pool.csv"
awk 'NR == 1 || NR % 3 == 0' "$work/people.csv" > "$work/last-year.csv"
expect_status 0 "$hq_bin" roster draw --activity "$spec" --pool "$work/pool.csv" --previous "$work/last-year.csv" \
    --seed-commit "$work/secret.hex"
commitment=$(grep -o 'commitment: *[0-9a-f]*' "$work/out.txt" | grep -o '[0-9a-f]*$')
[ ${#commitment} = 64 ] || fail "roster draw --seed-commit printed no commitment"
expect_status 1 "$hq_bin" roster draw --activity "$spec" --pool "$work/pool.csv" --seed-commit "$work/secret.hex"
expect_status 0 "$hq_bin" roster draw --activity "$spec" --pool "$work/pool.csv" --previous "$work/last-year.csv" \
    --seed "$work/secret.hex" --public "2025-11-20 12345" --out "$work/drawn.csv"
grep -q 'Drew 3030 representatives' "$work/out.txt" || fail "roster draw: 3030 representatives expected"
grep -q "\"commitment\": \"$commitment\"" "$work/drawn.draw.json" || fail "the report's commitment differs"
grep -q '"secret":' "$work/drawn.draw.json" || fail "the report reveals the secret"
# The pool's own ID numbers, matched exactly: a bare 18-digit pattern also hits runs of
# digits inside the report's random hex digests (about one run in a few hundred).
cut -d, -f3 "$work/pool.csv" | tail -n +2 | grep -E '^[0-9]{17}[0-9X]$' > "$work/pool-ids.txt"
[ -s "$work/pool-ids.txt" ] || fail "the pool holds no ID numbers to look for"
! grep -qFf "$work/pool-ids.txt" "$work/drawn.draw.json" "$work/drawn.list.csv" "$work/out.txt" || fail "an ID number in a draw output"
! grep -qE '(^|[^0-9a-f])[0-9]{17}[0-9X]($|[^0-9a-f])' "$work/drawn.draw.json" "$work/drawn.list.csv" "$work/out.txt" \
    || fail "something shaped like an ID number in a draw output"
expect_status 0 "$hq_bin" roster draw --activity "$spec" --pool "$work/pool.csv" --previous "$work/last-year.csv" \
    --verify "$work/drawn.draw.json" --roster "$work/drawn.csv"
grep -q 'The draw verifies' "$work/out.txt" || fail "roster draw --verify"
sed 's/^P2,/P2x,/' "$work/pool.csv" > "$work/pool-changed.csv"
expect_status 1 "$hq_bin" roster draw --activity "$spec" --pool "$work/pool-changed.csv" --previous "$work/last-year.csv" \
    --verify "$work/drawn.draw.json"
grep -q 'draw-mismatch\|pool_digest' "$work/err.txt" || fail "a changed pool must not verify"
"$hq_bin" init --hq "$work/hq2" >/dev/null
expect_status 0 "$hq_bin" roster import --hq "$work/hq2" --activity "$spec" "$work/drawn.csv"
! grep -q 'quota cell' "$work/out.txt" || fail "the drawn roster must meet every quota"

echo "cli-smoke: OK ($ballots ballots)"
