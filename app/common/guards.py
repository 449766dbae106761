"""Request guards that apply to every endpoint."""
from flask import abort, request

NUL = "\x00"


def refuse_nul_bytes():
    """before_request: PostgreSQL text cannot hold NUL bytes, so refuse them up front with a clear 400."""
    values = list(request.args.values())
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += list(request.form.values())
    if any(NUL in value for value in values) or NUL in request.path:
        abort(400, description="The request contains a NUL character, which OMS does not accept. Remove it and try again.")
