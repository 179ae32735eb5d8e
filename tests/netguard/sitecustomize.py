"""Loaded by subprocesses the tests start (PYTHONPATH): any connection to a non-loopback address is
recorded in $NETGUARD_LOG and refused, so a test can assert that ingest and questions stay offline."""

import os
import socket

_LOG = os.environ.get("NETGUARD_LOG", "")
_ORIG_CONNECT = socket.socket.connect
_ORIG_CONNECT_EX = socket.socket.connect_ex
_ORIG_GETADDRINFO = socket.getaddrinfo
_LOCAL_NAMES = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}


def _is_local(address):
    if isinstance(address, (str, bytes)):  # unix socket
        return True
    host = str(address[0]) if address else ""
    return host in _LOCAL_NAMES or host.startswith("127.")


def _record(what):
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(what + "\n")


def _connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
        _record(f"connect {address!r}")
        raise OSError("netguard: network access is not allowed in tests")
    return _ORIG_CONNECT(self, address)


def _connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
        _record(f"connect_ex {address!r}")
        return 111
    return _ORIG_CONNECT_EX(self, address)


def _getaddrinfo(host, *args, **kwargs):
    if host is not None and str(host) not in _LOCAL_NAMES and not str(host).startswith("127."):
        name = host.decode() if isinstance(host, bytes) else str(host)
        _record(f"getaddrinfo {name}")
        raise socket.gaierror(f"netguard: name lookup of {name} is not allowed in tests")
    return _ORIG_GETADDRINFO(host, *args, **kwargs)


if _LOG:
    socket.socket.connect = _connect
    socket.socket.connect_ex = _connect_ex
    socket.getaddrinfo = _getaddrinfo
