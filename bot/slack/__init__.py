"""The Slack adapter: a Bolt app (`create_app`) that renders core answers as Block Kit.

Modules: `settings` (environment), `app` (the factory), `listeners/` (one registration module per kind of
request), `blocks` (Block Kit rendering), `escape` (mrkdwn escaping), `dedupe` (Slack retries answered once),
`oauth` (multi-workspace install), `sending` (replies after the acknowledgement: lanes and retries), `screen`
(what is refused before Bolt), `wsgi` (the WSGI app), `asgi` (gunicorn's entry point, which reads requests whole)
and `gunicorn_conf` (the worker model and timeouts).
"""
