"""vethtui: learn Linux networking by typing real commands at a simulated kernel."""

__version__ = "0.1.0"
