"""Labs: the built-in starting points and the TOML lab files (format in README)."""
