# syntax=docker/dockerfile:1
# summit-consumer: Kafka streaming service (raw news articles in, RegionalSummit events out).
# Build:  docker build -t summit-consumer .
# Run:    docker run --rm -p 9108:9108 -e SUMMIT_BOOTSTRAP_SERVERS=host:9092 summit-consumer

# ---------------------------------------------------------------- builder
FROM python:3.11-slim AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

# compilers for the compiled handlers (mypyc, setup.py) and for dependencies that may lack a wheel
# (camel-kenlm, editdistance); only in this stage: the runtime image gets the built venv, no compiler
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

WORKDIR /src
# torch first, CPU build only (camel-tools depends on it; the default index would pull the CUDA build)
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

COPY constraints.txt ./
COPY pyproject.toml setup.py README.md ./
COPY consumer ./consumer
COPY handlers ./handlers
COPY schemas ./schemas
# PIP_CONSTRAINT pins the isolated build environment too (mypy, setuptools); -c alone pins only the install
RUN PIP_CONSTRAINT=/src/constraints.txt pip install .

# ---------------------------------------------------------------- runtime
FROM python:3.11-slim AS runtime

ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SUMMIT_METRICS_PORT=9108

RUN groupadd --system --gid 10001 summit \
 && useradd --system --uid 10001 --gid summit --home-dir /home/summit --create-home --shell /usr/sbin/nologin summit

COPY --from=builder /opt/venv /opt/venv

USER summit
WORKDIR /home/summit

EXPOSE 9108

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://localhost:%s/readyz' % os.environ.get('SUMMIT_METRICS_PORT', '9108'), timeout=4)"]

ENTRYPOINT ["summit-consumer"]
CMD ["run"]
