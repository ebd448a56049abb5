"""Find a lab by name (built-in) or path (a TOML lab file) and build its world."""
from __future__ import annotations

from pathlib import Path

from ..kernel.world import World
from . import builtin


def world_for_lab(lab: str, seed: int = 0) -> World:
    if lab in builtin.BUILTIN_LABS:
        return builtin.build(lab, seed)
    path = Path(lab)
    if path.suffix == ".toml" or path.exists():
        from .files import load_lab_file, build_world
        spec = load_lab_file(path)
        return build_world(spec, seed)
    from .files import resolve_lab   # a lab file by name: `vethtui 02-arp-accept-local`
    found = resolve_lab(lab)
    if found is not None:
        from .files import build_world, load_lab_file
        return build_world(load_lab_file(found), seed)
    raise LabNotFound(f"vethtui: no such lab: {lab} (built-in labs: {', '.join(builtin.BUILTIN_LABS)})")


class LabNotFound(Exception):
    pass
