"""A small read-only HTTP API beside the app: /api/v1/regions, /series, /policies; /healthz."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_caching import Cache

from dashboard import export, inputs
from dashboard.cache import build_stamp
from dashboard.data import DashboardData
from dashboard.inputs import BadInput
from dashboard.model.policies import records as policy_records
from dashboard.model.regions import BOUNDARIES, UnknownMeasure, UnknownRegion

API_CACHE = "public, max-age=300"  # five minutes, then revalidate with the ETag (the build stamp)

# Kept as a name for code that raises it; the one parser's exception (a 4xx with a message).
BadRequest = BadInput


def _param(name: str, required: bool = False, default: str | None = None) -> str | None:
    value = request.args.get(name, default)
    if value is None:
        if required:
            raise BadInput(f"missing parameter {name!r}")
        return None
    return inputs.text(f"parameter {name!r}", value)


def blueprint(data: DashboardData, cache: Cache) -> Blueprint:
    bp = Blueprint("api", __name__)
    api = data.api

    @bp.before_request
    def _limits():
        if len(request.query_string) > inputs.MAX_QUERY:
            raise BadInput(f"query string too long (at most {inputs.MAX_QUERY} bytes)", 414)

    @bp.errorhandler(BadInput)
    def _bad(err: BadInput):
        inputs.rejected(request.path, err)
        return jsonify({"error": str(err)}), err.status

    @bp.errorhandler(UnknownRegion)
    @bp.errorhandler(UnknownMeasure)
    def _unknown(err):
        inputs.rejected(request.path, BadInput(str(err), 404))
        return jsonify({"error": str(err)}), 404

    stamp = build_stamp(data.store)

    @bp.after_request
    def _revalidate(response: Response) -> Response:
        # Answers change only with a new build: its stamp is the ETag, so a client (or nginx's
        # proxy_cache) revalidates with If-None-Match and gets a 304 until the store changes.
        if request.path.startswith("/api/") and response.status_code == 200:
            response.set_etag(stamp)
            response.headers["Cache-Control"] = API_CACHE
            response.make_conditional(request)
        return response

    @bp.get("/healthz")
    def healthz():
        return jsonify({"status": "ok", "build": stamp, "data_date": data.store.data_date,
                        "latest_year": api.latest_year})

    @bp.get("/api/v1/regions")
    @cache.cached(timeout=3600)
    def regions():
        table = api.regions()
        return jsonify([
            {"code": r.code, "name": r.name_nl, "name_en": r.name_en, "type": r.type, "members": r.members}
            for r in table.itertuples()
        ])

    @bp.get("/api/v1/series")
    @cache.cached(timeout=3600, query_string=True)
    def series():
        region = _param("region", required=True)
        measure = _param("measure", required=True)
        boundaries = _param("boundaries", default="latest")
        fmt = _param("format", default="json")
        if boundaries not in BOUNDARIES:
            raise BadRequest(f"boundaries must be one of {list(BOUNDARIES)}")
        if fmt not in ("json", "csv"):
            raise BadRequest("format must be json or csv")
        try:
            s = api.series(region, measure, boundaries)
        except ValueError as err:
            raise BadRequest(str(err)) from err
        year = _param("year")
        if year is not None:
            try:
                number = inputs.year(year)
            except BadInput:
                number = None
            if number not in set(s.points["year"]):
                years = s.points["year"]
                span = f"{years.min()}-{years.max()}" if len(years) else "none"
                raise BadRequest(f"year {year!r} is outside the data for {region}/{measure} (years {span})")
            s = s.only_year(number)  # a new Series: the memoised one is shared by every request
        if fmt == "csv":  # columns: dashboard/export.py series_csv
            return Response(export.series_csv(region, measure, s), mimetype="text/csv",
                            headers={"Content-Disposition": f'attachment; filename="{region}_{measure}.csv"'})
        return jsonify(s.as_dict())

    @bp.get("/api/v1/policies")
    @cache.cached(timeout=3600, query_string=True)
    def policies():
        region = _param("region", required=True)
        year = _param("year")
        table = api.policies(region, inputs.year(year) if year is not None else None)
        return jsonify({"region": region, "policies": policy_records(table)})

    # ---- overview (issue 11): the table the Kamer asked for, as JSON, CSV or XLSX ----
    from functools import lru_cache

    from dashboard.model import overview as ov

    overview_of = lru_cache(maxsize=256)(lambda group, start, end: ov.build(api, group, start, end))
    overview_of(ov.KRIMP_ANTICIPEER, *ov.default_years(api))  # the question itself: answered at start-up

    def _year(name: str, default: int) -> int:
        return inputs.year(_param(name, default=str(default)))

    @bp.get("/api/v1/overview")
    def overview():
        group = inputs.text("parameter 'group'", request.args.get("group", ov.KRIMP_ANTICIPEER), limit=inputs.MAX_QUERY)
        first, last = ov.default_years(api)
        start, end = _year("from", first), _year("to", last)
        fmt = _param("format", default="json")
        if fmt not in ("json", "csv", "xlsx"):
            raise BadRequest("format must be json, csv or xlsx")
        try:
            result = overview_of(group, start, end)
        except ov.BadOverview as err:
            raise BadRequest(str(err)) from err
        name = f"overzicht_{start}_{end}"
        if fmt == "csv":
            return Response(ov.to_csv(result), mimetype="text/csv",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
        if fmt == "xlsx":
            return Response(ov.to_xlsx(result),
                            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
        table = result.table.astype(object).where(result.table.notna(), None)
        return jsonify({"title": result.title("nl"), "group": group, "from": start, "to": end,
                        "units": ov.UNITS, "sources": result.sources, "data_date": result.data_date,
                        "rows": table.to_dict(orient="records")})

    return bp
