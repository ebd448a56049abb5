"""A small shell: the part of bash a learner uses around the network tools.

Lists (`;`, `&&`, `||`), background jobs (`&`), pipes into filters (`grep`,
`head`, `tail`, `wc`, and coreutils' `sort`, `uniq`, `cut`, `tr`), redirections
(`>`, `>>`, `2>`, `2>&1`, `&>`, `<`), quotes, pathname expansion (`*`, `?`,
`[...]` over /proc/sys and the scratch files), `#` comments and a `sudo` prefix;
bash's syntax errors word for word. `echo V > /proc/sys/...`
writes a sysctl the way bash opens and writes the file, with bash's errors.
Other files live in a scratch in-memory file system: the simulator never
writes to the host because of a redirection.

Two modes: `script` words errors as `bash -c` does ("bash: line 1: ...", what
the oracle records); interactive words them as an interactive bash does.

The parser (bash's parse.y) is parse.py, redirections (redir.c) redir.py, and running
lists, pipelines and commands (execute_cmd.c) execute.py; pathname expansion is
tools/glob.py and the pipe filters tools/filters.py.
"""
from __future__ import annotations

from .execute import NOT_SIMULATED, Job, Session, holds_output
from .parse import (AndOr, NotSimulatedSyntax, Pipeline, Redirect, ShellSyntaxError, Simple,
                    Word, parse, tokenize)

__all__ = ["NOT_SIMULATED", "Job", "Session", "holds_output", "AndOr", "NotSimulatedSyntax",
           "Pipeline", "Redirect", "ShellSyntaxError", "Simple", "Word", "parse", "tokenize"]
