# The Airflow image for newswatch: the official Airflow 3.3.2 image plus the project installed into it.
# The DAG files and the UI plugin are mounted by docker-compose.yml (./dags, ./plugins), so editing
# them needs no rebuild; the image carries a copy of the plugin for a plain `docker run`.
FROM apache/airflow:3.3.2-python3.11

USER root
RUN mkdir -p /opt/newswatch/var && chown -R airflow:root /opt/newswatch
USER airflow

WORKDIR /opt/newswatch
# README* and not README.md: the build must not depend on the readme being there.
COPY --chown=airflow:root pyproject.toml feeds.yaml README* ./
COPY --chown=airflow:root pipelines ./pipelines
COPY --chown=airflow:root sql ./sql
COPY --chown=airflow:root expectations ./expectations
COPY --chown=airflow:root plugins /opt/airflow/plugins

# Airflow pinned to the image's own version, as the image documents, so pip never moves it.
# Editable, so that sql/ and expectations/ are found beside the package as in a checkout.
RUN pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" -e /opt/newswatch

WORKDIR /opt/airflow
