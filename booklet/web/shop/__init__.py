"""The order shop: volunteers order printed booklets online; the information team prints them.

- ``app.py``: the Flask application (sessions, CSRF, security headers); ``views.py``: its pages;
- ``db.py``: SQLite or PostgreSQL, one schema and its migrations; ``store.py``: the queries;
- ``security.py``: password hashes, tokens, limits; ``forms.py``: what people type, checked;
- ``accounts.py``: sign-in links, the sign-in limit, link requests; ``signin.py``: "email me a link";
- ``addresses.py``: email addresses (email-validator); ``data.py``: the private data folder and key;
- ``mail.py``: the messages; ``outbox.py``: queued with what causes them, sent with retries
  (one given up is listed for the team to try again or remove);
  ``transport.py``: SMTP or files; ``export.py``: pending orders -> print run;
- ``server.py``: what the ``booklet shop`` commands call (waitress, add-user, send-mail, backup).
"""
