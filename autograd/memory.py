"""Keep the memory of freed arrays in the process, so that a training loop does not page-fault.

Each training step frees its graph's arrays and then allocates the same sizes again.  glibc's
malloc gives freed memory at the top of its heap back to the system once more than
``M_TRIM_THRESHOLD`` is free there, and by default that threshold is only twice the largest
block freed so far.  A step that frees a few hundred kilobytes together (a weight gradient and
its update) hands them back and takes them again through page faults, every step: measured,
about 360 faults and 1.7x the time per step of a [784, 128, 10] MLP at batch 64 (1.2x at 256;
see benchmarks/README.md).  (Importing PyTorch happens to prevent it: its import frees blocks
big enough to raise the thresholds.)

:func:`keep_freed_memory` sets the thresholds once, as the environment variables
``MALLOC_MMAP_THRESHOLD_`` and ``MALLOC_TRIM_THRESHOLD_`` would: blocks under 32 MiB come from
the heap, and up to 64 MiB of freed memory stays with the process.  ``import autograd`` calls
it.  It does nothing with another C library, or if either variable, or a malloc threshold in
``GLIBC_TUNABLES``, is set (the user's choice stands).
"""

from __future__ import annotations

import ctypes
import os

# mallopt's parameter numbers, from glibc's <malloc.h>
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 2**20  # glibc's largest allowed value on 64-bit systems
TRIM_THRESHOLD = 64 * 2**20
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")


def _glibc() -> bool:
    try:
        return os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")
    except (ValueError, OSError, AttributeError):  # not a GNU system
        return False


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds; True if they were set (False elsewhere, or
    where the user set them).  ``import autograd`` has called it already; the values, in MiB:

    >>> from autograd.memory import MMAP_THRESHOLD, TRIM_THRESHOLD
    >>> MMAP_THRESHOLD // 2**20, TRIM_THRESHOLD // 2**20
    (32, 64)
    """
    tunables = os.environ.get("GLIBC_TUNABLES", "")
    if (not _glibc() or any(name in os.environ for name in _USER_SETTINGS)
            or "malloc.mmap_threshold" in tunables or "malloc.trim_threshold" in tunables):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
