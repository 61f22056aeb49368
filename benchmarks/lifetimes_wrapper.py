"""Run /work/shared/bench/lifetimes_reference.py (the peer) as it is, and when lifetimes'
Gamma-Gamma raises ConvergenceError (it does on data whose tickets hardly vary within a client,
such as the shared 1M portfolio's), still print the time lifetimes spent up to the failure:
a lower bound of its fit + score time, with no ticket produced.
usage: python lifetimes_wrapper.py REFERENCE DIR AS_OF  (in the lifetimes venv)"""

import sys
import time
from pathlib import Path

from lifetimes.utils import ConvergenceError

reference = Path(sys.argv[1])
sys.argv = [str(reference), *sys.argv[2:]]
scope = {"__name__": "__main__", "__file__": str(reference)}
try:
    exec(compile(reference.read_text(), str(reference), "exec"), scope)
except ConvergenceError:
    elapsed = time.perf_counter() - scope["t"]
    print(f"lifetimes {elapsed:.3f}s (Gamma-Gamma did not converge: no ticket; a lower bound)")
