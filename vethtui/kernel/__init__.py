"""The simulated Linux network stack. Pure Python: no UI, no host access."""
