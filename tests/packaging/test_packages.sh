#!/bin/bash
# Builds the two Debian packages with cpack from this build tree, then checks what a
# machine would get: the files, the dependencies dpkg-shlibdeps found (libsodium, SQLite,
# Qt), the maintainer scripts, the systemd unit, and that the packaged kiosk binary runs
# its screen self-test from the unpacked package, away from the build tree (its QML
# modules are compiled in).
# Usage: test_packages.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/pingyi-packages-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
kiosk=$(ls "$work"/out/pingyi-kiosk_*.deb) || fail "no pingyi-kiosk package"
office=$(ls "$work"/out/pingyi-office_*.deb) || fail "no pingyi-office package"

has() { # has DEB PATH
    dpkg-deb -c "$1" | awk '{print $6}' | grep -qx "$2" || fail "$(basename "$1") lacks $2"
}
has "$kiosk" ./usr/bin/pingyi-kiosk
has "$kiosk" ./usr/lib/systemd/system/pingyi-kiosk.service
has "$kiosk" ./usr/lib/udev/rules.d/70-pingyi-usb.rules
has "$kiosk" ./usr/lib/pingyi/pingyi-usb-mount
has "$kiosk" ./usr/share/polkit-1/rules.d/50-pingyi-unmount.rules
has "$office" ./usr/bin/pingyi-hq
has "$office" ./usr/bin/pingyi-sim
has "$office" ./usr/share/doc/pingyi-office/operator-guide.md
has "$office" ./usr/share/pingyi/examples/qingdao-2025/activity.json
# The face models and their licences, in both (fetched from npm at setup, never in git).
for deb in "$kiosk" "$office"; do
    for model in face_detection_front_128x128.onnx face_detection_back_256x256.onnx \
        face_recognition_resnet29.onnx LICENSE.blazeface LICENSE.face-api; do
        has "$deb" ./usr/share/pingyi/models/$model
    done
done
# Each program goes to exactly one package.
dpkg-deb -c "$office" | grep -q 'usr/bin/pingyi-kiosk' && fail "pingyi-office carries the kiosk"
dpkg-deb -c "$kiosk" | grep -q 'usr/bin/pingyi-hq' && fail "pingyi-kiosk carries the office tool"
for tool in pingyi-sim pingyi-kiosk-preview; do
    dpkg-deb -c "$kiosk" | grep -q "usr/bin/$tool" && fail "pingyi-kiosk carries $tool"
    [ "$tool" = pingyi-kiosk-preview ] && dpkg-deb -c "$office" | grep -q "usr/bin/$tool" && fail "pingyi-office carries $tool"
done

for dep in libsodium23 libsqlite3-0 libqt6quick6 cage qml6-module-qtquick fonts-wqy-microhei; do
    dpkg-deb -f "$kiosk" Depends | grep -q "$dep" || fail "pingyi-kiosk does not depend on $dep"
done
for dep in libsodium23 libqrencode4 libgfshare2; do
    dpkg-deb -f "$office" Depends | grep -q "$dep" || fail "pingyi-office does not depend on $dep"
done

mkdir -p "$work/control"
dpkg-deb -e "$kiosk" "$work/control"
for s in postinst prerm postrm; do
    [ -x "$work/control/$s" ] || fail "pingyi-kiosk has no executable $s"
    sh -n "$work/control/$s" || fail "$s is not valid sh"
done
grep -q 'adduser --system' "$work/control/postinst" || fail "postinst makes no system user"
grep -q 'rm -rf\|/var/lib/pingyi-kiosk' "$work/control/postrm" && fail "postrm must never touch the kiosk's state"
sh -n "$src/packaging/pingyi-usb-mount" || fail "pingyi-usb-mount is not valid sh"

# The unit: offline, unprivileged, restarted only after a crash.
unit="$src/packaging/pingyi-kiosk.service"
for line in 'User=pingyi' 'PrivateNetwork=yes' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'Restart=on-failure' \
    'StateDirectoryMode=0700'; do
    grep -qx "$line" "$unit" || fail "pingyi-kiosk.service lacks $line"
done
if command -v systemd-analyze >/dev/null && command -v cage >/dev/null; then
    systemd-analyze verify "$unit" || fail "systemd-analyze verify pingyi-kiosk.service"
fi

# The packaged kiosk, unpacked elsewhere, loads its window on an empty state directory. Every
# screen is compiled into the binary; loading the shell resolves all of their types and the
# system QML modules they import (QtQuick, QtQuick.Window), and --check-start fails on any QML
# warning. The screen tour itself is pingyi-kiosk-preview's (ui_selftest), never shipped.
dpkg-deb -x "$kiosk" "$work/root"
QT_QPA_PLATFORM=offscreen "$work/root/usr/bin/pingyi-kiosk" --state "$work/state" --check-start >"$work/selftest.log" 2>&1 \
    || { tail -20 "$work/selftest.log"; fail "the packaged pingyi-kiosk --check-start failed"; }
QT_QPA_PLATFORM=offscreen "$work/root/usr/bin/pingyi-kiosk" --version | grep -q 'pingyi-kiosk' \
    || fail "the packaged pingyi-kiosk has no --version"
echo "OK: $(basename "$kiosk") and $(basename "$office")"
