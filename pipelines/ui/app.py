"""The operator page as a FastAPI app: the overview, the latest quality report and every kept one.

``plugins/newswatch_ui.py`` mounts it in Airflow's API server under ``/newswatch`` with Airflow's
login check as a dependency; every link here is relative, so it works under any prefix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from pipelines.settings import Settings, get_settings
from pipelines.ui.overview import SAFE_REPORT, load_overview, trend_bars

_env = Environment(loader=PackageLoader("pipelines.ui", "templates"), autoescape=select_autoescape(["html", "j2"]))


def render_overview(settings: Settings) -> str:
    view = load_overview(settings)
    return _env.get_template("overview.html.j2").render(view=view, bars=trend_bars(view.quality))


def _report(path: Path) -> FileResponse:
    if not path.is_file():
        raise HTTPException(status_code=404, detail="no such quality report (yet)")
    return FileResponse(path, media_type="text/html")


def create_app(settings: Callable[[], Settings] = get_settings, dependencies: Sequence[Any] = ()) -> FastAPI:
    """The app; ``dependencies`` run before every route (the plugin passes Airflow's login check)."""
    app = FastAPI(title="newswatch", dependencies=list(dependencies), docs_url=None, redoc_url=None,
                  openapi_url=None)

    @app.get("/", response_class=HTMLResponse)
    def overview() -> str:
        return render_overview(settings())

    @app.get("/quality/latest")
    def latest_report() -> FileResponse:
        return _report(settings().quality_folder / "report.html")

    @app.get("/quality/runs/{name}")
    def kept_report(name: str) -> FileResponse:
        if not SAFE_REPORT.match(name):  # a file name, never a path
            raise HTTPException(status_code=404, detail="no such quality report")
        return _report(settings().quality_folder / "runs" / name)

    return app
