"""The shell's parser (bash's parse.y): tokens, quote removal, and the grammar of the
lists a learner types (simple commands with redirections, pipelines, `&&`/`||` lists,
`;` and `&`), with bash's syntax errors word for word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional


class ShellSyntaxError(Exception):
    """What bash's parser says. `near` is the unexpected token (bash then echoes the line
    under `bash -c`), `eof` the end of input reached inside a list (reported on line 2: bash
    read on for the rest), else the message alone (an unmatched quote)."""

    def __init__(self, msg: str, near: Optional[str] = None, eof: bool = False):
        super().__init__(msg)
        self.near = near
        self.eof = eof

    @classmethod
    def token(cls, tok: str) -> "ShellSyntaxError":
        return cls(f"syntax error near unexpected token `{tok}'", near=tok)

    @classmethod
    def end_of_file(cls) -> "ShellSyntaxError":
        return cls("syntax error: unexpected end of file", eof=True)

    def lines(self, line: str, script: bool) -> str:
        """The error as `bash -c` (script) or an interactive bash prints it."""
        if not script:
            return f"bash: {self}\n"
        text = f"bash: -c: line {2 if self.eof else 1}: {self}\n"
        if self.near is not None:
            text += f"bash: -c: line 1: `{line}'\n"
        return text


class NotSimulatedSyntax(ShellSyntaxError):
    """Valid bash the small shell does not run (subshells, function definitions)."""

    def lines(self, line: str, script: bool) -> str:
        return f"vethtui: {self} not simulated\n"


@dataclass
class Redirect:
    fd: int          # 1 or 2 (or 3 for &> meaning both)
    target: str      # path, or "&1"/"&2"
    append: bool = False


@dataclass
class Simple:
    words: list[str]
    redirs: list[Redirect] = field(default_factory=list)
    text: str = ""


@dataclass
class Pipeline:
    cmds: list[Simple]


@dataclass
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]] = field(default_factory=list)
    background: bool = False
    text: str = ""


_TOKEN = re.compile(r"""\s*(?:(?P<op>&&|\|\||;;|&>>|&>|[0-9]?>>|[0-9]?>&[0-9]|[0-9]?>|<|;|&|\||\(|\))|(?P<word>(?:[^\s'"\\;&|<>()]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")+))""", re.S)


def tokenize(line: str) -> list[tuple[str, str]]:
    """Split a command line into ('op', x) and ('word', x) tokens, bash-style quoting."""
    toks: list[tuple[str, str]] = []
    pos = 0
    n = len(line)
    while pos < n:
        if line[pos].isspace():
            pos += 1
            continue
        if line[pos] == "#" and (pos == 0 or line[pos - 1].isspace()):
            break
        m = _TOKEN.match(line, pos)
        if not m or m.end() == pos:
            ch = line[pos]
            if ch in "'\"":
                raise ShellSyntaxError(f"unexpected EOF while looking for matching `{ch}'")
            raise ShellSyntaxError.token(ch)
        if m.group("op"):
            toks.append(("op", m.group("op")))
        else:
            toks.append(("word", _unquote(m.group("word"))))
        pos = m.end()
    return toks


class Word(str):
    """A word after quote removal. `pattern` is set when an unquoted `*`, `?` or `[` makes
    it a glob pattern: the word in fnmatch's syntax, its quoted characters escaped."""

    pattern: Optional[str] = None


_GLOB_ESCAPE = {"*": "[*]", "?": "[?]", "[": "[[]"}


def _unquote(word: str) -> Word:
    out = []
    pat = []       # the same text for fnmatch: quoted metacharacters escaped
    globbing = False
    i = 0
    while i < len(word):
        c = word[i]
        if c == "\\" and i + 1 < len(word):
            out.append(word[i + 1])
            pat.append(_GLOB_ESCAPE.get(word[i + 1], word[i + 1]))
            i += 2
        elif c == "'":
            j = word.index("'", i + 1)
            out.append(word[i + 1:j])
            pat.extend(_GLOB_ESCAPE.get(ch, ch) for ch in word[i + 1:j])
            i = j + 1
        elif c == '"':
            j = i + 1
            buf = []
            while word[j] != '"':
                if word[j] == "\\" and word[j + 1] in '"\\$`':
                    buf.append(word[j + 1])
                    j += 2
                else:
                    buf.append(word[j])
                    j += 1
            out.append("".join(buf))
            pat.extend(_GLOB_ESCAPE.get(ch, ch) for ch in buf)
            i = j + 1
        else:
            out.append(c)
            pat.append(c)
            globbing |= c in "*?["
            i += 1
    w = Word("".join(out))
    if globbing:
        w.pattern = "".join(pat)
    return w


_REDIR_OPS = (">", ">>", "1>", "1>>", "2>", "2>>", "&>", "&>>", "<")


class _Parser:
    """parse.y's grammar over the tokens, one token at a time: the simple command being
    read, the pipeline it ends, the and-or list that pipeline joins, and the lists done."""

    def __init__(self, toks: list[tuple[str, str]]):
        self.toks = toks
        self.i = 0
        self.lists: list[AndOr] = []
        self.simple = Simple([])
        self.pipe: list[Simple] = []
        self.andor: Optional[AndOr] = None
        self.pending_op: Optional[str] = None

    def parse(self) -> list[AndOr]:
        while self.i < len(self.toks):
            kind, val = self.toks[self.i]
            self.i += self.token(kind, val)
        return self.finish()

    def token(self, kind: str, val: str) -> int:
        """One token (a redirection takes its word too): how many were read."""
        if kind == "word":
            self.simple.words.append(val)
            return 1
        if val in _REDIR_OPS or re.fullmatch(r"[0-9]>>?", val):
            return self.redirection(val)
        if re.fullmatch(r"[0-9]?>&[0-9]", val):
            fd = int(val[0]) if val[0].isdigit() else 1
            self.simple.redirs.append(Redirect(fd, "&" + val[-1]))
            return 1
        if val == ")" or val == ";;":
            raise ShellSyntaxError.token(val)
        if val == "(":
            self.open_paren()
        if val == "|":
            s = self.finish_simple()
            if not s.words:
                raise ShellSyntaxError.token("|")
            self.pipe.append(s)
            return 1
        if val in ("&&", "||"):
            self.add_pipeline(self.finish_pipeline(val))
            self.pending_op = val
            return 1
        if val in (";", "&"):
            self.add_pipeline(self.finish_pipeline(val))
            self.andor.background = val == "&"
            self.lists.append(self.andor)
            self.andor = None
            self.pending_op = None
            return 1
        raise ShellSyntaxError.token(val)

    def redirection(self, val: str) -> int:
        toks, i = self.toks, self.i
        if i + 1 >= len(toks) or toks[i + 1][0] != "word":
            raise ShellSyntaxError.token(toks[i + 1][1] if i + 1 < len(toks) else "newline")
        target = toks[i + 1][1]
        fd = 3 if val.startswith("&") else (2 if val.startswith("2") else 1)
        if val == "<":
            fd = 0
        self.simple.redirs.append(Redirect(fd, target, val.endswith(">>")))
        return 2

    def open_paren(self) -> None:
        """`(`: a subshell, or a function definition after a name; neither is run."""
        toks, i = self.toks, self.i
        if not self.simple.words and not self.simple.redirs:
            raise NotSimulatedSyntax("subshells ( ... ) are")
        if len(self.simple.words) > 1 or self.simple.redirs:
            raise ShellSyntaxError.token("(")
        # `name (`: a function definition, which wants `)` next
        if i + 1 >= len(toks) or toks[i + 1][1] != ")":
            raise ShellSyntaxError.token(toks[i + 1][1] if i + 1 < len(toks) else "newline")
        raise NotSimulatedSyntax("function definitions are")

    def finish_simple(self) -> Simple:
        s = self.simple
        self.simple = Simple([])
        return s

    def finish_pipeline(self, tok: str) -> Pipeline:
        s = self.finish_simple()
        if not s.words and not s.redirs:
            raise ShellSyntaxError.token(tok)
        self.pipe.append(s)
        p = Pipeline(self.pipe)
        self.pipe = []
        return p

    def add_pipeline(self, p: Pipeline) -> None:
        if self.andor is None:
            self.andor = AndOr(p)
        else:
            self.andor.rest.append((self.pending_op, p))

    def finish(self) -> list[AndOr]:
        """The end of the line: the last list, or bash reading on for the rest of one."""
        if self.pipe and not self.simple.words and not self.simple.redirs:
            raise ShellSyntaxError.end_of_file()          # `a |`: bash reads on for the rest
        if self.simple.words or self.simple.redirs or self.pipe:
            self.add_pipeline(self.finish_pipeline("newline"))
        elif self.andor is not None:
            raise ShellSyntaxError.end_of_file()
        if self.andor is not None:
            self.lists.append(self.andor)
        return self.lists


def parse(line: str) -> list[AndOr]:
    return _Parser(tokenize(line)).parse()
