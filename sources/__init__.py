"""The offline build: turns the raw source files (../shared/data/raw/) into fixtures/.

Nothing here runs on a web request, so a deployment may leave this package out; the site
loads fixtures/ without it (``manage.py load_directory``).
"""
