"""Access to the MLflow model registry: aliases ``champion`` and ``challenger``, never stages.

Everything here is configured from :class:`mizugiwa.settings.Settings` (tracking and registry URIs,
artifact root, registered model name), so tests point it at a temporary store by building a
``Settings(...)``. :func:`load_scorer` downloads only the pickled :class:`~models.scorer.Scorer`
from a registered version, checks that it was trained on the features the code now defines, and
fills its :class:`~models.contract.ModelInfo` with the name, version, alias and run.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from mizugiwa.settings import Settings, get_settings

if TYPE_CHECKING:
    from mlflow import MlflowClient
    from mlflow.entities.model_registry import ModelVersion

    from mizugiwa.models.scorer import Scorer

CHAMPION = "champion"
CHALLENGER = "challenger"
SCORER_ARTIFACT = "scorer.pkl"


class RegistryError(RuntimeError):
    """The registry has no such model, version or alias, or the model cannot be loaded."""


class RegistryUnreachableError(RegistryError):
    """The registry did not answer (refused, timed out, a server error): not the same as an
    alias that is unset, and reported as such."""


_ABSENT = frozenset({"RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE", "NOT_FOUND"})


def _unreachable(settings: Settings, exc: Exception) -> RegistryUnreachableError:
    where = registry_uri(settings).split("@")[-1][:120]  # never a password from the URI
    first = (str(exc).splitlines() or [""])[0][:200]
    return RegistryUnreachableError(f"registry unreachable ({where}): {first}")


def _settings(settings: Settings | None) -> Settings:
    return settings if settings is not None else get_settings()


def client(settings: Settings | None = None) -> MlflowClient:
    """An MLflow client on the configured tracking and registry stores."""
    from mlflow import MlflowClient

    s = _settings(settings)
    return MlflowClient(tracking_uri=s.mlflow_tracking_uri, registry_uri=registry_uri(s))


def registry_uri(settings: Settings) -> str:
    """The registry store: its own URI when set, else the tracking store (always explicit, so
    a process-wide MLflow default never redirects it)."""
    return settings.mlflow_registry_uri or settings.mlflow_tracking_uri


@contextmanager
def mlflow_session(settings: Settings | None = None) -> Iterator[str]:
    """Point MLflow's fluent API at the configured stores; yields the experiment id.

    The experiment is created on first use with the configured artifact root, so artifacts land
    where the settings say rather than in the working directory.
    """
    import mlflow

    s = _settings(settings)
    previous = (mlflow.get_tracking_uri(), mlflow.get_registry_uri())
    mlflow.set_tracking_uri(s.mlflow_tracking_uri)
    mlflow.set_registry_uri(registry_uri(s))
    try:
        c = client(s)
        experiment = c.get_experiment_by_name(s.experiment_name)
        if experiment is None:
            experiment_id = c.create_experiment(
                s.experiment_name, artifact_location=s.mlflow_artifact_root
            )
        else:
            experiment_id = experiment.experiment_id
        mlflow.set_experiment(experiment_id=experiment_id)
        yield experiment_id
    finally:
        mlflow.set_tracking_uri(previous[0])
        mlflow.set_registry_uri(previous[1])


def register(
    model_uri: str,
    *,
    run_id: str,
    tags: dict[str, str] | None = None,
    description: str | None = None,
    alias: str | None = CHALLENGER,
    settings: Settings | None = None,
) -> ModelVersion:
    """Register ``model_uri`` as a new version of the configured model; alias it (challenger)."""
    from mlflow.exceptions import MlflowException

    s = _settings(settings)
    c = client(s)
    try:
        c.get_registered_model(s.registered_model_name)
    except MlflowException:
        c.create_registered_model(
            s.registered_model_name,
            description="Referral of visa applications and border entries to secondary interview.",
        )
    version = c.create_model_version(
        s.registered_model_name,
        source=model_uri,
        run_id=run_id,
        tags=tags or {},
        description=description,
    )
    if alias:
        c.set_registered_model_alias(s.registered_model_name, alias, version.version)
    return version


def set_alias(alias: str, version: str | int, *, settings: Settings | None = None) -> None:
    """Point ``alias`` at ``version`` of the configured model."""
    s = _settings(settings)
    get_version(version, settings=s)
    client(s).set_registered_model_alias(s.registered_model_name, alias, str(version))


def get_version(version: str | int, *, settings: Settings | None = None) -> ModelVersion:
    """One version of the configured model; :class:`RegistryError` when it does not exist."""
    from mlflow.exceptions import MlflowException

    s = _settings(settings)
    try:
        return client(s).get_model_version(s.registered_model_name, str(version))
    except MlflowException as exc:
        raise RegistryError(
            f"model {s.registered_model_name!r} has no version {version!r}"
        ) from exc


def version_for_alias(alias: str, *, settings: Settings | None = None) -> ModelVersion | None:
    """The version an alias points at, or ``None`` when the alias (or the model) is unset."""
    from mlflow.exceptions import MlflowException

    s = _settings(settings)
    try:
        return client(s).get_model_version_by_alias(s.registered_model_name, alias)
    except MlflowException as exc:
        if exc.error_code in _ABSENT:
            return None
        raise _unreachable(s, exc) from exc
    except OSError as exc:  # a connection refused below MLflow's own handling
        raise _unreachable(s, exc) from exc


def alias_version(alias: str = CHAMPION, *, settings: Settings | None = None) -> str | None:
    """The version number an alias points at (cheap: for reload polling), or ``None``."""
    version = version_for_alias(alias, settings=settings)
    return None if version is None else str(version.version)


def _download_scorer(version: ModelVersion, settings: Settings) -> Scorer:
    """The version's scorer, downloaded and loaded by :func:`models.loader.load_scorer_file`
    (which refuses one trained on other features)."""
    import mlflow

    from mizugiwa.models.loader import ModelFileError, load_scorer_file

    uri = f"models:/{settings.registered_model_name}/{version.version}"
    previous = mlflow.get_registry_uri()
    with tempfile.TemporaryDirectory(prefix="mizugiwa-model-") as tmp:
        mlflow.set_registry_uri(registry_uri(settings))
        try:
            path = mlflow.artifacts.download_artifacts(
                artifact_uri=f"{uri}/artifacts/{SCORER_ARTIFACT}",
                dst_path=tmp,
                tracking_uri=settings.mlflow_tracking_uri,
            )
        except Exception as exc:  # MLflow raises several unrelated types for a missing artifact
            raise RegistryError(f"{uri} holds no {SCORER_ARTIFACT}: {exc}") from exc
        finally:
            mlflow.set_registry_uri(previous)
        try:
            return load_scorer_file(path)
        except ModelFileError as exc:
            raise RegistryError(f"{uri}: {exc}") from exc


def load_scorer(alias: str = CHAMPION, *, settings: Settings | None = None) -> Scorer:
    """Load the scorer an alias points at; refuses one trained on other features.

    Raises :class:`RegistryError` when the alias is unset, and
    :class:`models.scorer.FeatureMismatchError` when the features differ from the code's.
    """
    s = _settings(settings)
    version = version_for_alias(alias, settings=s)
    if version is None:
        raise RegistryError(f"model {s.registered_model_name!r} has no alias {alias!r}")
    return load_version(version.version, alias=alias, settings=s)


def load_version(
    version: str | int, *, alias: str | None = None, settings: Settings | None = None
) -> Scorer:
    """Load the scorer of one registered version (see :func:`load_scorer`)."""
    s = _settings(settings)
    mv = get_version(version, settings=s)
    scorer = _download_scorer(mv, s)
    info_update: dict[str, Any] = {
        "name": s.registered_model_name,
        "version": str(mv.version),
        "alias": alias,
        "run_id": mv.run_id,
    }
    return scorer.with_info(**info_update).with_capacity(s)
