# The modworker worker image: slim, non-root, with a healthcheck on its metrics endpoint.
# A build stage compiles the C hot loops (workers/core/text/*.c: _ngrams, _minhash, _keyscan, _charstage, _spelled, ...) and,
# with mypyc, the core's decision-path modules (setup.py) into a wheel, so the image that runs carries no compiler.
FROM python:3.11-slim AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends gcc libc6-dev >/dev/null
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY schemas ./schemas
COPY workers ./workers
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY --from=build /wheels /wheels
COPY ops/policy ./ops/policy
COPY ops/model/cache.py ./ops/model/cache.py
# the text model's binary copy (ops/model/cache.py) is written here, beside the JSON, so that workers start fast
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && python ops/model/cache.py ops/policy/default.toml \
    && useradd --system --uid 10001 --home /app modworker \
    && mkdir -p /app/.stack && chown -R modworker /app/.stack
# numeric, so that orchestrators can verify it is not root (Kubernetes runAsNonRoot)
USER 10001
ENV MODWORKER_POLICY_FILE=/app/ops/policy/default.toml MODWORKER_METRICS_PORT=9108
EXPOSE 9108
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD python -c "import urllib.request,os; urllib.request.urlopen('http://127.0.0.1:%s/metrics' % os.environ.get('MODWORKER_METRICS_PORT','9108'), timeout=2)"
ENTRYPOINT ["modworker"]
CMD ["worker"]
