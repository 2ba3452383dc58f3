"""The Slack adapter: a Bolt app (`create_app`) that renders core answers as Block Kit.

Modules: `settings` (environment), `app` (the factory), `listeners/` (one registration module per kind of
request), `blocks` (Block Kit rendering), `escape` (mrkdwn escaping), `dedupe` (Slack retries answered once),
`oauth` (multi-workspace install), `wsgi` (the gunicorn entry point).
"""
