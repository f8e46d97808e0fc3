# One image for every service. docker-compose.yml and deploy/hub.yaml give each container
# its service's own entry point (node dist/subgraphs/<name>/src/main.js, node
# dist/gateway/main.js); without a command the image runs the whole hub in one process,
# as `npm start` does (embedding a Postgres when DATABASE_URL is unset).
# Node 24, the line README recommends (20 is past its end of life). On P6 the services spend
# about a third less CPU per handoff on it than on 20 (BENCHMARKS.md): a newer V8, and an
# AsyncLocalStorage on the async context frame instead of promise hooks (every request runs
# inside one: the row-level security tenant, shared/db/tenant-context.ts).
FROM node:24.21-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# Fixes applied to dependencies at install (patch-package, see patches/).
COPY patches ./patches
RUN npm ci --engine-strict --no-audit --no-fund
COPY . .
RUN npm run build
# A 32 MiB young generation: a request's objects die young instead of filling the old one (BENCHMARKS.md).
ENV NODE_ENV=production HUB_HOST=0.0.0.0 NODE_OPTIONS=--max-semi-space-size=32
CMD ["node", "dist/scripts/start.js"]
