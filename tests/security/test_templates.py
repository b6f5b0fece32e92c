"""No template may carry inline CSS or script: the Content-Security-Policy
would block it (style-src 'self'; script-src 'self'). CSS goes in
static/app.css, JavaScript in static/<capability>.js."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style[\s>]", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def _templates():
    files = sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.svg")) \
        + sorted(TEMPLATES.rglob("*.xml"))
    assert files, "no templates found"
    return files


def _problems(text: str) -> list[str]:
    problems = []
    if INLINE_STYLE_ATTRIBUTE.search(text):
        problems.append('a style="…" attribute')
    if STYLE_BLOCK.search(text):
        problems.append("a <style> block")
    for attributes, body in SCRIPT.findall(text):
        if body.strip():
            problems.append("an inline <script> with content")
        if "src" not in attributes.lower():
            problems.append("a <script> without src")
    if EVENT_HANDLER.search(text):
        problems.append("an on…= event handler attribute")
    if JAVASCRIPT_URL.search(text):
        problems.append("a javascript: URL")
    return problems


def test_no_template_has_inline_styles_or_scripts():
    found = {str(path.relative_to(TEMPLATES)): _problems(path.read_text(encoding="utf-8"))
             for path in _templates()}
    assert {name: p for name, p in found.items() if p} == {}


def test_the_check_itself_catches_each_kind_of_inline_code():
    assert _problems('<p style="color:red">x</p>') == ['a style="…" attribute']
    assert _problems("<style>p{}</style>") == ["a <style> block"]
    assert "an inline <script> with content" in _problems("<script>alert(1)</script>")
    assert _problems('<script src="/static/app.js"></script>') == []
    assert _problems('<button onclick="go()">') == ["an on…= event handler attribute"]
    assert _problems('<a href="javascript:go()">') == ["a javascript: URL"]
    assert _problems('<p class="styled">a data-style="x"</p>') == []
