#!/usr/bin/env python3
"""Captures a sample's trace.log and trace.maps.jsonl, as ../shared/corpus/gen.py does.

usage: samples/capture.py DIR [STRACE-OPTION...] -- COMMAND...

Runs `strace -f -o FIFO -e inject=MEMORY:delay_exit=20000 [STRACE-OPTION...] COMMAND` in DIR
(the command's stdin and stdout are this script's). Every line ending in "(DELAYED)" is the
exit of a memory syscall whose task strace holds for 20 ms after writing it, so
/proc/PID/maps read at once is the address space just after that call: one JSON object per
such line in trace.maps.jsonl (`line`, `pid`, `text`, `maps`), the format
`memtrace analyze --snapshots` reads. (strace 6.1 does not delay execve's exit although it is
in the list, so the first snapshot is the first memory call's, ld.so's brk(0).)
"""
import json
import os
import subprocess
import sys
import tempfile

MEMORY = "execve,mmap,munmap,brk,mprotect,mremap"


def main(argv):
    if len(argv) < 3 or "--" not in argv:
        sys.exit(__doc__)
    cut = argv.index("--")
    outdir, options, command = argv[0], argv[1:cut], argv[cut + 1:]
    tmp = tempfile.mkdtemp()
    fifo = os.path.join(tmp, "trace.fifo")
    os.mkfifo(fifo)
    cmd = ["strace", "-f", "-o", fifo, "-e", "inject=%s:delay_exit=20000" % MEMORY]
    p = subprocess.Popen(cmd + options + command, cwd=outdir)
    with open(fifo, "rb") as f, open(os.path.join(outdir, "trace.log"), "wb") as log, \
            open(os.path.join(outdir, "trace.maps.jsonl"), "w") as snaps:
        for number, raw in enumerate(f, 1):
            log.write(raw)
            text = raw.decode("utf-8", "surrogateescape").rstrip("\n")
            if not text.endswith("(DELAYED)"):
                continue
            pid = text.split(None, 1)[0]
            try:
                with open("/proc/%s/maps" % pid) as m:
                    maps = m.read()
            except OSError:
                continue
            snaps.write(json.dumps({"line": number, "pid": int(pid), "text": text,
                                    "maps": maps}) + "\n")
    rc = p.wait()
    os.unlink(fifo)
    os.rmdir(tmp)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
