"""Waiting on something another thread or process does: poll with a deadline, never a fixed sleep."""
import time


def wait_until(predicate, timeout: float = 10.0, what: str = "the condition", every: float = 0.02):
    """Call `predicate` until it returns something true and return that; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(every)
    return result
