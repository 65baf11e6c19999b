"""The single place where configuration is read (environment variables or CLI options)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

FIRST_YEAR = 2014  # the mission: every series from 2014 on


class Settings(BaseSettings):
    """Configuration of the build and the dashboard.

    Every field can be set with an environment variable ``REGIODASH_<FIELD>``; the CLI
    options (``--mirror``, ``--store``) override them.
    """

    model_config = SettingsConfigDict(env_prefix="REGIODASH_", extra="ignore")

    mirror: Path | None = Field(
        default=None,
        description="Local mirror laid out like shared/data; None means live CBS/PDOK.",
    )
    # var/store, not ./store: that name is the package of the store layer (store/*.py).
    store: Path = Field(default=Path("var/store"), description="Directory of the built store.")
    raw_dir: Path | None = Field(
        default=None, description="Where live downloads are kept (default: <store>/raw)."
    )
    cbs_catalog: str = Field(default="opendata.cbs.nl", description="CBS OData v3 host.")
    cbs_https: bool = True
    cbs_retries: int = 4
    cbs_backoff_s: float = 1.0
    pdok_base: str = Field(
        default="https://service.pdok.nl/cbs/gebiedsindelingen/{year}/wfs/v1_0",
        description="PDOK WFS of the CBS gebiedsindelingen, {year} is filled in.",
    )
    cache_url: str | None = Field(
        default=None, description="redis://... for a cache shared by all workers."
    )
    debug: bool = False

    connect_timeout_s: float = Field(
        default=5.0, description="How long `regiodash build` waits for CBS/PDOK to accept a connection."
    )

    @field_validator("mirror", "raw_dir", "cache_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value):
        """``REGIODASH_MIRROR=`` (as compose passes an unset variable) means unset, i.e. live,
        not ``Path('.')``."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def raw_path(self) -> Path:
        return self.raw_dir or (self.store / "raw")
