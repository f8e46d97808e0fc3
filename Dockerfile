# One image for every service; HUB_SERVICES picks what a container runs (see docker-compose.yml).
FROM node:20.19-bookworm-slim
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
