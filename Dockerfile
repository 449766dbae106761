# One image for every process: web, worker, scheduler and (for demos) the platform simulator.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 OMS_ENV=production
WORKDIR /srv/oms
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --system --home /srv/oms oms && mkdir -p instance && chown oms instance
USER oms
EXPOSE 8000
# No --access-logfile: the app logs every request itself, with its id and secrets masked.
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "4", "wsgi:app"]
