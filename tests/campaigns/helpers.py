"""Reading and posting the campaign pages: the form as a browser posts it, a field's message, the listed titles."""
import re
from html import unescape


def form_data(**changes) -> dict:
    """The campaign form as a browser posts it, with some fields changed."""
    data = {"title": "Spring Promo", "advertiser": "Acme Coffee", "start_date": "2026-03-01",
            "end_date": "2026-03-31", "status": "active", "budget": "1500.00"}
    return {**data, **changes}


def field_error(html: str, name: str) -> str | None:
    """The message shown under a form field, or None (see the field() macro)."""
    match = re.search(rf'<small id="{name}-error" class="field-error">([^<]*)</small>', html)
    return unescape(match.group(1)) if match else None


def listed_titles(html: str) -> list[str]:
    """The campaign titles of a list page or fragment, top to bottom."""
    return [unescape(t) for t in re.findall(r'<td><a href="/platforms/\d+/campaigns/\d+">([^<]*)</a></td>', html)]
