"""The shipped Markdown templates compiled by Jinja2, one module each: written by
scripts/make_tables.py, used only while they match their templates
(compiler/render/markdown.py)."""
