"""Real worker processes for the kill -9 tests: the project root they run in, and a crash."""
import os
import signal
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def children(pid: int) -> list[int]:
    """Processes whose parent is pid (RQ's work horse runs the job in a forked child)."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def kill_9(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its work horse (which RQ puts in a process group of its own), as a crash would."""
    horses = children(worker.pid)
    worker.kill()
    for pid in horses:
        os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=10)
