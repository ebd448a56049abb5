"""Name resolution without DNS: glibc's `files` source, /etc/hosts in the scratch file system.

A lab that has an /etc/hosts (the default lab's names `example.com`, see
vethtui/labs/internet.py) puts it in `world.etc_files`; every shell session starts
with those files in its scratch file system, where `cat /etc/hosts` shows them and an
edit (`echo 10.0.0.2 box >> /etc/hosts`) changes what the tools resolve. There is
no resolver on the other side of /etc/resolv.conf, so a name /etc/hosts does not
know fails as it does on a host without DNS: ping says `ping: NAME: Temporary failure
in name resolution` (exit 2), curl `curl: (6) Could not resolve host: NAME`, nc
`nc: getaddrinfo for host "NAME" port N: Temporary failure in name resolution`.

Without an /etc/hosts (the `netns` lab the oracle records in) the names every
Debian host knows still resolve: localhost and the machine's own hostname (127.0.1.1).
"""
from __future__ import annotations

from typing import Optional

from ..kernel.inet import aton, ntoa

LOCALHOST = 0x7F000001
OWN_NAME = 0x7F000101        # Debian's 127.0.1.1 line for the hostname


def debian_hosts(hostname: str, extra: list[tuple[str, str]]) -> str:
    """/etc/hosts as Debian 12's installer writes it, with the lab's own lines after
    the host's (`extra`: address, names)."""
    lines = ["127.0.0.1\tlocalhost", f"127.0.1.1\t{hostname}"]
    lines += [f"{addr}\t{names}" for addr, names in extra]
    lines += ["", "# The following lines are desirable for IPv6 capable hosts",
              "::1     localhost ip6-localhost ip6-loopback",
              "ff02::1 ip6-allnodes", "ff02::2 ip6-allrouters"]
    return "\n".join(lines) + "\n"


def _hosts_text(session) -> Optional[str]:
    files = getattr(session, "files", None) or {}
    return files.get("/etc/hosts")


def _entries(text: str):
    """(address, [names]) of each IPv4 line, in file order (comments and IPv6 skipped)."""
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) < 2:
            continue
        try:
            addr = aton(parts[0])
        except ValueError:
            continue
        yield addr, parts[1:]


def gethostbyname(session, world, name: str) -> Optional[int]:
    """The IPv4 address of `name` from /etc/hosts (the first line that names it, as
    glibc's files backend reads it), or None. No /etc/hosts: localhost and the
    hostname only."""
    text = _hosts_text(session)
    if text is None:
        if name in ("localhost", "localhost.localdomain"):
            return LOCALHOST
        if world is not None and name == getattr(world, "hostname", None):
            return OWN_NAME
        return None
    for addr, names in _entries(text):
        if name in names:
            return addr
    return None


def gethostbyaddr(session, world, addr: int) -> Optional[str]:
    """The canonical name (first name on the first line) of `addr`, or None."""
    text = _hosts_text(session)
    if text is None:
        if addr == LOCALHOST:
            return "localhost"
        return None
    for a, names in _entries(text):
        if a == addr:
            return names[0]
    return None


def hosts_by_addr(session) -> Optional[dict]:
    """tcpdump's reverse lookups (ipaddr_string without -n): IPv4 address bytes -> the
    first name /etc/hosts gives it; None when there is no /etc/hosts."""
    text = _hosts_text(session)
    if text is None:
        return None
    names: dict = {}
    for addr, line_names in _entries(text):
        names.setdefault(addr.to_bytes(4, "big"), line_names[0])
    return names


def hosts_by_name(session) -> Optional[dict]:
    """pcap_nametoaddrinfo for a filter's `host NAME`: each name -> its addresses as text,
    IPv4 and IPv6, in /etc/hosts' order; None when there is no /etc/hosts."""
    import ipaddress
    text = _hosts_text(session)
    if text is None:
        return None
    names: dict = {}
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) < 2:
            continue
        try:
            addr = str(ipaddress.ip_address(parts[0]))
        except ValueError:
            continue
        for name in parts[1:]:
            names.setdefault(name, []).append(addr)
    return names


__all__ = ["hosts_by_name", "hosts_by_addr", "debian_hosts", "gethostbyname", "gethostbyaddr", "ntoa"]
