# One image for every service; HUB_SERVICES picks what a container runs (see docker-compose.yml).
FROM node:20.19-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# Fixes applied to dependencies at install (patch-package, see patches/).
COPY patches ./patches
RUN npm ci --engine-strict --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production HUB_HOST=0.0.0.0
CMD ["node", "dist/scripts/start.js"]
