"""Run /work/shared/bench/lifetimes_reference.py (the peer) as it is, and print beside its
figure the CPU seconds of the same span (from the first fit to the end: its clock starts just
before it). When lifetimes' Gamma-Gamma raises ConvergenceError (it does on data whose tickets
hardly vary within a client, such as the shared 1M portfolio's), still print the time
lifetimes spent up to the failure: a lower bound of its fit + score time, with no ticket.
usage: python lifetimes_wrapper.py REFERENCE DIR AS_OF  (in the lifetimes venv)"""

import sys
import time
from pathlib import Path

import lifetimes
from lifetimes.utils import ConvergenceError

reference = Path(sys.argv[1])
sys.argv = [str(reference), *sys.argv[2:]]
scope = {"__name__": "__main__", "__file__": str(reference)}
started: list[float] = []
fit = lifetimes.BetaGeoFitter.fit


def clocked_fit(self, *args, **kwargs):
    started.append(time.process_time())
    return fit(self, *args, **kwargs)


lifetimes.BetaGeoFitter.fit = clocked_fit
try:
    exec(compile(reference.read_text(), str(reference), "exec"), scope)
except ConvergenceError:
    elapsed = time.perf_counter() - scope["t"]
    print(f"lifetimes {elapsed:.3f}s (Gamma-Gamma did not converge: no ticket; a lower bound)")
print(f"lifetimes CPU {time.process_time() - started[0]:.3f}s")
