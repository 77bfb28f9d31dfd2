"""The corpus's live server: `python -m tests.corpus.drf_app.serve` (CORPUS_VARIANT picks the URLconf).

Serves on 127.0.0.1 on a free port, printed as `PORT <n>` once ready, from one thread: the SQLite database is
in memory, which Django keeps for the one connection of that thread (it ignores closing an in-memory database).
"""

import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.corpus.drf_app.settings")


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # the runner reports failures, not every request
        pass


def main():
    import django
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)
    seed()
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


def seed():
    """Minimal data: the object with id 1 of every model, which the operations' path parameters name."""
    from tests.corpus.drf_app.shop.models import Category, Product

    root = Category.objects.create(id=1, name="root")
    Category.objects.create(id=2, name="leaf", parent=root)
    Product.objects.create(id=1, name="lamp", price="9.50", status="live", category=root)


if __name__ == "__main__":
    sys.exit(main())
