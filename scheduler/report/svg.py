"""Minimal SVG building blocks: escaped elements, compact numbers, grid paths.

The charts are strings of inline SVG so the report needs no plotting library and no script. Every
helper returns well-formed XML (attributes and text escaped) so an SVG can also be cut out of the
report and opened on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

Attrs = Mapping[str, str | float | int | None]


def num(value: float) -> str:
    """A coordinate with at most one decimal and no trailing zeros (keeps the file small).

    Parameters
    ----------
    value
        The number to format.

    Returns
    -------
    str
        ``12``, ``12.5`` or ``-3.1``.
    """
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _attr_value(value: str | float | int) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return num(float(value))
    return escape(value, quote=True)


def attrs(values: Attrs) -> str:
    """Attributes as ``key="value"`` pairs; ``None`` values are left out, ``_`` becomes ``-``.

    Parameters
    ----------
    values
        Attribute names (Python spelling, ``stroke_width``) to values.

    Returns
    -------
    str
        The attribute text, starting with a space when not empty.
    """
    parts = [
        f'{key.rstrip("_").replace("_", "-")}="{_attr_value(value)}"'
        for key, value in values.items()
        if value is not None
    ]
    return (" " + " ".join(parts)) if parts else ""


def element(tag: str, values: Attrs | None = None, children: str | Iterable[str] = "") -> str:
    """An SVG element; self-closing when it has no children.

    Parameters
    ----------
    tag
        Element name (``rect``, ``g``, ...).
    values
        Attributes, see :func:`attrs`.
    children
        Already-built child markup (a string or several).

    Returns
    -------
    str
        The element's markup.
    """
    inner = children if isinstance(children, str) else "".join(children)
    head = f"<{tag}{attrs(values or {})}"
    return f"{head}>{inner}</{tag}>" if inner else f"{head}/>"


def text(x: float, y: float, content: str, **values: str | float | int | None) -> str:
    """A ``<text>`` element with escaped content."""
    return element("text", {"x": x, "y": y, **values}, escape(content, quote=False))


def title(content: str) -> str:
    """A ``<title>`` child: the tooltip a browser shows on hover."""
    return f"<title>{escape(content, quote=False)}</title>"


def rect(
    x: float, y: float, width: float, height: float, **values: str | float | int | None
) -> str:
    """A ``<rect>``; extra keyword arguments become attributes (``fill``, ``class_``...)."""
    return element("rect", {"x": x, "y": y, "width": width, "height": height, **values})


def vertical_lines(xs: Iterable[float], top: float, bottom: float) -> str:
    """Path data drawing one vertical line per ``x`` (one element for a whole grid).

    Parameters
    ----------
    xs
        Horizontal positions.
    top, bottom
        Vertical extent of every line.

    Returns
    -------
    str
        ``d`` attribute text for a ``<path>``.
    """
    return "".join(f"M{num(x)} {num(top)}V{num(bottom)}" for x in xs)


def horizontal_lines(ys: Iterable[float], left: float, right: float) -> str:
    """Path data drawing one horizontal line per ``y`` (see :func:`vertical_lines`)."""
    return "".join(f"M{num(left)} {num(y)}H{num(right)}" for y in ys)


def svg(width: float, height: float, children: Iterable[str], label: str) -> str:
    """A root ``<svg>`` sized in pixels that scales down with its container.

    Parameters
    ----------
    width, height
        Natural size in CSS pixels (also the view box).
    children
        Child markup.
    label
        Accessible name of the chart (``aria-label``).

    Returns
    -------
    str
        The ``<svg>`` markup.
    """
    return element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {num(width)} {num(height)}",
            "width": width,
            "height": height,
            "role": "img",
            "aria-label": label,
            "font-size": 11,
            "font-family": "system-ui, sans-serif",
        },
        children,
    )
