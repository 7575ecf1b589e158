# umapi: the command line of umapi-kit, as an image for schedulers (Kubernetes CronJobs, cron, CI).
#
#   docker build -t umapi-kit/umapi .
#   docker run --rm -e UMAPI_ORG_ID -e UMAPI_CLIENT_ID -e UMAPI_CLIENT_SECRET \
#     -v "$PWD/sync:/config:ro" umapi-kit/umapi sync run --sync-config /config/sync.yml --yes --log-format json
#
# Stage 1 builds with the full Node image (compilers for better-sqlite3 when no prebuilt binary fits); stage 2
# is node:20-slim with the built files and production dependencies only: no compiler, no npm cache, no sources
# of the tests, running as the unprivileged `node` user.

FROM node:20-bookworm AS build
WORKDIR /src
# Dependencies first, so a change to the sources does not reinstall them.
COPY package.json package-lock.json .npmrc ./
COPY packages/client/package.json packages/client/
COPY packages/emulator/package.json packages/emulator/
COPY packages/sync/package.json packages/sync/
COPY packages/cli/package.json packages/cli/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY packages/client packages/client
COPY packages/emulator packages/emulator
COPY packages/sync packages/sync
COPY packages/cli packages/cli
RUN npx tsc -b \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf packages/*/src packages/*/test packages/*/tsconfig*.json packages/*/dist/*.tsbuildinfo

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    XDG_STATE_HOME=/var/lib/umapi \
    UMAPI_LOCK_DIR=/tmp/umapi-locks
WORKDIR /opt/umapi-kit
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages
RUN mkdir -p /var/lib/umapi /work && chown node:node /var/lib/umapi /work
USER node
WORKDIR /work
ENTRYPOINT ["node", "/opt/umapi-kit/packages/cli/dist/bin.js"]
CMD ["--help"]
