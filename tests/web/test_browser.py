"""The review pages in a real browser: Debian's chromium, driven by Playwright, against a
real uvicorn on 127.0.0.1. Skipped when chromium or Playwright is absent.

Never runs ``playwright install``: the browser is the system's (``apt-get install chromium``).
Screenshots of each page go to docs/images/ (shown in docs/review-ui.md).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliance.review.audit import AuditLog
from compliance.review.decisions import DecisionStore
from tests.web.conftest import PASSWORDS, Site

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("COMPLIANCE_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
# Screenshots go to docs/images/ with COMPLIANCE_SCREENSHOTS=1 (to refresh the docs), else to
# a temporary directory: a plain test run must not leave the work tree modified.
IMAGES = (
    REPO / "docs" / "images"
    if os.environ.get("COMPLIANCE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "compliance-review-ui-screenshots"
)
AXE_CANDIDATES = [
    Path(os.environ.get("AXE_CORE_JS", "/nonexistent")),
    REPO / ".ci" / "axe" / "node_modules" / "axe-core" / "axe.min.js",
]

pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists(),
    reason=f"chromium not found at {CHROMIUM} (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def browser_context() -> Iterator[Any]:
    profile = tempfile.mkdtemp(prefix="compliance-chromium-")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 800},
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    tab.set_viewport_size({"width": 1280, "height": 800})
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.dialogs = dialogs
    try:
        yield tab
    finally:
        tab.close()


def sign_in(page: Any, site: Site, name: str = "alice") -> None:
    page.goto(f"{site.base}/ui/")
    assert "/ui/login" in page.url
    # the name field takes focus by itself (autofocus); under load that can come after the
    # page's load event, so wait for it rather than type into nothing
    page.wait_for_function("document.activeElement && document.activeElement.name === 'username'")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'password'")
    page.keyboard.type(PASSWORDS[name])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/ui/login" not in page.url, page.inner_text("main")[:500]


def shot(page: Any, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / f"{name}.png"), full_page=False)


def assert_inert(page: Any) -> None:
    assert "pwned" not in page.title()
    assert page.evaluate("document.querySelectorAll('img, iframe, svg').length") == 0
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert page.dialogs == []


def test_clear_the_queue_by_keyboard_and_see_it_audited(live_site: Site, page: Any) -> None:
    sign_in(page, live_site)
    assert page.url.endswith("/ui/")
    open_count = int(page.inner_text("#counts strong"))
    assert open_count >= 50  # issue 13: a reviewer clears a queue of 50 hits by keyboard
    shot(page, "queue")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.className") == "item-link"
    page.keyboard.press("o")
    page.wait_for_url(re.compile(r"/ui/hit/\d+"))
    shot(page, "hit")
    verdicts = ["f", "t", "e"]
    decided = 0
    while "/ui/hit/" in page.url:
        assert_inert(page)
        key = verdicts[decided % 3]
        page.keyboard.press(key)
        assert page.evaluate("document.activeElement.id") == "reason"
        page.keyboard.type(f"keyboard decision {decided}")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        decided += 1
        assert decided <= open_count, "the queue does not shrink"
    assert decided == open_count
    assert "The queue is clear" in page.inner_text("main")
    assert "Decision #" in page.inner_text(".done")

    page.click("text=Audit")
    assert "Audit chain OK" in page.inner_text("#chain-status")
    history = page.inner_text("table.history")
    for word in ["false positive", "true match", "escalate"]:
        assert word in history
    assert history.count("alice") == decided
    assert "No checkpoint read" in page.inner_text("#checkpoint-status")
    with page.expect_navigation():
        page.click("text=Keep a checkpoint of the current position")
    kept = page.inner_text("#checkpoint-status")
    assert "The chain still holds the last checkpoint" in kept
    assert page.inner_text("#checkpoint-hash") == page.inner_text("#head")
    shot(page, "audit")

    with AuditLog(live_site.context.review_db) as log:
        assert log.verify().ok
        with DecisionStore(log.path, audit=log) as store:
            reviewers = {d.reviewer for d in store.all()}
    assert reviewers == {"alice"}

    # escalated items wait in their own view, with the reviewer filter
    page.goto(f"{live_site.base}/ui/?state=escalated&reviewer=alice")
    assert page.locator("a.item-link").count() == len(range(2, decided, 3))


def test_false_positive_with_expiry_and_the_other_pages(live_site: Site, page: Any) -> None:
    sign_in(page, live_site)
    page.keyboard.press("o")
    page.wait_for_url(re.compile(r"/ui/hit/\d+"))
    page.keyboard.press("f")
    page.keyboard.type("different company, checked the registry")
    page.fill("#expires", "2099-01-31")
    with page.expect_navigation():
        page.click("#record")
    page.click("text=Audit")
    assert "2099-01-31" in page.inner_text("table.history")

    page.click("text=Search")
    page.fill("#s-name", "Huawei Technologies")
    page.fill("#s-country", "CN")
    with page.expect_navigation():
        page.click("button:text('Screen')")
    assert "Huawei Technologies Co., Ltd." in page.inner_text("main")
    shot(page, "search")
    page.click("text=Lists")
    assert "STALE" in page.inner_text("main")
    shot(page, "lists")


def test_hostile_names_are_inert(live_site: Site, page: Any) -> None:
    sign_in(page, live_site)
    page.goto(f"{live_site.base}/ui/?counterparty=H-")  # nothing: ids are exact
    page.goto(f"{live_site.base}/ui/")
    links = page.locator("a.item-link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    texts = [links.nth(i).inner_text() for i in range(links.count())]
    assert any("<script>" in t for t in texts)  # shown as text
    assert any("(10,000 characters)" in t for t in texts)
    assert any("[U+202E]" in t for t in texts)
    assert_inert(page)
    for href in hrefs:
        page.goto(f"{live_site.base}{href}")
        assert_inert(page)
    hostile = next(h for h, t in zip(hrefs, texts, strict=True) if "<script>" in t)
    page.goto(f"{live_site.base}{hostile}")
    assert "<script>document.title='pwned-script'</script>" in page.inner_text("h1")
    shot(page, "hit-hostile")
    # the 10,000-character name does not widen the page
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280


def test_a_post_without_csrf_token_is_refused(live_site: Site, page: Any) -> None:
    sign_in(page, live_site)
    item = page.locator("a.item-link").first.get_attribute("href")
    status = page.evaluate(
        """async (url) => {
            const body = new URLSearchParams({verdict: "true_match", reason: "forged"});
            const r = await fetch(url + "/decide", {method: "POST", body, credentials: "include"});
            return r.status;
        }""",
        item,
    )
    assert status == 403
    with AuditLog(live_site.context.review_db) as log:
        assert list(log.records()) == []


def _axe_source() -> str | None:
    for path in AXE_CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_accessibility_with_axe(live_site: Site, page: Any, width: int, height: int) -> None:
    axe = _axe_source()
    if axe is None:
        pytest.skip("axe-core not installed (.ci/run: npm install axe-core into .ci/axe)")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_site.base}/ui/login")
    pages = ["login"]
    problems: list[str] = []

    def check(name: str) -> None:
        page.evaluate(axe)  # through the DevTools protocol: the page's CSP stays in force
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"]][:3]
                problems.append(f"{name}: {v['id']} ({v['impact']}): {v['help']} {targets}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, name

    check("login")
    sign_in(page, live_site)
    for name, path in [
        ("queue", "/ui/"),
        ("search", "/ui/search"),
        ("lists", "/ui/lists"),
        ("audit", "/ui/audit"),
    ]:
        page.goto(f"{live_site.base}{path}")
        check(name)
        pages.append(name)
    page.goto(f"{live_site.base}/ui/")
    page.locator("a.item-link").first.click()
    page.wait_for_url(re.compile(r"/ui/hit/\d+"))
    check("hit")
    if width < 800:
        shot(page, "hit-narrow")
    assert problems == []
    # the check can fail: an unlabelled field on a blank page is reported
    page.set_content("<!doctype html><html lang=en><title>t</title><main><input></main></html>")
    check("probe")
    assert any("probe: label" in p for p in problems), problems
