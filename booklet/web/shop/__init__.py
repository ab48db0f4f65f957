"""The order shop: volunteers order printed booklets online; the information team prints them.

- ``app.py``: the Flask application (sessions, CSRF, security headers); ``views.py``: its pages;
- ``db.py``: SQLite or PostgreSQL, one schema and its migrations; ``store.py``: the queries;
- ``security.py``: password hashes, tokens, limits; ``forms.py``: what people type, checked;
- ``mail.py``: confirmations written to an outbox folder; ``export.py``: pending orders -> print run;
- ``server.py``: what the ``booklet shop`` commands call (waitress, add-user, backup).
"""
