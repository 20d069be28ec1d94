# syntax=docker/dockerfile:1

# Build: compile TypeScript and the native SQLite driver, then drop dev dependencies.
FROM node:22-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Run: production dependencies, compiled code, migrations and curriculum; no compiler, no root.
# Migrations apply when the bot starts (src/db/client.ts), before it takes any traffic.
FROM node:22-slim
ENV NODE_ENV=production \
    DATABASE_PATH=/data/quorum.db \
    HTTP_PORT=8080 \
    HTTP_HOST=0.0.0.0 \
    BACKUP_DAILY_AT=03:00
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
COPY migrations-postgres ./migrations-postgres
COPY curriculum ./curriculum
COPY assets ./assets
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# /healthz, /readyz and /metrics; Slack's HTTP mode listens on SLACK_PORT (3000) when configured.
EXPOSE 8080 3000
# Asks the bot's own /readyz: database open, migrations applied, adapters connected.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "dist/healthcheck.js"]
# SIGTERM (docker stop) finishes the work in flight and exits 0 within 10 s.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
