"""The classic plain-JS client is served by the gateway at /classic/: the page, its stylesheet, and
every ES module the page loads (following each module's imports), each with the right content type."""

import re
from pathlib import PurePosixPath

IMPORT = re.compile(r"""^import\s[^;]*?from\s+["'](\.{1,2}/[^"']+)["'];""", re.MULTILINE)
MODULE_SCRIPT = re.compile(r"""<script\s+type="module"\s+src="([^"]+)"></script>""")


def _resolve(module: str, relative: str) -> str:
    parts: list[str] = []
    for part in (PurePosixPath(module).parent / relative).parts:
        if part == "..":
            parts.pop()
        elif part not in (".", "/"):
            parts.append(part)
    return "/" + "/".join(parts)


async def test_the_page_and_its_stylesheet_are_served(gateway):
    page = await gateway.get("/classic/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'href="app.css"' in page.text and MODULE_SCRIPT.search(page.text)
    css = await gateway.get("/classic/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


async def test_every_module_the_page_loads_is_served_as_javascript(gateway):
    page = await gateway.get("/classic/")
    pending = ["/classic/" + src for src in MODULE_SCRIPT.findall(page.text)]
    served: set[str] = set()
    while pending:
        module = pending.pop()
        if module in served:
            continue
        answer = await gateway.get(module)
        assert answer.status_code == 200, module
        assert answer.headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript"), module
        served.add(module)
        pending.extend(_resolve(module, relative) for relative in IMPORT.findall(answer.text))
    expected = {"/app.js", "/views/api.js", "/views/dom.js", "/views/contacts.js", "/views/profile.js", "/views/texting.js",
                "/views/inbox.js", "/views/imports.js", "/views/numbers.js", "/views/registration.js"}
    assert served == {"/classic" + module for module in expected}


async def test_a_missing_module_is_a_404_not_the_page(gateway):
    missing = await gateway.get("/classic/views/no-such-view.js")
    assert missing.status_code == 404
