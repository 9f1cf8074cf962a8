"""The command line's environment commands in-process (``eval``, ``train``, ``run``,
``bench``, ``scenarios``): the same answers as ``ztgym <command> --env ENV ... --json``, with
the files a command would write returned as text instead (nothing is written)."""

from __future__ import annotations

import json
from typing import Any

from . import _native


def words_of(options: dict[str, Any]) -> list[str]:
    """Keyword options as command-line words: ``episodes=10`` -> ``--episodes 10``,
    ``curriculum=True`` -> ``--curriculum``, ``set=["lr=0.1", ...]`` -> one ``--set`` each;
    underscores become dashes."""
    words: list[str] = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            words.append(flag)
        elif isinstance(value, (list, tuple)):
            for item in value:
                words += [flag, str(item)]
        else:
            words += [flag, str(value)]
    return words


def command(env: str, name: str, **options: Any) -> dict:
    """Runs command ``name`` of environment ``env``: ``{"result": <its JSON answer>,
    "files": {path: text}}``. ``ValueError`` names a bad option or value.

    ``ztgym.commands.command("sre", "train", agent="q-lagrangian", episodes=300, seed=1,
    out="policy.json")["files"]["policy.json"]`` is the trained policy file's text."""
    text, writes = _native.command(env, name, words_of(options))
    return {"result": json.loads(text), "files": dict(writes)}
