"""Two threads asking at once for the same missing value (``programs.shared.computing``)."""

import threading
import time
from unittest import mock


class AtOnce:
    """Two threads asking for the same missing value: the first is held inside its
    computation until the second is waiting for it (``programs.shared.time.sleep``)."""

    def __init__(self):
        self.computing = threading.Event()
        self.waiting = threading.Event()
        self.go = threading.Event()
        self.calls = []
        self.answers = {}
        self.pauses = 0

    def compute(self, value, *, fail=False):
        self.calls.append(value)
        if len(self.calls) == 1:
            self.computing.set()
            assert self.go.wait(5)
            if fail:
                raise RuntimeError("the first computation failed")
        return value

    def ask(self, name, ask):
        try:
            self.answers[name] = ask()
        except RuntimeError as error:
            self.answers[name] = error

    def run(self, first, second):
        real_sleep = time.sleep

        def sleep(seconds):
            self.pauses += 1
            self.waiting.set()
            real_sleep(seconds)

        with mock.patch("programs.shared.time.sleep", sleep):
            one = threading.Thread(target=self.ask, args=("first", first))
            one.start()
            assert self.computing.wait(5)
            two = threading.Thread(target=self.ask, args=("second", second))
            two.start()
            assert self.waiting.wait(5)
            self.go.set()
            one.join(5)
            two.join(5)
        return self.answers
