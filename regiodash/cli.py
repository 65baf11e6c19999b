"""``regiodash build | info | serve``."""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from data_sources.errors import SourceDataError
from store.settings import Settings


def _settings(args) -> Settings:
    overrides = {}
    if getattr(args, "mirror", None):
        overrides["mirror"] = Path(args.mirror)
    if getattr(args, "store", None):
        overrides["store"] = Path(args.store)
    return Settings(**overrides)


OFFLINE_HINT = "build from a local mirror instead: `regiodash build --mirror DIR` or REGIODASH_MIRROR=DIR"


def live_hosts(settings: Settings) -> list[tuple[str, int]]:
    """The hosts a live build downloads from: CBS OData (catalog) and PDOK."""
    cbs = urlsplit(f"//{settings.cbs_catalog}")
    pdok = urlsplit(settings.pdok_base)
    return [
        (cbs.hostname or settings.cbs_catalog, cbs.port or (443 if settings.cbs_https else 80)),
        (pdok.hostname or "", pdok.port or (443 if pdok.scheme == "https" else 80)),
    ]


def unreachable(hosts: list[tuple[str, int]], timeout_s: float) -> str | None:
    """The first host that does not accept a TCP connection, with the reason; None if all do."""
    for host, port in hosts:
        try:
            socket.create_connection((host, port), timeout=timeout_s).close()
        except OSError as err:
            return f"{host}:{port} ({err.strerror or type(err).__name__})"
    return None


def cmd_build(args) -> int:
    settings = _settings(args)
    if not settings.mirror:
        where = unreachable(live_hosts(settings), settings.connect_timeout_s)
        if where:
            print(f"build failed: cannot reach {where}; {OFFLINE_HINT}", file=sys.stderr)
            return 1
    from store import build

    try:
        path = build.run(settings, progress=not args.quiet)
    except SourceDataError as err:
        print(f"build failed: {err}", file=sys.stderr)
        print(f"the previous store (if any) in {settings.store} is unchanged", file=sys.stderr)
        return 1
    except OSError as err:  # the network went away during a live download (requests' errors are OSErrors)
        print(f"build failed: {type(err).__name__}: {str(err)[:200]}; {OFFLINE_HINT}", file=sys.stderr)
        return 1
    print(f"store built: {path}")
    return 0


def cmd_info(args) -> int:
    from store.files import Store, StoreMissing

    settings = _settings(args)
    try:
        store = Store.open(settings.store)
    except StoreMissing as err:
        print(err, file=sys.stderr)
        return 1
    meta, tables = store.metadata, store.tables
    obs = tables["observations"]
    print(f"store      {store.path}")
    print(f"built      {meta['built_at']} by {meta['software']} in {meta['build_seconds']} s")
    print(f"source     {meta['source']}")
    print(f"data date  {store.data_date}")
    print(f"years      {meta['first_year']}-{meta['latest_year']}")
    print("tables")
    for tab in meta["tables"]:
        print(f"  {tab['source_table']:<9} {tab['title'][:70]}  (CBS modified {tab['modified'] or 'unknown'})")
    print("gemeenten per year (population on 1 January)")
    pop = obs[(obs["measure"] == "population") & (obs["level"] == "gemeente")]
    print("  " + "  ".join(f"{y}:{n}" for y, n in pop.groupby("year").size().items()))
    print("measures (years; gemeenten in the latest year present)")
    for measure, group in obs.groupby("measure"):
        years = sorted(group["year"].unique())
        gm = group[group["level"] == "gemeente"]
        last = gm[gm["year"] == gm["year"].max()] if len(gm) else gm
        print(f"  {measure:<22} {years[0]}-{years[-1]}  levels {','.join(sorted(group['level'].unique()))}"
              f"  gemeenten {len(last)}")
    print("boundaries: " + ", ".join(f"{b['level']} {b['year']}" for b in meta["boundaries"]))
    gaps = tables["gaps"]
    print(f"gaps ({len(gaps)}): what the sources do not hold, shown as missing")
    for gap in gaps.itertuples():
        print(f"  {gap.table} {gap.measure} {gap.year} {gap.level}: {gap.missing} missing ({gap.note})")
    print(f"boundary changes since {meta['first_year']}: {len(tables['changes'])} (kinds: "
          + ", ".join(f"{k} {n}" for k, n in tables["changes"]["kind"].value_counts().items()) + ")")
    return 0


def cmd_serve(args) -> int:
    from store.files import StoreMissing

    settings = _settings(args)
    from dashboard.app import create_app

    try:
        app = create_app(settings)
    except StoreMissing:
        print(f"No store in {settings.store.resolve()}: build one first with `regiodash build` "
              f"(offline: `regiodash build --mirror DIR`), or point --store/REGIODASH_STORE at one.",
              file=sys.stderr)
        return 2
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="regiodash", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, help_text in [
        ("build", cmd_build, "fetch CBS/PDOK (live or --mirror) and build the store"),
        ("info", cmd_info, "print what the store holds"),
        ("serve", cmd_serve, "run the dashboard (development server)"),
    ]:
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(func=func)
        p.add_argument("--store", help="store directory (default: $REGIODASH_STORE or ./store)")
        if name == "build":
            p.add_argument("--mirror", help="local mirror laid out like shared/data (default: $REGIODASH_MIRROR; unset = live)")
            p.add_argument("--quiet", action="store_true", help="no progress bars")
        if name == "serve":
            p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
            p.add_argument("--port", type=int, default=8050, help="port (default 8050)")
            p.add_argument("--debug", action="store_true", help="Dash debug mode and dev tools (development only)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
