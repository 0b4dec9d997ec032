"""``mizugiwa promote``: move alias ``champion`` to a version when the gates pass."""

from __future__ import annotations

import json

import typer


def promote(
    version: str = typer.Option(..., "--version", help="Registered model version to promote."),
    force: bool = typer.Option(False, "--force", help="Override failed gates (needs --reason)."),
    reason: str | None = typer.Option(None, "--reason", help="Why; kept on the version."),
) -> None:
    """Promote a version to `champion` if it is fair and not worse than the current champion.

    Prints each gate's result; exits 1 when the gates refuse the promotion, 2 on a bad request.
    The last line of output is a JSON summary.
    """
    from mizugiwa.models.promotion import PromotionError
    from mizugiwa.models.promotion import promote as run_promotion
    from mizugiwa.models.registry import RegistryError

    try:
        result = run_promotion(version, force=force, reason=reason)
    except (PromotionError, RegistryError) as exc:
        typer.echo(f"promote: {exc}", err=True)
        raise typer.Exit(2) from exc
    for gate in result.gates:
        typer.echo(f"{'PASS' if gate.passed else 'FAIL'} {gate.name}: {gate.detail}", err=True)
    if result.promoted:
        how = "forced past failed gates" if result.forced else "gates passed"
        typer.echo(f"version {result.version} is now champion ({how})", err=True)
    else:
        typer.echo(f"version {result.version} was not promoted: the gates refused it", err=True)
    typer.echo(json.dumps(result.to_dict(), sort_keys=True))
    if not result.promoted:
        raise typer.Exit(1)
