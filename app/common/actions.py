"""View helpers for the two things every domain's forms do: call a service, and bulk archive/restore."""
from typing import Callable, TypeVar

from flask import flash, redirect, request

from app.common.errors import ValidationError, apply_to_form
from app.common.views import safe_next, selected_ids

T = TypeVar("T")


def call_service(form, call: Callable[[], T]) -> T | None:
    """Run call(); on a ValidationError put each message next to its field (flash the rest), return None.

    The view then re-renders the form; form_status() gives 422 for a POST that did not succeed.
    """
    try:
        return call()
    except ValidationError as error:
        for message in apply_to_form(form, error):
            flash(message, "error")
        return None


def form_status() -> int:
    """200 for showing a form, 422 when a submitted form is shown again because something was wrong."""
    return 422 if request.method == "POST" else 200


def archive_or_restore(noun: str, set_archived: Callable[..., int], default_url: str,
                       refusal_note: str = "", verbs: tuple[str, str] = ("Archive", "Restore")):
    """Answer a bulk Archive/Restore form: set_archived(ids, archived=...) and flash how many changed.

    refusal_note explains rows that were ticked but could not be archived (e.g. open orders); verbs
    are the buttons' words where archiving has a domain name (users are deactivated).
    """
    action = request.form.get("action")
    ids = selected_ids()
    archive, restore = verbs
    if action not in ("archive", "restore") or not ids:
        flash(f"Tick at least one {noun}, then choose {archive} or {restore}.", "error")
    else:
        count = set_archived(ids, archived=action == "archive")
        message = f"{archive if action == 'archive' else restore}d {count} {noun}(s)."
        if action == "archive" and count < len(ids) and refusal_note:
            message += f" {len(ids) - count} skipped: {refusal_note}"
        flash(message, "success")
    return redirect(safe_next(default_url), code=303)
