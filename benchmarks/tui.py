from .tui_bench import measure  # noqa: F401  (python -m benchmarks finds it here)
