"""The coding frame: themes and codes with Dutch labels and definitions, read from a YAML file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import pandas as pd
import yaml

from loopbaanleren.errors import InputError
from loopbaanleren.resources import resource_path

DEFAULT_FRAME = "coding_frame.yaml"
_CODE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, eq=False)
class CodingFrame:
    """Themes and codes of a coding frame.

    ``codes`` is indexed by code id (frame order) with columns ``label_nl``, ``definition_nl``, ``theme`` and
    ``step`` (the position in an ordered theme, else missing); ``themes`` is indexed by theme id with columns
    ``label_nl``, ``definition_nl`` and ``ordered``.
    """

    codes: pd.DataFrame
    themes: pd.DataFrame
    source: str
    synthetic_model: dict
    path: Path

    def code_ids(self, theme: str | None = None) -> list[str]:
        """Code ids in frame order, optionally of one theme."""
        codes = self.codes if theme is None else self.codes[self.codes["theme"] == theme]
        return list(codes.index)

    def resolve(self, value: str) -> str | None:
        """The code id for a code id or Dutch label (case and surrounding space ignored); None if unknown."""
        return self._lookup.get(value.strip().casefold())

    def steps(self) -> pd.DataFrame:
        """The codes of the ordered themes, sorted by step."""
        ordered = self.themes.index[self.themes["ordered"]]
        return self.codes[self.codes["theme"].isin(ordered)].sort_values(["theme", "step"])

    @cached_property
    def _lookup(self) -> dict[str, str]:
        ids = {code.casefold(): code for code in self.codes.index}
        labels = {label.casefold(): code for code, label in self.codes["label_nl"].items()}
        return labels | ids


def load_coding_frame(path: str | Path | None = None) -> CodingFrame:
    """Read and check a coding frame; without ``path`` the compendium's own frame.

    Every problem (missing field, bad or duplicate id or label, steps not numbered 1..k) is one line of the
    ``InputError``.
    """
    return _load(Path(path) if path is not None else resource_path(DEFAULT_FRAME))


@cache
def _load(path: Path) -> CodingFrame:
    where = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: coding frame not found") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{where}: cannot read coding frame ({first_line})") from None
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list) or not data["themes"]:
        raise InputError(f"{where}: expected a mapping with a non-empty list 'themes'")

    problems: list[str] = []
    theme_rows, code_rows = [], []
    for t_pos, theme in enumerate(data["themes"], start=1):
        if not isinstance(theme, dict):
            problems.append(f"{where}: theme #{t_pos} is not a mapping")
            continue
        t_where = f"{where}, theme '{theme.get('id', f'#{t_pos}')}'"
        problems += _missing(theme, ("id", "label_nl", "definition_nl"), t_where)
        ordered = bool(theme.get("ordered", False))
        theme_rows.append(
            {"id": theme.get("id"), "label_nl": theme.get("label_nl"),
             "definition_nl": theme.get("definition_nl"), "ordered": ordered}
        )
        codes = theme.get("codes")
        if not isinstance(codes, list) or not codes:
            problems.append(f"{t_where}: 'codes' must be a non-empty list")
            continue
        for c_pos, code in enumerate(codes, start=1):
            if not isinstance(code, dict):
                problems.append(f"{t_where}: code #{c_pos} is not a mapping")
                continue
            c_where = f"{t_where}, code '{code.get('id', f'#{c_pos}')}'"
            problems += _missing(code, ("id", "label_nl", "definition_nl"), c_where)
            if code.get("id") and not _CODE_ID.match(str(code["id"])):
                problems.append(f"{c_where}: id must be ascii snake_case (a-z, 0-9, _)")
            code_rows.append(
                {"id": code.get("id"), "label_nl": code.get("label_nl"),
                 "definition_nl": code.get("definition_nl"), "theme": theme.get("id"),
                 "step": code.get("step") if ordered else None}
            )
        if ordered:
            steps = [code.get("step") for code in codes if isinstance(code, dict)]
            if sorted(s for s in steps if isinstance(s, int)) != list(range(1, len(steps) + 1)):
                problems.append(f"{t_where}: ordered theme needs steps numbered 1..{len(steps)}, got {steps}")

    themes = pd.DataFrame(theme_rows)
    codes = pd.DataFrame(code_rows)
    problems += _duplicates(themes["id"], f"{where}: duplicate theme id")
    problems += _duplicates(codes["id"], f"{where}: duplicate code id")
    problems += _duplicates(codes["label_nl"].dropna().astype(str).str.casefold(), f"{where}: duplicate code label")
    ids = {str(code).casefold(): code for code in codes["id"].dropna()}
    clashes = [
        f"'{label}' (label of '{code}')"
        for code, label in zip(codes["id"], codes["label_nl"], strict=True)
        if ids.get(str(label).casefold(), code) != code
    ]
    if clashes:
        problems.append(f"{where}: code label equals the id of another code: {', '.join(clashes)}")
    if problems:
        raise InputError("\n".join(problems))
    codes["step"] = codes["step"].astype("Int64")
    return CodingFrame(
        codes=codes.set_index("id"),
        themes=themes.set_index("id"),
        source=str(data.get("source", "")).strip(),
        synthetic_model=data.get("synthetic_model") or {},
        path=path,
    )


def _missing(entry: dict, keys: tuple[str, ...], where: str) -> list[str]:
    return [f"{where}: missing or empty '{key}'" for key in keys if not str(entry.get(key) or "").strip()]


def _duplicates(values: pd.Series, message: str) -> list[str]:
    dup = sorted(set(values.dropna()[values.dropna().duplicated()].astype(str)))
    return [f"{message}: {', '.join(dup)}"] if dup else []
