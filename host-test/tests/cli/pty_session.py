"""Runs one command in a pseudo-terminal, as a person at a terminal would, for the CLI tests.

Usage: python3 pty_session.py '<json spec>'
Spec: {"argv": [...], "env": {...}, "cwd": "...", "timeout": seconds,
       "steps": [{"expect": "text", "send": "text"}, ...]}
Each step waits until `expect` appears in the output after the previous step's match, then
types `send` ("\u0003" is Ctrl-C: the terminal turns it into SIGINT, as for a person).
Prints one JSON object: {"transcript": everything the terminal showed, "code": exit status
(-signal when killed), "steps": how many steps ran, "timed_out": bool}.
"""

import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time


def main():
    spec = json.loads(sys.argv[1])
    pid, fd = pty.fork()
    if pid != 0:
        # A terminal has a size (24 rows of 120 columns here); a fresh pseudo-terminal has
        # none, and programs that draw lines in place need one.
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    if pid == 0:
        os.chdir(spec.get("cwd", "."))
        os.execve(spec["argv"][0], spec["argv"], spec["env"])
    transcript = b""
    searched_from = 0
    steps = spec.get("steps", [])
    done = 0
    timed_out = False
    deadline = time.monotonic() + spec.get("timeout", 60)
    while True:
        if time.monotonic() > deadline:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                break
            transcript += data
        if done < len(steps):
            wanted = steps[done]["expect"].encode()
            found = transcript.find(wanted, searched_from)
            if found >= 0:
                searched_from = found + len(wanted)
                os.write(fd, steps[done]["send"].encode())
                done += 1
    _, status = os.waitpid(pid, 0)
    print(json.dumps({
        "transcript": transcript.decode("utf-8", "replace"),
        "code": os.waitstatus_to_exitcode(status),
        "steps": done,
        "timed_out": timed_out,
    }))


main()
