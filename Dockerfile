FROM python:3.11-slim
WORKDIR /app
# Dependencies first, from the pinned, hashed lock (refresh it with scripts/lock.sh): a code
# change does not re-install them, and every image gets the same versions.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY regiodash ./regiodash
COPY store ./store
COPY data_sources ./data_sources
COPY geo ./geo
COPY dashboard ./dashboard
COPY deploy ./deploy
RUN pip install --no-cache-dir --no-deps . && useradd --uid 10001 --no-create-home regiodash
USER 10001
