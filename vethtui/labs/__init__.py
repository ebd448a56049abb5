"""Labs: the built-in starting points and the TOML lab files (format in README).

Importing this package registers its loader with the engine (which sits below
the labs and does not import them): `make_engine("default")` and
`make_engine("labs/02-arp-accept-local.toml")` find their worlds through it.
"""
from ..engine import register_world_loader
from .loader import world_for_lab

register_world_loader(world_for_lab)
