"""Keep a query worker off the network: the kernel refuses it any IPv4 or IPv6 socket.

pyoxigraph evaluates ``SERVICE`` by fetching the URL it names. :mod:`server.guard` refuses such
queries before they reach a worker; this is the second lock, so that a query the check missed
still cannot make the server fetch a URL or scan a port. A seccomp filter (Linux, no privileges
needed once ``no_new_privs`` is set) makes ``socket(AF_INET|AF_INET6, ...)`` fail with EACCES in
the worker and every thread it starts. Unix sockets and pipes (the worker's link to the web
process) still work. Elsewhere, or on an unknown architecture, nothing is changed and
:func:`block_network` says so.
"""
from __future__ import annotations

import ctypes
import errno
import platform
import socket
import struct

# (audit arch, socket syscall number) per machine
_ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000

# classic BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_RET_K = 0x06


def _program(arch: int, socket_nr: int) -> bytes:
    """The filter: on ``arch``, ``socket(AF_INET or AF_INET6, ...)`` -> EACCES, all else allowed."""
    def op(code: int, jt: int, jf: int, k: int) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)
    return b"".join((
        op(_LD_W_ABS, 0, 0, 4),                      # seccomp_data.arch
        op(_JEQ_K, 0, 5, arch),                      # another ABI: allow
        op(_LD_W_ABS, 0, 0, 0),                      # seccomp_data.nr
        op(_JEQ_K, 0, 3, socket_nr),                 # not socket(): allow
        op(_LD_W_ABS, 0, 0, 16),                     # args[0], the address family (low word)
        op(_JEQ_K, 2, 0, socket.AF_INET),
        op(_JEQ_K, 1, 0, socket.AF_INET6),
        op(_RET_K, 0, 0, _RET_ALLOW),
        op(_RET_K, 0, 0, _RET_ERRNO | errno.EACCES),
    ))


def block_network() -> bool:
    """Forbid this process (and threads it starts later) to open IPv4/IPv6 sockets.

    :return: True when the kernel applied the filter; False where it cannot (not Linux, unknown
        architecture, seccomp unavailable): then the SPARQL check is the only lock.
    """
    arch = _ARCHES.get(platform.machine())
    if platform.system() != "Linux" or arch is None:
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    code = _program(*arch)
    filters = ctypes.create_string_buffer(code, len(code))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(len(code) // 8, ctypes.addressof(filters))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0
