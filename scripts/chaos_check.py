#!/usr/bin/env python3
"""Helpers of scripts/chaos.sh.

  chaos_check.py ports N              N free loopback TCP ports, space separated
  chaos_check.py fingerprint DIR      the fingerprint in DIR/summary.json
  chaos_check.py check DIR N REF      three words, yes or no: the run finished (summary "completed"), its
                                      fingerprint equals REF, market.csv has each tick 0..N-1 exactly once
"""
import csv
import json
import os
import socket
import sys


def ports(n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    print(" ".join(str(s.getsockname()[1]) for s in socks))
    for s in socks:
        s.close()


def summary(folder):
    try:
        with open(os.path.join(folder, "summary.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def ticks_once(folder, n):
    try:
        with open(os.path.join(folder, "market.csv"), newline="") as f:
            ticks = [int(row["tick"]) for row in csv.DictReader(f)]
    except (OSError, ValueError, KeyError):
        return False
    return sorted(ticks) == list(range(n))


def check(folder, n, ref):
    s = summary(folder)
    yes = lambda b: "yes" if b else "no"
    print(yes(s.get("completed") is True), yes(s.get("fingerprint") == ref), yes(ticks_once(folder, n)))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "ports":
        ports(int(args[0]))
    elif cmd == "fingerprint":
        print(summary(args[0]).get("fingerprint", ""))
    elif cmd == "check":
        check(args[0], int(args[1]), args[2])
    else:
        sys.exit("usage: chaos_check.py ports N | fingerprint DIR | check DIR N REF")
