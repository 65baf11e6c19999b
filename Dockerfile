FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY regiodash ./regiodash
COPY store ./store
COPY data_sources ./data_sources
COPY geo ./geo
COPY dashboard ./dashboard
COPY deploy ./deploy
RUN pip install --no-cache-dir . && useradd --uid 10001 --no-create-home regiodash
USER 10001
