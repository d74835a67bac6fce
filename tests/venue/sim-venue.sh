#!/usr/bin/env bash
# pingyi-sim --kiosks 3 --shared: three kiosk processes on 127.0.0.1 sharing the venue's
# check-ins, a fifth of the representatives trying a second kiosk. No double vote, every
# refusal names the kiosk holding the check-in. Also: pingyi-hq package --network refuses
# a plan that does not fit the venue's kiosks, saying what is wrong.
set -euo pipefail
hq_bin="${PINGYI_HQ:?PINGYI_HQ must name the pingyi-hq executable}"
sim_bin="${PINGYI_SIM:?PINGYI_SIM must name the pingyi-sim executable}"
spec="$(dirname "$0")/../../examples/qingdao-2025/activity.json"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PINGYI_PASSPHRASE="venue sim passphrase"
fail() { echo "sim-venue: $*" >&2; exit 1; }

"$hq_bin" init --hq "$work/hq" >/dev/null
"$hq_bin" roster synth --activity "$spec" --out "$work/roster.csv" --scale 0.6 >/dev/null
"$hq_bin" roster import --hq "$work/hq" --activity "$spec" "$work/roster.csv" >/dev/null

"$sim_bin" --hq "$work/hq" --venue shinan --session econ --kiosks 3 --shared --second-attempts 0.2 \
    --voters 50 --out "$work/usb" --seed 5 > "$work/out.txt" || { cat "$work/out.txt"; fail "pingyi-sim --shared failed"; }
cat "$work/out.txt"
grep -q '^  double votes: 0$' "$work/out.txt" || fail "double votes must be 0"
refusals="$(sed -n 's/^  refusals: \([0-9]*\) (naming the kiosk that holds the check-in: \([0-9]*\))$/\1 \2/p' "$work/out.txt")"
[ -n "$refusals" ] || fail "no refusal line"
set -- $refusals
[ "$1" -gt 0 ] || fail "expected second attempts to be refused"
[ "$1" = "$2" ] || fail "every refusal must name the kiosk holding the check-in ($2 of $1 did)"
[ "$(ls "$work/usb"/*.pybatch | wc -l)" = 3 ] || fail "expected 3 batches"
"$hq_bin" verify --hq "$work/hq" "$work/usb" > "$work/verify.txt" || { cat "$work/verify.txt"; fail "batches do not verify"; }

# Again at the same venue: its kiosks from the first run are not running, so it is refused.
set +e
"$sim_bin" --hq "$work/hq" --venue shinan --session econ --kiosks 3 --shared --voters 5 --out "$work/usb2" \
    > /dev/null 2> "$work/err.txt"
status=$?
set -e
[ "$status" = 2 ] || fail "a second --shared run at the same venue must be refused (exit 2, got $status)"
grep -q 'already has 3 enrolled kiosk(s)' "$work/err.txt" || { cat "$work/err.txt"; fail "the refusal must say why"; }

# A network plan naming a kiosk the office never enrolled.
printf '# venue LAN\nnobody-1 10.0.0.11:7443\n' > "$work/plan.txt"
set +e
"$hq_bin" package --hq "$work/hq" --venue shinan --out "$work/p.pyvpkg" --network "$work/plan.txt" 2> "$work/err.txt"
status=$?
set -e
[ "$status" != 0 ] || fail "a plan naming an unknown kiosk must be refused"
grep -q 'kiosk nobody-1 is not enrolled at this venue' "$work/err.txt" || { cat "$work/err.txt"; fail "the refusal must say why"; }
printf 'shinan-1 10.0.0.11\n' > "$work/plan.txt"
set +e
"$hq_bin" package --hq "$work/hq" --venue shinan --out "$work/p.pyvpkg" --network "$work/plan.txt" 2> "$work/err.txt"
status=$?
set -e
[ "$status" != 0 ] || fail "a plan line without a port must be refused"
grep -q 'plan.txt, line 1' "$work/err.txt" || { cat "$work/err.txt"; fail "the refusal must name the line"; }
echo "sim-venue: OK"
