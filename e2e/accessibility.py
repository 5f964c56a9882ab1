"""axe-core checks for browser journeys."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def assert_accessible(page, *, exclude=()):
    """Fail when axe finds a serious or critical violation on the page as it is now.

    `exclude` lists CSS selectors of parts we do not write (say, a widget of Django
    Admin's own); each caller says why.
    """
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    # Colours read halfway through a button's fade (a click just before) are not what
    # anyone reads: end every running transition first (an endless one cannot end).
    page.evaluate("document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} })")
    results = _axe.run(page, context=context)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"{len(blocking)} serious/critical accessibility violation(s) on {page.url}:"]
        for violation in blocking:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:5]:
                target = " ".join(str(part) for part in node["target"])
                summary = (node.get("failureSummary") or "").replace("\n", " ")
                lines.append(f"    {target}: {summary}")
        raise AssertionError("\n".join(lines))
