# Evidence API: multi-stage build on Node 22. The compiler toolchain exists only in the build stage, where
# better-sqlite3's native addon is built; the runtime stage gets the compiled node_modules and runs as a non-root user.

FROM node:22-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run typecheck && npm run build && npm prune --omit=dev

FROM node:22-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_PATH=/data/evidence.db \
    RELEASES_DIR=/data/releases
WORKDIR /app
RUN groupadd --system evidence && useradd --system --gid evidence --home-dir /app evidence \
 && mkdir -p /data && chown evidence:evidence /data
COPY --from=build --chown=evidence:evidence /app /app
USER evidence
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server.js"]
