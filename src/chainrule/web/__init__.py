"""The local web page and JSON API behind ``chainrule serve`` (needs the ``web`` extra).

``app`` builds the ASGI app (routes, request models, errors as sentences); ``jobs`` holds the
work a request hands over (a check, a derivation); ``worker`` runs that work in a pool of
processes under a hard time bound; ``limits`` refuses bodies over 256 KB; ``page``, ``style``,
``docs`` and ``render`` make the HTML (server-side MathML, no script, no CDN).

Importing this package does not import FastAPI; ``chainrule.web.app.create_app`` does.
"""
