"""The lab file format as pydantic models (a lab file is TOML; see /work/notes/lab-format.md).

Every model forbids unknown fields, so a typo is an error that names the field.
Texts are either a plain string (every language) or a table of languages:
`title = {en = "A veth pair", zh = "一对 veth"}`.

Checks are tables told apart by the one key that says what they look at:
`link`, `address`, `route`, `neighbour`, `sysctl` (the kernel's state now),
`packet`, `command` (what happened since the step began), and `all`, `any`,
`not` to combine them. They are read by vethtui.labs.checks.
"""
from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, PrivateAttr,
                      Tag, field_validator, model_validator)

LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
NETNS_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
MAC_RE = re.compile(r"^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")
SYSCTL_RE = re.compile(r"^net(\.[A-Za-z0-9_-]+)+$")

PROFILES = ("netns", "debian", "ubuntu", "centos")
NUD_STATES = ("INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP",
              "PERMANENT", "NONE")
LINK_FLAGS = ("UP", "LOWER_UP", "NO-CARRIER", "BROADCAST", "MULTICAST", "LOOPBACK", "NOARP",
              "PROMISC", "ALLMULTI", "MASTER", "SLAVE", "POINTOPOINT", "DORMANT", "M-DOWN")
OPERSTATES = ("UP", "DOWN", "UNKNOWN", "LOWERLAYERDOWN")
DIRECTIONS = ("in", "out", "In", "Out", "B", "M", "P")


class Strict(BaseModel):
    # TOML has real types: no "yes" for true, no "3" for 3
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# ---------------------------------------------------------------- texts

Text = Union[str, dict[str, str]]


def text_in(text: Optional[Text], lang: str) -> str:
    """The text in `lang`, else English, else the first language given."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if lang in text:
        return text[lang]
    if "en" in text:
        return text["en"]
    return next(iter(text.values()), "")


def _check_text(value: Any) -> Any:
    if value is None:
        return value
    if not isinstance(value, (str, dict)) or (isinstance(value, dict) and not all(
            isinstance(v, str) for v in value.values())):
        raise ValueError(f"should be a string or a table of languages like "
                         f"{{en = \"...\", zh = \"...\"}} (got {_show(value)})")
    if isinstance(value, dict):
        if not value:
            raise ValueError("a text table needs at least one language, like {en = \"...\"}")
        for k in value:
            if not LANG_RE.match(k):
                raise ValueError(f"'{k}' is not a language code (like en, zh)")
    return value


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return str(value)


TextField = Annotated[Text, BeforeValidator(_check_text), Field(description="A string, or a table of languages: "
                                              "{en = \"...\", zh = \"...\"}")]


# ---------------------------------------------------------------- small value types

def _ifname(v: str) -> str:
    if not v or len(v) >= 16 or v in (".", "..") or any(c in "/:" or c.isspace() for c in v):
        raise ValueError(f"'{v}' is not a valid interface name (1-15 characters, no '/', ':' "
                         "or spaces)")
    return v


def _netns(v: Optional[str]) -> Optional[str]:
    if v is None:
        return v
    if not NETNS_RE.match(v):
        raise ValueError(f"'{v}' is not a valid namespace name")
    return v


def _ipv4(v: str) -> str:
    try:
        ipaddress.IPv4Address(v)
    except ValueError:
        raise ValueError(f"'{v}' is not an IPv4 address (like 192.168.2.11)") from None
    return v


def _prefix(v: str, what: str = "IPv4 address with a prefix length") -> str:
    addr, sep, plen = v.partition("/")
    try:
        ipaddress.IPv4Address(addr)
        ok = bool(sep) and plen.isdigit() and 0 <= int(plen) <= 32
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"'{v}' is not an {what} (like 192.168.2.11/24)")
    return v


def _route_dst(v: str) -> str:
    if v == "default":
        return v
    addr, sep, plen = v.partition("/")
    try:
        net = ipaddress.IPv4Network(v if sep else addr + "/32", strict=True)
    except ValueError as err:
        if "host bits" in str(err):
            raise ValueError(f"'{v}' has host bits set (the network is "
                             f"{ipaddress.IPv4Network(v, strict=False)})") from None
        raise ValueError(f"'{v}' is not a route destination (like 192.168.2.0/24 or "
                         "default)") from None
    return v if sep else f"{net.network_address}/32"


NetnsName = Optional[str]


# ---------------------------------------------------------------- metadata

class LabMeta(Strict):
    """[lab]: what the lab is called and who wrote it."""

    title: TextField
    summary: TextField = ""
    id: Optional[str] = Field(None, description="A short name; defaults to the file name "
                                                "without .toml")
    authors: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=lambda: ["en"],
                                 description="Languages every text must be given in")
    format: Literal[1] = 1

    @field_validator("languages")
    @classmethod
    def _langs(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("name at least one language, like [\"en\"]")
        for k in v:
            if not LANG_RE.match(k):
                raise ValueError(f"'{k}' is not a language code (like en, zh)")
        return v

    @field_validator("id")
    @classmethod
    def _id(cls, v: Optional[str]) -> Optional[str]:
        if v is not None and not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", v):
            raise ValueError(f"'{v}' is not a valid lab id (letters, digits, '-', '_', '.')")
        return v


# ---------------------------------------------------------------- the starting state

class LinkSpec(Strict):
    """[[setup.links]]: a device to create (type = veth/bridge) or to set (lo)."""

    name: str
    type: Optional[Literal["veth", "bridge"]] = Field(
        None, description="veth or bridge; leave out to configure an existing device (lo)")
    netns: NetnsName = Field(None, description="The namespace it ends up in (default: the "
                                               "lab's own, where the console runs)")
    peer: Optional[str] = Field(None, description="veth: the other end's name")
    peer_netns: NetnsName = None
    up: bool = False
    peer_up: bool = False
    master: Optional[str] = Field(None, description="A bridge to attach the device to")
    peer_master: Optional[str] = None
    mtu: Optional[int] = Field(None, ge=68, le=65535)
    mac: Optional[str] = None
    peer_mac: Optional[str] = None

    _names = field_validator("name", "peer", "master", "peer_master")(
        lambda v: v if v is None else _ifname(v))
    _ns = field_validator("netns", "peer_netns")(lambda v: _netns(v))

    @field_validator("mac", "peer_mac")
    @classmethod
    def _mac(cls, v: Optional[str]) -> Optional[str]:
        if v is not None and (not MAC_RE.match(v) or int(v[:2], 16) & 1):
            raise ValueError(f"'{v}' is not a unicast MAC address (like 02:00:00:00:00:01)")
        return v

    @model_validator(mode="after")
    def _shape(self) -> "LinkSpec":
        if self.type == "veth" and self.peer is None:
            raise ValueError("a veth link needs `peer`, the other end's name")
        if self.type != "veth":
            extra = [k for k in ("peer", "peer_netns", "peer_mac", "peer_master")
                     if getattr(self, k) is not None] + (["peer_up"] if self.peer_up else [])
            if extra:
                raise ValueError(f"`{extra[0]}` is only for type = \"veth\"")
        return self


class AddressSpec(Strict):
    """[[setup.addresses]]: `ip addr add ADDRESS dev DEV`."""

    dev: str
    address: str = Field(description="IPv4 address with prefix length, like 192.168.2.11/24")
    netns: NetnsName = None
    broadcast: bool = Field(False, description="Also set the broadcast address (brd +)")

    _dev = field_validator("dev")(lambda v: _ifname(v))
    _addr = field_validator("address")(lambda v: _prefix(v))
    _ns = field_validator("netns")(lambda v: _netns(v))


class RouteSpec(Strict):
    """[[setup.routes]]: `ip route add DST [via GW] [dev DEV] [src SRC] [metric N]`."""

    dst: str = Field(description="A prefix like 10.1.1.0/24, or default")
    via: Optional[str] = None
    dev: Optional[str] = None
    src: Optional[str] = None
    metric: Optional[int] = Field(None, ge=0)
    table: Optional[Union[int, Literal["main", "local", "default"]]] = None
    netns: NetnsName = None

    _dst = field_validator("dst")(lambda v: _route_dst(v))
    _gw = field_validator("via", "src")(lambda v: v if v is None else _ipv4(v))
    _dev = field_validator("dev")(lambda v: v if v is None else _ifname(v))
    _ns = field_validator("netns")(lambda v: _netns(v))

    @model_validator(mode="after")
    def _shape(self) -> "RouteSpec":
        if self.via is None and self.dev is None:
            raise ValueError("a route needs `via` or `dev` (or both)")
        return self


def _sysctl_name(v: str) -> str:
    """`net/ipv4/...` or `net.ipv4...`, normalised to dots, and only network sysctls."""
    v = v.replace("/", ".")
    if not SYSCTL_RE.match(v):
        raise ValueError(f"'{v}' is not a network sysctl (like net.ipv4.conf.all.rp_filter)")
    return v


class SysctlSpec(Strict):
    """[[setup.sysctls]]: `sysctl -w NAME=VALUE`."""

    name: str
    value: Union[int, str]
    netns: NetnsName = None

    _ns = field_validator("netns")(lambda v: _netns(v))

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return _sysctl_name(v)


class Setup(Strict):
    """[setup]: the starting state. Turned into ip/sysctl commands and run in the simulator."""

    profile: Literal["netns", "debian", "ubuntu", "centos"] = Field(
        "netns", description="Sysctl defaults of the lab's namespace: a fresh network "
                             "namespace (netns), or a distribution's (debian, ubuntu, centos)")
    namespaces: list[str] = Field(default_factory=list, description="`ip netns add` each")
    sysctls: list[SysctlSpec] = Field(default_factory=list)
    links: list[LinkSpec] = Field(default_factory=list)
    addresses: list[AddressSpec] = Field(default_factory=list)
    routes: list[RouteSpec] = Field(default_factory=list)

    @field_validator("namespaces")
    @classmethod
    def _nss(cls, v: list[str]) -> list[str]:
        seen = set()
        for n in v:
            _netns(n)
            if n == "host":
                raise ValueError("'host' is the lab's own namespace; it always exists")
            if n in seen:
                raise ValueError(f"namespace '{n}' is listed twice")
            seen.add(n)
        return v


# ---------------------------------------------------------------- checks

class _CheckBase(Strict):
    says: Optional[TextField] = Field(None, description="Plain words for this check, shown "
                                                        "instead of the generated ones")


class LinkCheck(_CheckBase):
    """A device: exists (or not), is up, has flags, is a port of a bridge."""

    link: str
    netns: NetnsName = None
    exists: bool = True
    up: Optional[bool] = Field(None, description="Administratively up (the UP flag)")
    flags: list[str] = Field(default_factory=list, description="Flags `ip link` shows, all "
                                                               "required: UP, LOWER_UP, "
                                                               "NO-CARRIER, ...")
    operstate: Optional[Literal["UP", "DOWN", "UNKNOWN", "LOWERLAYERDOWN"]] = None
    type: Optional[Literal["veth", "bridge", "loopback", "ether"]] = None
    master: Optional[str] = Field(None, description="The bridge it is a port of; \"\" for none")
    peer: Optional[str] = Field(None, description="veth: the other end's name")
    mtu: Optional[int] = None

    _n = field_validator("link")(lambda v: _ifname(v))
    _ns = field_validator("netns")(lambda v: _netns(v))

    @field_validator("flags")
    @classmethod
    def _flags(cls, v: list[str]) -> list[str]:
        for f in v:
            if f not in LINK_FLAGS:
                raise ValueError(f"unknown link flag '{f}' (known: {', '.join(LINK_FLAGS)})")
        return v


class AddressCheck(_CheckBase):
    """An IPv4 address is (or is not) configured."""

    address: str = Field(description="192.168.2.11/24, or 192.168.2.11 for any prefix length")
    dev: Optional[str] = None
    netns: NetnsName = None
    present: bool = True

    _d = field_validator("dev")(lambda v: v if v is None else _ifname(v))
    _ns = field_validator("netns")(lambda v: _netns(v))

    @field_validator("address")
    @classmethod
    def _addr(cls, v: str) -> str:
        return _prefix(v) if "/" in v else _ipv4(v)


class RouteCheck(_CheckBase):
    """A route is (or is not) in a table."""

    route: str = Field(description="A prefix like 192.168.2.0/24, a host address, or default")
    dev: Optional[str] = None
    via: Optional[str] = None
    type: Optional[Literal["unicast", "local", "broadcast", "blackhole", "unreachable",
                           "prohibit"]] = None
    table: Union[int, Literal["main", "local", "default"]] = "main"
    netns: NetnsName = None
    present: bool = True

    _dst = field_validator("route")(lambda v: _route_dst(v))
    _gw = field_validator("via")(lambda v: v if v is None else _ipv4(v))
    _d = field_validator("dev")(lambda v: v if v is None else _ifname(v))
    _ns = field_validator("netns")(lambda v: _netns(v))


class NeighbourCheck(_CheckBase):
    """A neighbour (ARP) entry in a state."""

    neighbour: str
    dev: Optional[str] = None
    state: Union[str, list[str], None] = Field(None, description="REACHABLE, STALE, FAILED, "
                                                                 "... or a list of them")
    netns: NetnsName = None
    present: bool = True

    _a = field_validator("neighbour")(lambda v: _ipv4(v))
    _d = field_validator("dev")(lambda v: v if v is None else _ifname(v))
    _ns = field_validator("netns")(lambda v: _netns(v))

    @field_validator("state")
    @classmethod
    def _state(cls, v):
        for s in ([v] if isinstance(v, str) else v or []):
            if s not in NUD_STATES:
                raise ValueError(f"unknown neighbour state '{s}' (known: "
                                 f"{', '.join(NUD_STATES)})")
        return v


class SysctlCheck(_CheckBase):
    """A sysctl has a value (or one of several)."""

    sysctl: str
    value: Union[int, str, list[Union[int, str]]]
    effective: bool = Field(False, description="For net.ipv4.conf.DEV.KEY: the value the "
                                               "kernel uses, combining `all` and DEV as it "
                                               "does (max for rp_filter, or for accept_local)")
    netns: NetnsName = None

    _ns = field_validator("netns")(lambda v: _netns(v))

    @field_validator("sysctl")
    @classmethod
    def _name(cls, v: str) -> str:
        return _sysctl_name(v)

    @model_validator(mode="after")
    def _eff(self) -> "SysctlCheck":
        if self.effective:
            parts = self.sysctl.split(".")
            if len(parts) != 5 or parts[:3] != ["net", "ipv4", "conf"] or \
                    parts[3] in ("all", "default"):
                raise ValueError("`effective` needs a per-device name, like "
                                 "net.ipv4.conf.veth0.rp_filter")
        return self


class PacketCheck(_CheckBase):
    """A packet was captured since the step began (on an interface, in a direction)."""

    packet: str = Field(description="Text the tcpdump -n line contains, like \"ARP, Reply\" "
                                    "(\"\" for any packet)")
    match: Literal["contains", "regex"] = "contains"
    filter: Optional[str] = Field(None, description="A tcpdump filter expression, like "
                                                    "\"icmp and src host 10.1.1.2\"")
    iface: str = Field("any", description="An interface name, or any")
    direction: Optional[Literal["in", "out", "In", "Out", "B", "M", "P"]] = Field(
        None, description="in (received: In, B, M or P), out, or tcpdump's own letter")
    netns: NetnsName = None
    count: int = Field(1, ge=1, description="At least this many")

    _ns = field_validator("netns")(lambda v: _netns(v))

    @field_validator("iface")
    @classmethod
    def _iface(cls, v: str) -> str:
        return v if v == "any" else _ifname(v)

    @model_validator(mode="after")
    def _compile(self) -> "PacketCheck":
        if self.match == "regex":
            try:
                re.compile(self.packet)
            except re.error as err:
                raise ValueError(f"bad regular expression in `packet`: {err}") from None
        if self.filter is not None:
            from ..tools.tcpdump.filter import FilterError, compile_expr
            try:
                compile_expr(self.filter.split())
            except FilterError as err:
                raise ValueError(f"bad tcpdump filter \"{self.filter}\": {err}") from None
        return self


class CommandCheck(_CheckBase):
    """A command was run since the step began (its words, exit status, output)."""

    command: str = Field(description="The program and words it must contain, in any order: "
                                     "\"ping -I veth0 192.168.2.12\"")
    netns: NetnsName = Field(None, description="Where it ran (ip netns exec NS / ip -n NS "
                                               "count as NS)")
    status: Union[int, Literal["nonzero"], None] = None
    output: Optional[str] = Field(None, description="A regular expression the output "
                                                    "(stdout and stderr) must match")

    _ns = field_validator("netns")(lambda v: _netns(v))

    @field_validator("command")
    @classmethod
    def _cmd(cls, v: str) -> str:
        if not v.split():
            raise ValueError("`command` needs at least the program's name")
        return v

    @field_validator("output")
    @classmethod
    def _out(cls, v: Optional[str]) -> Optional[str]:
        if v is not None:
            try:
                re.compile(v)
            except re.error as err:
                raise ValueError(f"bad regular expression in `output`: {err}") from None
        return v


class AllCheck(_CheckBase):
    all: list["Check"] = Field(min_length=1)


class AnyCheck(_CheckBase):
    any: list["Check"] = Field(min_length=1)


class NotCheck(_CheckBase):
    not_: "Check" = Field(alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)


# The key that tells a check's kind, and the tag pydantic puts in error locations
# (a tag has a space, so it can never be confused with a field name).
CHECK_KINDS: dict[str, type[BaseModel]] = {
    "link": LinkCheck, "address": AddressCheck, "route": RouteCheck,
    "neighbour": NeighbourCheck, "sysctl": SysctlCheck, "packet": PacketCheck,
    "command": CommandCheck, "all": AllCheck, "any": AnyCheck, "not": NotCheck,
}
TAG_SUFFIX = " check"


def _check_kind(value: Any) -> Optional[str]:
    if isinstance(value, dict):
        for key in CHECK_KINDS:
            if key in value:
                return key + TAG_SUFFIX
        return None
    if isinstance(value, BaseModel):
        for key, cls in CHECK_KINDS.items():
            if isinstance(value, cls):
                return key + TAG_SUFFIX
    return None


Check = Annotated[
    Union[tuple(Annotated[cls, Tag(key + TAG_SUFFIX)] for key, cls in CHECK_KINDS.items())],
    Discriminator(_check_kind, custom_error_type="check_kind",
                  custom_error_message="a check needs one of the keys: "
                                       + ", ".join(CHECK_KINDS),
                  custom_error_context={}),
]

AllCheck.model_rebuild()
AnyCheck.model_rebuild()
NotCheck.model_rebuild()


# ---------------------------------------------------------------- steps and the lab

class Step(Strict):
    """[[steps]]: one thing to do, with hints, a reference solution and checks."""

    title: TextField
    text: TextField = Field("", description="Markdown: what to do and why")
    hints: list[TextField] = Field(default_factory=list, description="Revealed one at a time")
    solution: list[str] = Field(default_factory=list, description="Commands that do the step, "
                                                                  "as typed in the console")
    checks: list[Check] = Field(min_length=1)
    success: Optional[TextField] = Field(None, description="Markdown shown once the step is "
                                                           "done: what just happened")

    @field_validator("solution")
    @classmethod
    def _solution(cls, v: list[str]) -> list[str]:
        from ..tools.shell import ShellSyntaxError, parse
        for i, line in enumerate(v):
            try:
                parse(line)
            except ShellSyntaxError as err:
                raise ValueError(f"command {i + 1} (\"{line}\"): {err}") from None
        return v


class LabSpec(Strict):
    """A whole lab file."""

    lab: LabMeta
    setup: Setup = Field(default_factory=Setup)
    steps: list[Step] = Field(min_length=1)

    _source: Optional[str] = PrivateAttr(None)   # the file it came from (set by the loader)

    @property
    def source(self) -> Optional[str]:
        return self._source

    @property
    def id(self) -> str:
        if self.lab.id:
            return self.lab.id
        if self.source:
            from pathlib import Path
            return Path(self.source).stem
        return "lab"

    def title(self, lang: str = "en") -> str:
        return text_in(self.lab.title, lang)


def json_schema() -> dict:
    schema = LabSpec.model_json_schema(by_alias=True)
    schema["title"] = "vethtui lab file"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
