"""Pictures of label profiles: a reports × labels heatmap and a stacked bar per report.

Chinese text needs a font with Chinese glyphs, which matplotlib does not bring. The first
installed one found is used, in this order: Noto Sans CJK SC, Noto Sans SC, Source Han Sans
SC/CN, WenQuanYi Micro Hei, WenQuanYi Zen Hei, SimHei, Microsoft YaHei, PingFang SC, Heiti
SC, STHeiti, Noto Serif CJK SC, Droid Sans Fallback, AR PL UMing CN; then any other
installed font file whose name suggests Chinese and that has the glyphs needed. A font is
used only after checking it has every glyph of the text drawn. Without one, labels are drawn
by their English names and report names by their ids (``lang="en"``): never as empty boxes.
On Debian or Ubuntu, ``apt-get install fonts-noto-cjk`` (or ``fonts-wqy-microhei``) adds one.

matplotlib is imported when a function runs (``pip install "fazhi-nlp[plot]"``).
:func:`plot_profile` draws on a pyplot figure, so that Jupyter and ``plt.show()`` display
it; :func:`save_profile` only writes a file, on a figure that no backend or pyplot state
is involved in (for scripts and the command line).

Examples
--------
>>> import pandas as pd
>>> units = pd.DataFrame({"doc_id": ["a", "a", "b"], "kind": "sentence",
...                       "label": ["publicity", "general", "disputes"]})
>>> ax = plot_profile(units, kind="bars", lang="en")
>>> [t.get_text() for t in ax.get_yticklabels()]
['a', 'b']
"""
from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from .errors import InputError, MissingDependencyError
from .labels import LABELS, LABEL_NAMES

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

__all__ = ["CJK_FAMILIES", "cjk_font", "plot_profile", "save_profile"]

#: Font families tried first for Chinese text, in order of preference.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
                "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei",
                "PingFang SC", "Heiti SC", "STHeiti", "Noto Serif CJK SC",
                "Droid Sans Fallback", "AR PL UMing CN")
_CJK_FILE = re.compile(r"cjk|wqy|wenquanyi|sourcehan|simhei|simsun|msyh|yahei|pingfang|heiti|"
                       r"droidsansfallback|uming|ukai|notosanssc|notoserifsc", re.IGNORECASE)
#: Characters a Chinese font must have: every label's Chinese name, and common report words.
_SAMPLE = "".join(sorted(set("".join(label.zh for label in LABELS) + "法治政府建设年度报告局市区县省")))
_KINDS = ("heatmap", "bars")
_MAX_ROWS = 200


def _missing_matplotlib() -> MissingDependencyError:
    return MissingDependencyError('plotting needs matplotlib: pip install "fazhi-nlp[plot]"')


@lru_cache(maxsize=64)
def _has_glyphs(path: str, text: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(c)) for c in text if not c.isspace())


@lru_cache(maxsize=1)
def cjk_font() -> Optional[str]:
    """Path of an installed font that draws Chinese, or None (see the module notes).

    Examples
    --------
    >>> path = cjk_font()
    >>> path is None or path.endswith((".ttf", ".ttc", ".otf"))
    True
    """
    try:
        from matplotlib import font_manager
    except ImportError:
        raise _missing_matplotlib() from None
    known = {entry.name: entry.fname for entry in font_manager.fontManager.ttflist}
    candidates = [known[name] for name in CJK_FAMILIES if name in known]
    # Fonts installed after matplotlib built its font cache are found by file name.
    candidates += sorted(p for p in font_manager.findSystemFonts()
                         if _CJK_FILE.search(Path(p).name))
    return next((str(p) for p in dict.fromkeys(candidates) if _has_glyphs(str(p), _SAMPLE)), None)


def _default_font() -> str:
    from matplotlib import font_manager

    return font_manager.findfont(font_manager.FontProperties())


def _table(data: Any) -> tuple["pd.DataFrame", list[str], list[str]]:
    """The shares table to draw, its row names in Chinese-capable and plain form."""
    import pandas as pd

    from .profiles import Profile, profile

    if hasattr(data, "columns") and "label" in data.columns and "doc_id" in data.columns:
        data = profile(data)
    if isinstance(data, Profile):
        table = data.shares
        meta = data.reports
        plain = [str(i) for i in table.index]
        rich = []
        for doc_id in table.index:
            parts = [meta[c].get(doc_id) if c in meta else None for c in ("agency", "year")]
            name = " ".join(f"{v:.0f}" if isinstance(v, float) else str(v)
                            for v in parts if not pd.isna(v))
            rich.append(name or str(doc_id))
        return table, rich, plain
    if hasattr(data, "columns") and hasattr(data, "index"):
        rows = [" · ".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in data.index]
        return data, rows, rows
    raise InputError(f"plot_profile takes a Profile, a units DataFrame (with doc_id and label) "
                     f"or a table of shares (rows × labels); got {type(data).__name__}")


def plot_profile(data: Any, kind: str = "heatmap", *, ax: Any = None,
                 path: Union[str, os.PathLike, None] = None, lang: str = "auto",
                 title: Optional[str] = None) -> Any:
    """Draw label shares: a heatmap (rows × labels) or one stacked bar per row.

    Parameters
    ----------
    data : Profile, units DataFrame, or a shares table
        A :class:`~fazhi_nlp.corpus.Profile` draws its per-report ``shares`` with rows named
        by agency and year; a units DataFrame is profiled first; any table with label
        columns (``profile.by_agency``, ``profile.by_year``, ``profile.by_section``) is drawn
        as it is.
    kind : {"heatmap", "bars"}
    ax : matplotlib Axes, optional
        Draw here; by default a new pyplot figure sized to the table (pyplot's backend
        shows it: inline in Jupyter, in a window with ``plt.show()``).
    path : str or Path, optional
        Also save the figure there (PNG, SVG or PDF by the file ending), at 150 dpi.
    lang : {"auto", "zh", "en"}
        Chinese or English label names; "auto" uses Chinese when a font for it is
        installed (:func:`cjk_font`), "zh" raises if there is none.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    drawing = _Drawing.of(data, kind, lang)
    if ax is None:
        plt = _import("matplotlib.pyplot")
        _, ax = plt.subplots(figsize=drawing.size, layout="constrained")
    drawing.draw(ax, title)
    if path is not None:
        ax.figure.savefig(path, dpi=150, bbox_inches="tight")
    return ax


def save_profile(data: Any, path: Union[str, os.PathLike], kind: str = "heatmap", *,
                 lang: str = "auto", title: Optional[str] = None) -> Path:
    """Draw label shares as :func:`plot_profile` does and write them to ``path`` only.

    The figure is not a pyplot figure: no backend is chosen, nothing is displayed and
    nothing stays open, so it suits scripts and servers. Returns ``path``.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> units = pd.DataFrame({"doc_id": ["a", "b"], "label": ["publicity", "disputes"]})
    >>> out = save_profile(units, pathlib.Path(tempfile.mkdtemp()) / "shares.png", lang="en")
    >>> out.read_bytes()[:4] == b"\\x89PNG"
    True
    """
    drawing = _Drawing.of(data, kind, lang)
    figure = _import("matplotlib.figure").Figure(figsize=drawing.size, layout="constrained")
    drawing.draw(figure.subplots(), title)
    figure.savefig(path, dpi=150, bbox_inches="tight")
    return Path(path)


def _import(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise _missing_matplotlib() from None


@dataclass(frozen=True)
class _Drawing:
    """A table ready to draw: values, row and column names, the font and the kind of plot."""

    values: Any
    rows: list[str]
    columns: list[str]
    names: Any
    props: Any
    kind: str

    @classmethod
    def of(cls, data: Any, kind: str, lang: str) -> "_Drawing":
        if kind not in _KINDS:
            raise InputError(f"kind must be one of {list(_KINDS)}, got {kind!r}")
        if lang not in ("auto", "zh", "en"):
            raise InputError(f"lang must be 'auto', 'zh' or 'en', got {lang!r}")
        FontProperties = _import("matplotlib.font_manager").FontProperties
        table, rich_rows, plain_rows = _table(data)
        if table.empty:
            raise InputError("nothing to plot: the table has no rows (were any units labelled?)")
        if len(table) > _MAX_ROWS:
            raise InputError(f"{len(table)} rows are too many to draw legibly (at most "
                             f"{_MAX_ROWS}); plot a subset (e.g. profile.shares.head(50)) or a "
                             "comparison table (profile.by_agency, profile.by_year)")
        font = cjk_font() if lang != "en" else None
        if lang == "zh" and font is None:
            raise MissingDependencyError("no installed font draws Chinese; install one (e.g. "
                                         "apt-get install fonts-noto-cjk) or use lang='en'")
        if font:
            zh = {label.name: label.zh for label in LABELS}
            columns = [zh.get(str(c), str(c)) for c in table.columns]
            rows = rich_rows
            props = FontProperties(fname=font)
        else:
            columns = [str(c) for c in table.columns]
            default = _default_font()
            rows = [rich if _has_glyphs(default, rich) else
                    plain if _has_glyphs(default, plain) else f"#{i + 1}"
                    for i, (rich, plain) in enumerate(zip(rich_rows, plain_rows))]
            props = FontProperties()
        return cls(table.to_numpy(dtype=float), rows, columns, table.columns, props, kind)

    @property
    def size(self) -> tuple[float, float]:
        """Figure size in inches: wide enough for the labels, tall enough for the rows."""
        return (11 if self.kind == "heatmap" else 9), max(2.5, 0.4 * len(self.rows) + 1.8)

    def draw(self, ax: Any, title: Optional[str]) -> None:
        if self.kind == "heatmap":
            _heatmap(ax, self.values, self.rows, self.columns, self.props)
        else:
            _bars(ax, self.values, self.rows, self.columns, self.names, self.props)
        ax.set_title(title or "Label shares per report", fontproperties=self.props)


def _heatmap(ax: Any, values: Any, rows: list[str], columns: list[str], props: Any) -> None:
    image = ax.imshow(values, cmap="Blues", vmin=0, vmax=max(0.5, float(values.max())),
                      aspect="auto")
    ax.set_xticks(range(len(columns)), columns, rotation=45, ha="right", fontproperties=props)
    ax.set_yticks(range(len(rows)), rows, fontproperties=props)
    if values.size <= 400:  # write the percentages in the cells while they stay readable
        limit = image.norm.vmax * 0.6
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                if v >= 0.005:
                    ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=7,
                            color="white" if v > limit else "black")
    ax.figure.colorbar(image, ax=ax, label="share of units", shrink=0.8)


def _bars(ax: Any, values: Any, rows: list[str], columns: list[str], names: Any,
          props: Any) -> None:
    import matplotlib

    colours = matplotlib.colormaps["tab20"]
    order = {name: k for k, name in enumerate(LABEL_NAMES)}
    left = [0.0] * len(rows)
    for j, (column, name) in enumerate(zip(columns, names)):
        k = order.get(str(name), j)
        ax.barh(range(len(rows)), values[:, j], left=left, color=colours(k % 20), label=column)
        left = [a + b for a, b in zip(left, values[:, j])]
    ax.set_yticks(range(len(rows)), rows, fontproperties=props)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of units")
    small = props.copy()
    small.set_size(8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), prop=small, frameon=False)
