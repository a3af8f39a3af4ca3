from collections.abc import Callable

from django.core.management.base import OutputWrapper


def progress_bar(stdout: OutputWrapper, label: str = "") -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback drawing a one-line bar; off a terminal only the
    final line is written, so logs stay readable."""

    def show(done: int, total: int) -> None:
        if done != total and not stdout.isatty():
            return
        width = 30
        filled = width * done // total if total else width
        stdout.write(
            f"\r{label}[{'#' * filled}{'.' * (width - filled)}] {done}/{total} rows checked",
            ending="\n" if done == total else "",
        )
        stdout.flush()

    return show
