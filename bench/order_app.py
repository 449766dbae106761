"""WSGI app for the order benchmark: the real OMS app plus the bare raw-SQL order endpoint.

    OMS_ENV=production SECRET_KEY=... DATABASE_URL=... REDIS_URL=... gunicorn bench.order_app:app

Everything but /bench/bare-order is the production app as create_app() builds it. The benchmark
talks plain HTTP to 127.0.0.1, so the Secure cookie flag production sets is turned off here:
a browser would not send a Secure cookie over http, and neither does requests.
"""
from app import create_app
from app.extensions import csrf
from bench.bare_order import bp as bare_bp

app = create_app({"SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
app.register_blueprint(bare_bp)
csrf.exempt(bare_bp)  # the floor has no CSRF, by design
