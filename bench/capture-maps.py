#!/usr/bin/env python3
"""Traces a command with /proc/PID/maps snapshots as the truth, for bench/replay-maps.sh.

    bench/capture-maps.py OUT_PREFIX -- COMMAND [ARG...]

Writes OUT_PREFIX.log (strace -f output read through a FIFO) and OUT_PREFIX.maps.jsonl (one
object per memory call: line, pid, text, syscall, maps). strace holds each task for 20 ms after
every mmap, munmap, brk, mprotect and mremap (-e inject=...:delay_exit=20000), and the maps are
read in that window, so a snapshot is the address space just after its call.
"""
import json
import os
import subprocess
import sys
import tempfile

MEMORY = "mmap,munmap,brk,mprotect,mremap"


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        sys.exit("usage: capture-maps.py OUT_PREFIX -- COMMAND [ARG...]")
    prefix, cmd = argv[1], argv[3:]
    fifo = os.path.join(tempfile.mkdtemp(), "strace.fifo")
    os.mkfifo(fifo)
    p = subprocess.Popen(["strace", "-f", "-o", fifo,
                          "-e", "inject=%s:delay_exit=20000" % MEMORY] + cmd,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    snaps = missed = 0
    with open(fifo, "rb") as f, open(prefix + ".log", "wb") as log, \
            open(prefix + ".maps.jsonl", "w") as out:
        for lineno, raw in enumerate(f, 1):
            log.write(raw)
            text = raw.decode("utf-8", "surrogateescape").rstrip("\n")
            if not text.endswith("(DELAYED)"):
                continue
            pid = text.split(None, 1)[0]
            try:
                with open("/proc/%s/maps" % pid) as m:
                    maps = m.read()
                snaps += 1
            except OSError:
                maps = None
                missed += 1
            out.write(json.dumps({"line": lineno, "pid": int(pid), "text": text,
                                  "syscall": text.split(None, 1)[1].split("(", 1)[0]
                                  .replace("<... ", ""), "maps": maps}) + "\n")
    os.unlink(fifo)
    rc = p.wait()
    print("%s: exit %d, %d snapshots, %d missed" % (prefix, rc, snaps, missed))


if __name__ == "__main__":
    main(sys.argv)
