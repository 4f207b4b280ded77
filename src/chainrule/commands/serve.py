"""``chainrule serve``: the local web page and JSON API for checking derivations.

``chainrule serve [--host 127.0.0.1] [--port 8000] [--time-limit 10] [--workers N]``. Binds the
loopback address unless told otherwise; ``--port 0`` picks a free port. Prints the address on
one line (``chainrule serve: http://127.0.0.1:8000/``) once it is listening. Needs the web
extra: ``pip install 'chainrule[web]'``.
"""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys

from chainrule.errors import ChainruleError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8000,
        help="port to listen on (default: 8000; 0 picks a free one)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="time limit for each check (default: 10)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="checks run at once (default: the number of CPUs)",
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port``, or a ChainruleError that says what to do."""
    if not 0 <= port <= 65535:
        raise ChainruleError(f"--port {port} is not a port; use a number from 1 to 65535.")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror:
        raise ChainruleError(f"--host {host!r} is not an address of this computer.") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ChainruleError(
            f"cannot listen on {host} port {port} ({exc.strerror}); "
            "choose another with --port, or --port 0 for any free one."
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; 0 on a clean stop."""
    if args.time_limit <= 0:
        raise ChainruleError("--time-limit must be a positive number of seconds.")
    if args.workers is not None and args.workers < 1:
        raise ChainruleError("--workers must be at least 1.")
    try:
        import uvicorn

        from chainrule.web.app import create_app
    except ImportError as exc:
        raise ChainruleError(
            f"`chainrule serve` needs the web extra ({exc.name} is missing); "
            "install it with: pip install 'chainrule[web]'."
        ) from None
    sock = bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    if not _is_loopback(host):
        print(
            f"chainrule serve: listening on {host}, so other computers can reach this page.",
            file=sys.stderr,
        )
    app = create_app(time_limit=args.time_limit, workers=args.workers)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    print(f"chainrule serve: http://{shown}:{port}/ (press Ctrl+C to stop)", flush=True)
    server.run(sockets=[sock])
    return 0
