#!/usr/bin/env python3
"""Writes hand-made seed inputs for fuzz_kiosk_service into tests/data/fuzz/kiosk_service/.

Each seed is a scripted session (log in, open, check people in, cast, close, export, ...),
encoded the way the fuzzer reads it with libFuzzer's FuzzedDataProvider: integers are taken
from the END of the input (one byte for ranges below 256, big-endian from the back for wider
ones), strings from the FRONT. The fuzzer grows the rest of its corpus from these.

Usage: tests/fuzz/service/make_seeds.py [output directory]
"""

import os
import sys

# The fuzzer's call kinds, in enum order (fuzz_kiosk_service.cpp, enum class Op).
OPS = ["login", "logout", "touch", "advance-clock", "open", "pause", "resume", "close", "export",
       "report", "check-in-card", "check-in-id", "check-in-face", "override", "cast", "release",
       "restart", "crash-restart", "load-package", "enrolment", "verify-audit"]
# Sessions held at shinan, real then rehearsal: econ, econ (R), service, service (R), ...
KEYS = {"econ": 0, "econ-r": 1, "service": 2, "service-r": 3, "enforcement": 4, "enforcement-r": 5,
        "internal": 6, "nowhere": 7}
NKEYS = 8
# Qingdao 2025: departments of econ (a cast always fills the voter's session, econ in seeds),
# questionnaire and discipline questions.
ECON_DEPARTMENTS = 15
QUESTIONS = 6 + 4


class Seed:
    def __init__(self):
        self.front = bytearray()
        self.back = []  # integers in the order they are consumed

    def int(self, value, lo, hi):
        """ConsumeIntegralInRange(lo, hi) returning `value`."""
        span = hi - lo
        v = value - lo
        assert 0 <= v <= span
        width = 0
        while width < 8 and (span >> (8 * width)) > 0:
            width += 1
        raw = v.to_bytes(width, "big") if width else b""
        # The provider reads the last byte first and shifts it up: the first byte read is
        # the most significant.
        self.back.extend(raw)

    def op(self, name):
        self.int(OPS.index(name), 0, len(OPS) - 1)

    def text(self, s):
        """ConsumeRandomLengthString: backslashes doubled, ended by a backslash + other byte."""
        data = s.encode("utf-8").replace(b"\\", b"\\\\")
        self.front += data + b"\\x"

    def bytes(self):
        return bytes(self.front) + bytes(reversed(self.back))

    # ---- the calls, consuming exactly what the fuzzer consumes ----------------------------
    def login(self, who):  # 0 staff, 1 lead, 2 technician, 3 one digit off
        self.op("login")
        self.int(who, 0, 5)

    def open(self, key):
        self.op("open")
        self.int(KEYS[key], 0, NKEYS - 1)

    def pause(self, key):
        self.op("pause")
        self.int(KEYS[key], 0, NKEYS - 1)

    def resume(self, key):
        self.op("resume")
        self.int(KEYS[key], 0, NKEYS - 1)

    def close(self, key):
        self.op("close")
        self.int(KEYS[key], 0, NKEYS - 1)

    def export(self, key, where=2):
        self.op("export")
        self.int(KEYS[key], 0, NKEYS - 1)
        self.int(where, 0, 5)

    def report(self, key, kind):  # 0 zero, 2 closing
        self.op("report")
        self.int(KEYS[key], 0, NKEYS - 1)
        self.int(kind, 0, 4)

    def card(self, rep, variant=0):  # 0-4: the rep's own card; 6-8: forged, other activity/venue
        self.op("check-in-card")
        self.int(variant, 0, 9)
        self.int(rep, 0, 255)  # pickRep: the roster has fewer than 256 at shinan
        self.int(0, 0, 255)  # scanner or camera

    def id_number(self, rep, variant=0):
        self.op("check-in-id")
        self.int(variant, 0, 7)
        self.int(rep, 0, 255)
        self.int(0, 0, 2)

    def cast(self, rating=2, suggestion=False):
        self.op("cast")
        self.int(1, 0, 15)  # the voter's session
        for _ in range(ECON_DEPARTMENTS):
            self.int(rating, 0, 31)
        self.int(5, 0, 31)  # no extra department
        for _ in range(QUESTIONS):
            self.int(3, 0, 31)
        self.int(5, 0, 31)  # no extra question
        if suggestion:
            self.int(1 + 3, 0, 5)  # one suggestion: -3 + 4 = 1
            self.int(1, 0, 15)  # the voter's session
            self.int(2, 0, 12)  # a topic
            self.int(-1, -1, ECON_DEPARTMENTS)  # no particular department
            self.int(0, 0, 3)  # a plain text
        else:
            self.int(3, 0, 5)  # none

    def release(self, why=0):
        self.op("release")
        self.int(why, 0, 2)

    def simple(self, name):
        self.op(name)

    def advance(self, seconds):
        self.op("advance-clock")
        self.int(2, 0, 3)
        self.int(seconds, 0, 2000)


def seeds():
    out = {}

    s = Seed()  # a whole real session: open, votes, a release, close, export, reports
    s.login(0)
    s.open("econ")
    for rep in range(8):
        s.card(rep)
        s.cast(2 + rep, suggestion=rep % 3 == 0)
    s.id_number(9)
    s.release(0)
    s.close("econ")
    s.export("econ")
    s.report("econ", 2)
    s.simple("verify-audit")
    out["session-econ"] = s

    s = Seed()  # voting twice, by card and by ID number, across a restart
    s.login(0)
    s.open("econ")
    for rep in range(4):
        s.card(rep)
        s.cast()
        s.id_number(rep, 2)
        s.simple("crash-restart")
        s.card(rep, 4)
    out["double-vote"] = s

    s = Seed()  # pause/resume, a voter left checked in by a crash, then close
    s.login(1)
    s.open("service-r")
    s.pause("service-r")
    s.card(1)
    s.resume("service-r")
    for rep in range(6):
        s.card(rep)
    s.simple("crash-restart")
    s.login(1)
    s.close("service-r")
    s.export("service-r")
    s.export("service-r", 0)
    out["rehearsal-crash"] = s

    s = Seed()  # PIN back-off and the inactivity lock
    for _ in range(4):
        s.login(3)
    s.advance(40)
    s.login(3)
    s.advance(70)
    s.login(2)
    s.advance(130)
    s.open("enforcement")
    s.login(2)
    s.simple("touch")
    s.op("load-package")
    s.int(1, 0, 3)
    out["pins-and-package"] = s

    s = Seed()  # the lead lets someone in, another is refused
    s.login(1)
    s.open("econ")
    s.op("override")
    s.int(2, 0, 6)
    s.int(3, 0, 255)
    s.int(0, 0, 3)
    s.cast()
    s.op("override")
    s.int(4, 0, 6)
    s.int(0, 0, 255)
    s.int(0, 0, 3)
    s.card(5, 6)
    s.card(5, 8)
    s.id_number(5, 3)
    s.id_number(5, 4)
    out["override-and-refusals"] = s
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "data", "fuzz", "kiosk_service")
    os.makedirs(target, exist_ok=True)
    for name, s in seeds().items():
        with open(os.path.join(target, "seed-" + name), "wb") as f:
            f.write(s.bytes())
    print(f"wrote {len(seeds())} seeds to {os.path.normpath(target)}")


if __name__ == "__main__":
    main()
