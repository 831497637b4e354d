"""The protocol the Python test servers share with tests/support/process.rs (`spawn_listening`): print
"listening" once the port is bound, and exit as soon as stdin closes. The test process holds the other end
of stdin, so a server goes away with it even if that process is killed."""

import os
import sys
import threading


def listening():
    """Says the port is bound and starts watching stdin; call it right after binding."""
    print("listening", flush=True)

    def exit_when_stdin_closes():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
