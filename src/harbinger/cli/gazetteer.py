"""The ``harbinger gazetteer`` commands: import a GeoNames country dump, look a place name up.

A thin wrapper over ``harbinger.geo``. ``import`` validates a GeoNames dump (IQ.txt,
SY.txt or the .zip GeoNames serves), lists the malformed rows on stderr with their line and
reason, and writes the populated places into the data dir (``--data-dir``, else
``$HARBINGER_DATA_DIR``, else ``$XDG_DATA_HOME/harbinger`` or ``~/.local/share/harbinger``), where
``Gazetteer.load`` and so the coder find them. ``lookup`` shows what a name resolves to, to check
an import or a spelling. The sub-app is registered on the CLI's ``app`` in ``harbinger.cli``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from harbinger.settings import Settings

gazetteer_app = typer.Typer(
    name="gazetteer",
    help="Add places to the gazetteer and look names up.\n\n"
    "Example:\n\n"
    "    harbinger gazetteer import IQ.txt\n\n"
    "    harbinger gazetteer lookup Qayyarah",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder of Harbinger's user data (default: $HARBINGER_DATA_DIR, else "
        "$XDG_DATA_HOME/harbinger or ~/.local/share/harbinger).",
        show_default=False,
    ),
]


def _data_dir(option: Path | None) -> Path:
    from harbinger.geo import default_data_dir

    if option is not None:
        return option
    settings = Settings.from_env()
    return Path(settings.data_dir).expanduser() if settings.data_dir else default_data_dir()


@gazetteer_app.command(name="import")
def import_command(
    dump: Annotated[
        Path,
        typer.Argument(
            help="A GeoNames country dump: IQ.txt (tab-separated, 19 columns) or IQ.zip.",
            show_default=False,
        ),
    ],
    data_dir: DataDirOption = None,
) -> None:
    """Import a GeoNames country dump so that its villages and towns are coded.

    Populated places and administrative areas are kept (streams, hills and the like are
    ignored); malformed rows are listed with their line and reason, and skipped. Importing a
    file of the same name again replaces the earlier import. Every later run of the coder reads
    the imported places (only those of the theatre's countries).

    Example:

        harbinger gazetteer import IQ.txt --data-dir ~/harbinger-data
    """
    from harbinger.cli.common import Failed, out, report_skipped_rows
    from harbinger.errors import HarbingerError
    from harbinger.geo import dumps_dir, import_geonames_dump

    target = dumps_dir(_data_dir(data_dir))
    try:
        result = import_geonames_dump(dump, target)
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    report_skipped_rows(result.skipped, "malformed row(s)")
    out.print(
        f"Imported {result.written} place(s) from {dump} into {result.path} "
        f"({result.ignored} row(s) of other features ignored, "
        f"{len(result.skipped)} malformed row(s) skipped).",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@gazetteer_app.command(name="lookup")
def lookup_command(
    name: Annotated[str, typer.Argument(help="A place name, in any spelling.", show_default=False)],
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            "-c",
            help="ISO code of a country the text is about (IQ, SY); repeatable.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    data_dir: DataDirOption = None,
) -> None:
    """Show the places a name may stand for, and the one the coder would choose.

    Candidates are listed best first (curated before GeoNames, then by population); the chosen
    one takes the countries given with --country into account. Exits 1 when the name is unknown.

    Example:

        harbinger gazetteer lookup "Ain Assad" --country IQ --format json
    """
    from harbinger.cli.common import Failed, out
    from harbinger.errors import HarbingerError
    from harbinger.geo import Gazetteer

    if format not in ("table", "json"):
        raise typer.BadParameter("use 'table' or 'json'", param_hint="--format")
    settings = Settings.from_env()
    try:
        gazetteer = Gazetteer.load(settings.theatre, data_dir=_data_dir(data_dir))
    except HarbingerError as exc:
        raise Failed(str(exc)) from exc
    countries = tuple(c.upper() for c in country or ())
    candidates = gazetteer.lookup(name)
    chosen = gazetteer.resolve(name, countries=countries)
    if chosen is None:
        raise Failed(
            f"{name!r} is not in the gazetteer; import a GeoNames dump with "
            "'harbinger gazetteer import' to add villages"
        )
    if format == "json":
        payload = {
            "chosen": {
                "name": chosen.name,
                "gazetteer_id": chosen.gazetteer_id,
                "country_code": chosen.country_code,
                "admin1_code": chosen.admin1_code,
                "admin2": chosen.admin2,
                "latitude": chosen.latitude,
                "longitude": chosen.longitude,
                "precision": chosen.precision,
                "kind": chosen.kind,
            },
            "candidates": [
                {
                    "id": e.id,
                    "name": e.output_name,
                    "kind": e.kind,
                    "country_code": e.country_code,
                    "admin1_code": e.admin1_code,
                    "latitude": e.latitude,
                    "longitude": e.longitude,
                    "population": e.population,
                }
                for e in candidates
            ],
        }
        out.print_json(json.dumps(payload, ensure_ascii=False), indent=2, highlight=False)
        return
    table = Table(title=f"Places named {name!r}", title_justify="left")
    for col in ("", "id", "name", "kind", "admin1", "lat, lon", "population"):
        table.add_column(col, overflow="fold")
    for entry in candidates:
        point = (
            f"{entry.latitude:.4f}, {entry.longitude:.4f}"
            if entry.latitude is not None and entry.longitude is not None
            else "-"
        )
        table.add_row(
            "*" if entry.id == chosen.gazetteer_id else "",
            entry.id,
            entry.output_name,
            entry.facility or entry.kind,
            entry.admin1_code or "-",
            point,
            str(entry.population or "-"),
        )
    out.print(table)
